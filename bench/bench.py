"""Measure mmnpress against bare pandoc, in one run, and print three tables.

    /work/venv/bin/python bench/bench.py [--quick] [--watch-only] [--runs 5] [--batch 100] [--singles 10] [--scale 10,100,500,2000]

Every figure is the median of `--runs` measurements unless said otherwise; the measures
of one table are taken in turn, so that load from elsewhere falls on all alike.

- the yardstick: bare `pandoc --citeproc` turning the same content (the statement written
  as Markdown, same citations, bibliography and CSL style) into DOCX;
- cold builds in a fresh process (new output folder each time) to DOCX and DOCX+PDF with
  nothing cached (a new, empty user cache folder each time), and to DOCX+PDF with the
  citations formatted before (the user cache folder of an earlier build); the same two
  DOCX+PDF builds handed to the build server (the command as users run it after their
  first build), of the seed with one word changed each time, so that the document differs
  from every one the server built before;
- `mmnpress watch` (the command, in a process of its own) from the save of the statement to
  the report of the rebuilt files, after a text edit and after a citation edit (new page
  number: the citations are formatted anew);
- not with `--quick`: what the web page, the email and ninjs add; a cold DOCX build right
  after an edit of profile.yaml (the Word template made anew); watch after a template is
  saved; a batch of `--batch` copies of the seed in one `mmnpress build FOLDER` against
  as many cold single builds (extrapolated from `--singles` of them);
- `mmnpress --help`, the import time of `mmnpress.commands.main`, and peak memory (the largest
  ru_maxrss of any process a build started, pandoc included);
- long statements (`--scale` cited paragraphs): time and peak memory to DOCX, to PDF and
  to both, against bare pandoc on the same content;
- Typst's layout time of the seed and each translation (warm renderers, in this process).

Everything runs in a temporary copy of statements/, templates/ and bibliography/.
mmnpress is byte-compiled first, as pip does on install (an editable checkout under
PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module in every process).
The machine's other load is printed with the tables: medians on a shared machine move.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = "statements/2017-11-22-asean-consensus.yaml"
_SCRIPT = Path(sys.executable).with_name("mmnpress")
MMNPRESS = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "mmnpress.commands.main"]
TARGETS = {"cold": 1.6, "cached": 1.3, "watch": 0.3, "watch-citation": 0.6, "batch": 0.5, "help": 0.15, "memory": 250,
           "web": 0.050, "regenerate": 0.3, "long": 3.0, "long-memory": 400, "million": 3.0, "million-memory": 1536}
MILLION = 1_000_000  # characters of cited text: a long position paper, to PDF
WEB = ("html", "email", "ninjs")
# Runs a command and prints the peak resident memory (KiB) of everything it started.
PEAK = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); " \
       "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"


def main() -> None:
    """Run every measurement and print the tables."""
    args = _arguments()
    import compileall

    compileall.compile_dir(REPO / "mmnpress", quiet=1)
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="mmnpress-bench-") as tmp:
        project = _project(Path(tmp))
        os.environ["XDG_CACHE_HOME"] = str(project / "user-cache")  # what this process formats stays in here
        # builds run in their own process unless a measure says otherwise; a server of the bench's own serves those
        os.environ["MMNPRESS_SERVER"] = "off"
        os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(dir=tmp)
        if args.watch_only:
            _print_table(watch_rows(project, args.runs))
            return
        if args.scale_only:
            _print_table(scaling(project, args.scale, max(1, args.runs // 2)), SCALING_HEADER)
            return
        rows = measure(project, args)
        _print_table(rows)
        print()
        _print_table(scaling(project, args.scale, max(1, args.runs // 2)), SCALING_HEADER)
        print()
        _print_table(languages(project, args.runs),
                     ("language", "characters", "Typst layout", "x English per character", "target", "text repair after Typst"))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per median")
    parser.add_argument("--batch", type=int, default=100, help="statements in the batch")
    parser.add_argument("--singles", type=int, default=10, help="cold single builds timed, then scaled to --batch")
    parser.add_argument("--scale", default="10,100,500,2300", help="cited paragraphs of the long statements (2300: about 1,000,000 characters)")
    parser.add_argument("--scale-only", action="store_true", help="only the table of long statements")
    parser.add_argument("--watch-only", action="store_true", help="only the rows of watch rebuilds after a text or citation edit")
    parser.add_argument("--quick", action="store_true", help="a short run: 2 runs, no batch, web or template figures, "
                        "one long statement of 100 paragraphs")
    args = parser.parse_args()
    args.scale = [int(n) for n in args.scale.split(",")]
    if args.quick:
        args.runs, args.batch, args.scale = 2, 0, [100]
    return args


def _project(tmp: Path) -> Path:
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, tmp / name)
    return tmp


def measure(project: Path, args) -> list[tuple[str, ...]]:
    """Return the rows of the main table: what, figure, ratio or value, target."""
    warm_cache = _warmed_cache(project)
    _start_server(project)
    try:
        pandoc, docx, both, both_cached, served, served_cached = _interleaved(args.runs, [
            lambda: _pandoc_docx(project), lambda: _cold_build(project, "docx"), lambda: _cold_build(project, "docx,pdf"),
            lambda: _cold_build(project, "docx,pdf", cache=warm_cache),
            lambda: _served_build(project), lambda: _served_build(project, cache=warm_cache),
        ])
    finally:
        _stop_server()
    rows = [
        ("bare pandoc --citeproc -> DOCX", _s(pandoc), "1.00x", "yardstick"),
        ("cold build, own process -> DOCX, nothing cached", _s(docx), _x(docx / pandoc), "-"),
        ("cold build, own process -> DOCX+PDF, nothing cached", _s(both), _x(both / pandoc), f"<= {TARGETS['cold']}x"),
        ("cold build, own process -> DOCX+PDF, citations formatted before", _s(both_cached), _x(both_cached / pandoc),
         f"<= {TARGETS['cached']}x"),
        ("build, server running -> DOCX+PDF, text edited, nothing cached", _s(served), _x(served / pandoc),
         f"<= {TARGETS['cold']}x"),
        ("build, server running -> DOCX+PDF, text edited, citations formatted before", _s(served_cached),
         _x(served_cached / pandoc), f"<= {TARGETS['cached']}x"),
    ]
    rows += watch_rows(project, args.runs)
    if not args.quick:
        rows += _more(project, args, docx)
    rows.append(("mmnpress --help", _s(median(max(args.runs, 10), lambda: _timed(project, [*MMNPRESS, "--help"]))), "-",
                 f"<= {TARGETS['help']} s"))
    rows.append(("import mmnpress.commands.main (-X importtime)", _s(_import_time()), "-", "-"))
    memory = _peak_kib(project, ["build", SEED, "--force", "-o", "peak"])
    rows.append(("peak memory of a build (ru_maxrss, children)", f"{memory / 1024:.0f} MiB", "-", f"<= {TARGETS['memory']} MiB"))
    return rows


def watch_rows(project: Path, runs: int) -> list[tuple[str, ...]]:
    """Return the rows of `mmnpress watch` rebuilds after a text edit and a citation edit, to DOCX and DOCX+PDF."""
    rows = []
    for edit, target in (("text", "watch"), ("citation", "watch-citation")):
        for formats in (("docx",), ("docx", "pdf")):
            seconds, yardstick = _watch_rebuild(project, runs, formats, edit)
            rows.append((f"watch: saved to built, {edit} edit -> {'+'.join(f.upper() for f in formats)}", _s(seconds),
                         _x(seconds / yardstick), f"<= {TARGETS[target]}x" if formats == ("docx", "pdf") else "-"))
    return rows


def _more(project: Path, args, docx: float) -> list[tuple[str, ...]]:
    """Return the rows the quick run leaves out: web formats, profile edits, templates saved, batch."""
    docx_web, regenerated = _interleaved(args.runs, [
        lambda: _cold_build(project, ",".join(("docx", *WEB))), lambda: _cold_build(project, "docx", edit_profile=True)])
    web = _web_render(project, max(args.runs, 20))
    template, yardstick = _watch_rebuild(project, args.runs, ("docx", "pdf"), "template")
    batch, singles = _batch(project, args.batch, args.singles)
    return [
        ("cold build -> DOCX, profile edited", _s(regenerated), f"+{regenerated - docx:.2f} s", f"<= +{TARGETS['regenerate']} s"),
        ("cold build -> DOCX+HTML+email+ninjs, less DOCX", _s(docx_web - docx), "-", f"<= {TARGETS['web']} s"),
        ("HTML+email+ninjs rendered (seed, Burmese)", " / ".join(_s(w) for w in web), "-", f"<= {TARGETS['web']} s"),
        ("watch: saved to built, template edit -> DOCX+PDF", _s(template), _x(template / yardstick), f"<= {TARGETS['watch']}x"),
        (f"batch of {args.batch} (one process, DOCX)", _s(batch), _x(batch / singles), f"<= {TARGETS['batch']}x"),
        (f"{args.batch} cold single builds (from {args.singles})", _s(singles), "1.00x", "-"),
    ]


def _web_render(project: Path, runs: int) -> list[float]:
    """Return the median time to render the web formats from the render model of the seed and its Burmese translation."""
    from mmnpress.pipeline.assemble import assemble
    from mmnpress.pipeline.resolve import Options, resolve
    from mmnpress.render import Renderers

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


def _timed(cwd: Path, command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def _cold_build(project: Path, formats: str, edit_profile: bool = False, cache: Path | None = None,
                statement: str = SEED, server: bool = False) -> float:
    """Time one build by the command, with the user cache folder `cache` (by default a new, empty one).

    It builds in its own process unless `server`: then it hands the build to the running build server.
    """
    out = tempfile.mkdtemp(dir=project, prefix="out-")
    if edit_profile:
        with (project / "templates/mmn/profile.yaml").open("a", encoding="utf-8") as profile:
            profile.write(f"# edited {time.perf_counter()}\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache or tempfile.mkdtemp(dir=project, prefix="cache-")),
           "MMNPRESS_SERVER": "on" if server else "off"}
    return _timed(project, [*MMNPRESS, "build", statement, "--to", formats, "-o", out], env)


def _served_build(project: Path, cache: Path | None = None) -> float:
    """Time a build handed to the running server, of the seed with one word of its text changed since the last."""
    seed = (project / SEED).read_text(encoding="utf-8")
    edited = project / "statements" / "edited.yaml"
    edited.write_text(seed.replace("sub-regional network", f"sub-regional network {time.perf_counter_ns()}", 1),
                      encoding="utf-8")
    return _cold_build(project, "docx,pdf", cache=cache, statement="statements/edited.yaml", server=True)


def _start_server(project: Path) -> None:
    """Start the build server as users do (a build finds none, starts one) and let it build once."""
    _cold_build(project, "docx", server=True)
    deadline = time.monotonic() + 60
    while not list(_server_folder().glob("*.sock")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # bound, not yet listening: let it finish warming up
    _served_build(project)


def _stop_server() -> None:
    for lock in _server_folder().glob("*.lock"):
        pid = lock.read_text().strip()
        if pid.isdigit():
            try:
                os.kill(int(pid), signal.SIGTERM)
            except ProcessLookupError:
                pass


def _server_folder() -> Path:
    return Path(os.environ["XDG_RUNTIME_DIR"]) / "mmnpress"


def _warmed_cache(project: Path) -> Path:
    """Return a user cache folder holding the seed's formatted citations (from one build)."""
    cache = Path(tempfile.mkdtemp(dir=project, prefix="cache-"))
    _cold_build(project, "docx", cache=cache)
    return cache


