"""Measure mmnpress against bare pandoc, in one run, and print a table.

    /work/venv/bin/python bench/bench.py [--runs 5] [--batch 100] [--singles 10]

Every figure is the median of `--runs` fresh processes unless said otherwise:

- cold build of the seed to DOCX, and to DOCX+PDF (`mmnpress build`, new output folder each time);
- what the web page, the email and ninjs add to that DOCX build: cold (`--to docx,html,email,ninjs`
  against `--to docx`), and rendered in this process from the render model of the seed and its
  Burmese translation (the longest outputs);
- the same cold DOCX build right after an edit of profile.yaml, so the Word template is made
  anew (the difference to a cold build with the profile unchanged is what the regeneration costs);
- bare `pandoc --citeproc` turning the same content (the seed written as Markdown, same
  citations, bibliography and CSL style) into DOCX: the yardstick of the ratios;
- a warm rebuild in watch mode after an edit (the `Watcher` of `mmnpress watch`, in this process);
- a batch of `--batch` copies of the seed with different text, built by one `mmnpress build FOLDER`,
  against as many cold single builds (extrapolated from `--singles` of them);
- `mmnpress --help` wall time, and the import time of `mmnpress.cli` (`-X importtime`);
- peak memory: the largest ru_maxrss of any process a build started (pandoc included).

Everything runs in a temporary copy of statements/, templates/ and bibliography/.
mmnpress is byte-compiled first, as pip does on install (an editable checkout under
PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module in every process).
The machine's other load is printed with the table: medians on a shared machine move.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = "statements/2017-11-22-asean-consensus.yaml"
_SCRIPT = Path(sys.executable).with_name("mmnpress")
MMNPRESS = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "mmnpress.cli"]
TARGETS = {"docx": 1.3, "watch": 0.3, "batch": 0.5, "help": 0.15, "memory": 250, "web": 0.050, "regenerate": 0.3}
WEB = ("html", "email", "ninjs")
# Runs a command and prints the peak resident memory (KiB) of everything it started.
PEAK = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); " \
       "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"


def main() -> None:
    """Run every measurement and print the table."""
    args = _arguments()
    import compileall
    import os

    compileall.compile_dir(REPO / "mmnpress", quiet=1)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="mmnpress-bench-") as tmp:
        project = _project(Path(tmp))
        rows = measure(project, args)
    _print_table(rows)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per median")
    parser.add_argument("--batch", type=int, default=100, help="statements in the batch")
    parser.add_argument("--singles", type=int, default=10, help="cold single builds timed, then scaled to --batch")
    return parser.parse_args()


def _project(tmp: Path) -> Path:
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, tmp / name)
    return tmp


def measure(project: Path, args) -> list[tuple[str, str, str, str]]:
    """Return the table rows: what, figure, ratio or value, target."""
    pandoc, docx, both, docx_web, regenerated = _interleaved(args.runs, [
        lambda: _pandoc_docx(project), lambda: _cold_build(project, "docx"), lambda: _cold_build(project, "docx,pdf"),
        lambda: _cold_build(project, ",".join(("docx", *WEB))),
        lambda: _cold_build(project, "docx", edit_profile=True),
    ])
    web = _web_render(project, max(args.runs, 20))
    warm_docx, warm_both = _warm_rebuild(project, args.runs, ("docx",)), _warm_rebuild(project, args.runs, ("docx", "pdf"))
    warm_template = _warm_rebuild(project, args.runs, ("docx", "pdf"), edit_template=True)
    batch, singles = _batch(project, args.batch, args.singles)
    help_time = median(max(args.runs, 10), lambda: _timed(project, [*MMNPRESS, "--help"]))
    memory = max(_peak_kib(project, ["build", SEED, "--force", "-o", "peak"]), _peak_kib(project, ["build", "batch", "--force"]))
    return [
        ("bare pandoc --citeproc -> DOCX", _s(pandoc), "1.00x", "yardstick"),
        ("cold build -> DOCX", _s(docx), _x(docx / pandoc), f"<= {TARGETS['docx']}x"),
        ("cold build -> DOCX+PDF", _s(both), _x(both / pandoc), "-"),
        ("cold build -> DOCX, profile edited", _s(regenerated), f"+{regenerated - docx:.2f} s",
         f"<= +{TARGETS['regenerate']} s"),
        ("cold build -> DOCX+HTML+email+ninjs, less DOCX", _s(docx_web - docx), "-", f"<= {TARGETS['web']} s"),
        ("HTML+email+ninjs rendered (seed, Burmese)", " / ".join(_s(w) for w in web), "-", f"<= {TARGETS['web']} s"),
        ("watch: warm rebuild -> DOCX", _s(warm_docx), _x(warm_docx / pandoc), f"<= {TARGETS['watch']}x"),
        ("watch: warm rebuild -> DOCX+PDF", _s(warm_both), _x(warm_both / pandoc), f"<= {TARGETS['watch']}x"),
        ("watch: template saved -> DOCX+PDF", _s(warm_template), _x(warm_template / pandoc), f"<= {TARGETS['watch']}x"),
        (f"batch of {args.batch} (one process, DOCX+PDF)", _s(batch), _x(batch / singles), f"<= {TARGETS['batch']}x"),
        (f"{args.batch} cold single builds (from {args.singles})", _s(singles), "1.00x", "-"),
        ("mmnpress --help", _s(help_time), "-", f"<= {TARGETS['help']} s"),
        ("import mmnpress.cli (-X importtime)", _s(_import_time()), "-", "-"),
        ("peak memory (ru_maxrss, children)", f"{memory / 1024:.0f} MiB", "-", f"<= {TARGETS['memory']} MiB"),
    ]


def _web_render(project: Path, runs: int) -> list[float]:
    """Return the median time to render the web formats from the render model of the seed and its Burmese translation."""
    from mmnpress.assemble import assemble
    from mmnpress.render import Renderers
    from mmnpress.resolve import Options, resolve

    renderers, times = Renderers(), []
    for statement in (SEED, SEED.replace(".yaml", ".my.yaml")):
        resolved = resolve(project / statement, Options())
        document = assemble(resolved, Options())
        folder = resolved.organisation.folder

        def render_all(document=document, folder=folder) -> float:
            started = time.perf_counter()
            for fmt in WEB:
                renderers[fmt].render(document, folder)
            return time.perf_counter() - started

        render_all()  # imports and first-use costs belong to the cold figure
        times.append(median(runs, render_all))
    renderers.close()
    return times


def median(runs: int, measure_once) -> float:
    """Return the median of `runs` measurements."""
    return statistics.median(measure_once() for _ in range(runs))


def _interleaved(runs: int, measures: list) -> list[float]:
    """Return the median of each measure, taking them in turn so that load from elsewhere falls on all alike."""
    samples: list[list[float]] = [[] for _ in measures]
    for _ in range(runs):
        for taken, measure_once in zip(samples, measures, strict=True):
            taken.append(measure_once())
    return [statistics.median(taken) for taken in samples]


def _timed(cwd: Path, command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _cold_build(project: Path, formats: str, edit_profile: bool = False) -> float:
    """Time one build in a fresh process; after an edit of profile.yaml when `edit_profile`."""
    out = tempfile.mkdtemp(dir=project, prefix="out-")
    if edit_profile:
        with (project / "templates/mmn/profile.yaml").open("a", encoding="utf-8") as profile:
            profile.write(f"# edited {time.perf_counter()}\n")
    return _timed(project, [*MMNPRESS, "build", SEED, "--to", formats, "-o", out])


def _pandoc_docx(project: Path) -> float:
    from mmnpress.cite import find_style
    from mmnpress.text import pandoc_path

    markdown = project / "seed.md"
    if not markdown.exists():
        markdown.write_text(seed_markdown(project / SEED), encoding="utf-8")
    style = find_style(None, project)
    command = [pandoc_path(), str(markdown), "--citeproc", "--csl", str(style), "--bibliography",
               "bibliography/mmn.json", "-M", "suppress-bibliography=true", "-o", "seed.docx"]
    return _timed(project, command)


def seed_markdown(path: Path) -> str:
    """Return the seed statement as one Markdown document, citations kept as typed."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    parts = [f"# {data['title']}", f"*{data['subtitle']}*", f"{data['place']}, {data['date']}"]
    parts += [p if isinstance(p, str) else f"## {p.get('heading', '')}" for p in data["body"]]
    parts.append(data["recommendations"]["intro"])
    parts += [f"{i}. **{r['title']}** – {r['text']}" for i, r in enumerate(data["recommendations"]["items"], 1)]
    parts += data.get("closing", [])
    parts.append("For inquiries about this statement, please contact:")
    parts += [f"**{c['name']}**, {c['role']}, {c['email']}" for c in data["contacts"]]
    return "\n\n".join(parts) + "\n"


