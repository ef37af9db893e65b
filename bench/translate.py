"""Measure translate export and import of a 2,000-segment statement, in each format.

    /work/venv/bin/python bench/translate.py [--segments 2000] [--runs 3]

The statement is the seed with its body repeated up to the number of segments
(every fifth paragraph cites a source); the import reads a file whose targets
were filled with a Thai word before each source (through polib for PO, the
export itself with targets for XLIFF and the Word file). Each figure is the
median of `--runs` runs of the command in a fresh process, in a temporary copy
of statements/, templates/ and bibliography/. Target: 2 s each.
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
TARGET = 2.0
COMMAND = [sys.executable, "-c", "import sys; from mmnpress.entry import run; sys.argv[0] = 'mmnpress'; run()"]


def statement(segments: int) -> str:
    """Return a statement with about `segments` translatable fields."""
    lines = ["kind: statement", "lang: en", "title: A long statement", "date: 2020-05-01", "organisation: mmn",
             "references: ../bibliography/mmn.json", "body:"]
    for index in range(segments - 1):
        cite = f" As the proposal says.[@tfamw2009, {index % 40 + 1}]" if index % 5 == 0 else ""
        lines.append(f"  - Paragraph {index}, migrant workers in the *Mekong* region need protection of their rights.{cite}")
    return "\n".join(lines) + "\n"


def timed(arguments: list[str], folder: Path, runs: int, before=lambda: None) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        environment = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
        done = subprocess.run([*COMMAND, *arguments], cwd=folder, capture_output=True, text=True, env=environment)
        if done.returncode:
            sys.exit(f"failed: {done.stderr[-2000:]}")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fill_po(path: Path) -> None:
    import polib

    po = polib.pofile(str(path), wrapwidth=0)
    for entry in po:
        entry.msgstr = "แปล " + entry.msgid
    po.save(str(path))


def fill_xliff(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"<source>(.*?)</source>", r"<source>\1</source><target state='translated'>แปล \1</target>", text, flags=re.S),
                    encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        for name in ("templates", "bibliography"):
            shutil.copytree(REPO / name, folder / name)
        (folder / "statements").mkdir()
        seed = folder / "statements" / "long.yaml"
        seed.write_text(statement(options.segments), encoding="utf-8")
        translation = folder / "statements" / "long.th.yaml"
        rows = []
        for fmt, suffix, fill in (("xliff", "xlf", fill_xliff), ("po", "po", fill_po)):
            out = folder / f"long.th.{suffix}"
            export = timed(["translate", "export", str(seed), "--lang", "th", "--format", fmt, "-o", str(out)], folder, options.runs)
            fill(out)
            imported = timed(["translate", "import", str(out)], folder, options.runs, lambda: translation.unlink(missing_ok=True))
            again = timed(["translate", "import", str(out)], folder, options.runs)
            rows.append((fmt, export, imported, again))
        print(f"{options.segments} segments, median of {options.runs} runs, each a fresh process (target {TARGET:.1f} s)")
        print(f"{'format':8} {'export':>8} {'import':>8} {'re-import':>10}")
        for fmt, export, imported, again in rows:
            print(f"{fmt:8} {export:7.2f}s {imported:7.2f}s {again:9.2f}s" + ("" if max(export, imported, again) <= TARGET else "  OVER TARGET"))


if __name__ == "__main__":
    main()