def _pandoc_docx(project: Path, statement: str = SEED) -> float:
    """Time bare `pandoc --citeproc` turning the statement, written as Markdown, into DOCX."""
    return _timed(project, _pandoc_command(project, statement))


def _pandoc_command(project: Path, statement: str) -> list[str]:
    """Return the bare pandoc command of the yardstick, writing the statement as Markdown first."""
    from mmnpress.pipeline.bibliography import find_style
    from mmnpress.pipeline.text import pandoc_path

    markdown = project / Path(statement).with_suffix(".md").name
    if not markdown.exists():
        markdown.write_text(seed_markdown(project / statement), encoding="utf-8")
    style = find_style(None, project)
    return [pandoc_path(), str(markdown), "--citeproc", "--csl", str(style), "--bibliography",
            "bibliography/mmn.json", "-M", "suppress-bibliography=true", "-o", "seed.docx"]


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
    parts += [", ".join([f"**{c['name']}**", *(str(v) for k, v in c.items() if k != "name")]) for c in data["contacts"]]
    return "\n\n".join(parts) + "\n"


def _watch_rebuild(project: Path, runs: int, formats: tuple[str, ...], edit: str) -> tuple[float, float]:
    """Return the median time from a save to the report of the rebuilt files by `mmnpress watch`, and the yardstick's.

    The watcher is the command users run, in a process of its own with its own
    user cache folder (empty at first). The yardstick runs after each rebuild,
    so the load from elsewhere falls on both alike.

    `edit` is "text" (one word of a paragraph), "citation" (a new page number, so the
    citations are formatted anew) or "template" (the organisation's Typst template).
    """
    path = project / "statements" / "watched.yaml"
    shutil.copyfile(project / SEED, path)
    if edit == "template":  # the organisation keeps Typst templates of its own, copied from the house style
        for typ in (REPO / "mmnpress" / "house").glob("*.typ"):
            shutil.copyfile(typ, project / "templates" / "mmn" / typ.name)
    out = tempfile.mkdtemp(dir=project, prefix="watch-")
    env = {**os.environ, "XDG_CACHE_HOME": tempfile.mkdtemp(dir=project, prefix="cache-"), "PYTHONUNBUFFERED": "1"}
    command = [*MMNPRESS, "watch", str(path.relative_to(project)), "--to", ",".join(formats), "-o", out]
    watcher = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    reports = _lines(watcher.stdout)
    times, yardstick = [], []
    try:
        _built(reports)  # the first build is not a rebuild
        for run in range(runs):
            time.sleep(0.35)  # a user does not save twice within a few tenths of a second
            edited = project / "templates/mmn/statement.typ" if edit == "template" else path
            text = edited.read_text(encoding="utf-8")
            if edit == "template":
                text += f"// saved {run}\n"
            elif edit == "citation":
                text = text.replace("[@tfamw2009, 9]", f"[@tfamw2009, {run + 10}]").replace(f"[@tfamw2009, {run + 9}]",
                                                                                              f"[@tfamw2009, {run + 10}]")
            else:
                text = text.replace("welcomes", f"welcomes ({run})", 1)
            started = time.perf_counter()
            edited.write_text(text, encoding="utf-8")
            _built(reports)
            times.append(time.perf_counter() - started)
            yardstick.append(_pandoc_docx(project))
    finally:
        watcher.send_signal(signal.SIGINT)
        try:
            watcher.wait(timeout=10)
        except subprocess.TimeoutExpired:
            watcher.kill()
            watcher.wait()
        path.unlink()
    return statistics.median(times), statistics.median(yardstick)