def _warm_rebuild(project: Path, runs: int, formats: tuple[str, ...], edit_template: bool = False) -> float:
    """Time rebuilds by the watcher after edits of one paragraph (or a template), the first build excluded."""
    from mmnpress.build import Request
    from mmnpress.resolve import Options
    from mmnpress.watch import Watcher

    path = project / "statements" / "watched.yaml"
    shutil.copyfile(project / SEED, path)
    if edit_template:  # the organisation keeps Typst templates of its own, copied from the house style
        for typ in (REPO / "mmnpress" / "house").glob("*.typ"):
            shutil.copyfile(typ, project / "templates" / "mmn" / typ.name)
    out = Path(tempfile.mkdtemp(dir=project, prefix="watch-"))
    watcher = Watcher([Request(path, formats, out, Options())], lambda line: None)
    times = []
    try:
        watcher.build(watcher.requests[0])
        for run in range(runs):
            edited = project / "templates/mmn/statement.typ" if edit_template else path
            text = edited.read_text(encoding="utf-8")
            text = text + f"// saved {run}\n" if edit_template else text.replace("welcomes", f"welcomes ({run})", 1)
            edited.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            watcher.poll()
            times.append(time.perf_counter() - started)
    finally:
        watcher.renderers.close()
        path.unlink()
    return statistics.median(times)