def _lines(stream):
    """Return a queue that receives the lines of `stream` as they are printed."""
    import queue
    import threading

    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _built(reports) -> None:
    """Wait for the watcher to report a build; raise when it reports anything else."""
    while True:
        line = reports.get(timeout=120)
        if not line.startswith("watching "):
            break
    if " built " not in line:
        raise RuntimeError(f"watch did not build: {line}")


SCALING_HEADER = ("paragraphs", "characters", "stage", "time", "x pandoc", "peak", "target")


def scaling(project: Path, sizes: list[int], runs: int) -> list[tuple[str, ...]]:
    """Return the rows of the table of long statements: time and peak memory per stage and in all, against pandoc.

    No length is refused as a PDF any more (only a shortage of free memory is): the largest
    size, about 1,000,000 characters, has the targets of a long position paper.
    """
    rows = []
    for size in sizes:
        statement = _long_statement(project, size)
        characters = _characters(project, statement)
        formats = ("docx", "pdf", "docx,pdf")
        pandoc, *built = _interleaved(runs, [
            lambda statement=statement: _pandoc_docx(project, statement),
            *(lambda fmt=fmt, statement=statement: _cold_build(project, fmt, statement=statement) for fmt in formats)])
        for stage, seconds in zip(("bare pandoc -> DOCX", "DOCX", "PDF", "DOCX+PDF"), (pandoc, *built), strict=False):
            if stage == "bare pandoc -> DOCX":
                peak = _peak_kib(project, [], command=_pandoc_command(project, statement))
            else:
                peak = _peak_kib(project, ["build", statement, "--to", stage.lower().replace("+", ","), "--force",
                                           "-o", "peak-long"])
            if characters >= MILLION * 0.9 and stage == "PDF":
                target = f"<= {TARGETS['million']}x, {TARGETS['million-memory']} MiB"
            else:
                target = f"<= {TARGETS['long']}x, {TARGETS['long-memory']} MiB" if stage == "DOCX+PDF" and characters < MILLION * 0.9 else ""
            rows.append((str(size), f"{characters:,}", stage, _s(seconds), _x(seconds / pandoc), f"{peak / 1024:.0f} MiB", target))
    return rows


def _characters(project: Path, statement: str) -> int:
    """Return the characters of text of `statement` as a PDF counts them."""
    from mmnpress.pipeline.assemble import assemble
    from mmnpress.pipeline.resolve import Options, resolve
    from mmnpress.render.pdf import text_length

    return text_length(assemble(resolve(project / statement, Options()), Options()))


def _long_statement(project: Path, paragraphs: int) -> str:
    """Write the seed with `paragraphs` cited paragraphs as its body; return its path in the project."""
    import yaml

    data = yaml.safe_load((project / SEED).read_text(encoding="utf-8"))
    keys = ("tfamw2009", "worldbank2017", "asean2025", "asean2007")
    text = [p for p in data["body"] if isinstance(p, str)]
    data["body"] = [f"{text[n % len(text)].split('[@')[0].rstrip('. ')} ({n + 1}).[@{keys[n % len(keys)]}, {n + 1}]"
                    for n in range(paragraphs)]
    relative = f"statements/long-{paragraphs}.yaml"
    (project / relative).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return relative


def languages(project: Path, runs: int) -> list[tuple[str, ...]]:
    """Return Typst's layout time of the seed and of each translation, against English per character of text.

    Each layout runs in a fresh process with the fonts loaded and the compiler opened
    beforehand, since Typst remembers the layout of what it compiled before. The
    stage after Typst that makes the PDF's text copyable (`pdftext.repair`) is timed apart.
    """
    rows, english = [], 0.0
    for lang in ("en", "vi", "th", "my", "km", "lo"):
        statement = project / (SEED if lang == "en" else SEED.replace(".yaml", f".{lang}.yaml"))
        samples = [_layout(project, statement) for _ in range(runs)]
        characters = samples[0][0]
        layout, repair = statistics.median(s for _, s, _ in samples), statistics.median(r for _, _, r in samples)
        per_character = layout / characters
        english = english or per_character
        rows.append((lang, str(characters), _s(layout), _x(per_character / english), "<= 2.00x" if lang != "en" else "", _s(repair)))
    return rows