def _batch(project: Path, count: int, singles: int) -> tuple[float, float]:
    folder = project / "batch"
    folder.mkdir()
    seed = (project / SEED).read_text(encoding="utf-8")
    for number in range(count):
        text = re.sub(r"(?m)^  - >-\n    ", f"  - >-\n    Copy {number}. ", seed)
        (folder / f"copy-{number:03d}.yaml").write_text(text.replace("title: >-\n  ", f"title: >-\n  ({number}) "), encoding="utf-8")
    batch = _timed(project, [*MMNPRESS, "build", "batch", "-o", "batch-out"])
    single = [_timed(project, [*MMNPRESS, "build", f"batch/copy-{n:03d}.yaml", "-o", "single-out"]) for n in range(singles)]
    return batch, statistics.mean(single) * count


def _peak_kib(project: Path, args: list[str]) -> int:
    done = subprocess.run([sys.executable, "-c", PEAK, *MMNPRESS, *args], cwd=project, check=True, capture_output=True, text=True)
    return int(done.stdout.split()[-1])


def _import_time() -> float:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import mmnpress.cli"], capture_output=True, text=True, check=True)
    line = next(line for line in done.stderr.splitlines() if line.rstrip().endswith("| mmnpress.cli"))
    return int(line.split("|")[1]) / 1e6


def _s(seconds: float) -> str:
    return f"{seconds:.3f} s"


def _x(ratio: float) -> str:
    return f"{ratio:.2f}x"


def _print_table(rows: list[tuple[str, str, str, str]]) -> None:
    widths = [max(len(str(row[i])) for row in [("measure", "figure", "ratio", "target"), *rows]) for i in range(4)]
    for row in [("measure", "figure", "ratio", "target"), tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