# Prints the characters of text in a statement, the time Typst takes to lay it out (fonts loaded before)
# and the time of the text repair after it.
LAYOUT = """
import sys, time
from pathlib import Path
from mmnpress.pipeline.assemble import assemble
from mmnpress.build import template_dir
from mmnpress.document import to_data
from mmnpress.render import Renderers, pdftext
from mmnpress.pipeline.resolve import Options, resolve

repaired = []
repair = pdftext.repair

def timed_repair(pdf):
    started = time.perf_counter()
    result = repair(pdf)
    repaired.append(time.perf_counter() - started)
    return result

pdftext.repair = timed_repair

def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)

resolved = resolve(Path(sys.argv[1]), Options())
document = assemble(resolved, Options())
renderer, folder = Renderers()["pdf"], template_dir(resolved, "pdf")
renderer.prepare(folder, document.kind, document.profile)
started = time.perf_counter()
renderer.render(document, folder)
seconds = time.perf_counter() - started
print(sum(len(s) for s in strings(to_data(document))), seconds - sum(repaired), sum(repaired))
renderer.close()
"""


def _layout(project: Path, statement: Path) -> tuple[int, float, float]:
    done = subprocess.run([sys.executable, "-c", LAYOUT, str(statement)], cwd=project, check=True, capture_output=True, text=True)
    characters, layout, repair = done.stdout.split()
    return int(characters), float(layout), float(repair)


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


def _peak_kib(project: Path, args: list[str], command: list[str] | None = None) -> int:
    command = command or [*MMNPRESS, *args]
    done = subprocess.run([sys.executable, "-c", PEAK, *command], cwd=project, check=True, capture_output=True, text=True)
    return int(done.stdout.split()[-1])


def _import_time() -> float:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import mmnpress.commands.main"], capture_output=True, text=True, check=True)
    line = next(line for line in done.stderr.splitlines() if line.rstrip().endswith("| mmnpress.commands.main"))
    return int(line.split("|")[1]) / 1e6


def _s(seconds: float) -> str:
    return f"{seconds:.3f} s"


def _x(ratio: float) -> str:
    return f"{ratio:.2f}x"


def _print_table(rows: list[tuple[str, ...]], header: tuple[str, ...] = ("measure", "figure", "ratio", "target")) -> None:
    if len(rows[0]) > len(header):
        header = (*header, "target")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
