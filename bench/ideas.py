"""Measure speedups that need changes outside the build/batch code, before asking for them.

    /work/venv/bin/python bench/ideas.py [--runs 10]

1. A long-lived pandoc (`pandoc lua` reading one request after another on stdin and
   running `pandoc.utils.citeproc`) against one pandoc process per text stage, as
   `text._pandoc` runs it now. Checks that both give the same blocks.
2. Merging runs in `text._split` without `dataclasses.replace` for every inline.

Both use the seed statement and mmnpress's own helpers, so the input is what a build sends.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "statements" / "2017-11-22-asean-consensus.yaml"
# One request: a line with a JSON header (the byte length of the Markdown and the options), then the Markdown.
WORKER = r"""
while true do
  local header = io.read("l")
  if not header then break end
  local request = pandoc.json.decode(header, false)
  local doc = pandoc.read(io.read(request.length), request.format)
  doc.meta.csl = request.csl
  doc.meta.bibliography = pandoc.List(request.bibliography)
  doc.meta.lang = request.lang
  if request.note_style then doc.meta["suppress-bibliography"] = true end
  local out = pandoc.write(pandoc.utils.citeproc(doc), "json")
  io.write(#out, "\n", out)
  io.stdout:flush()
end
"""


def main() -> None:
    """Print the timings of both ideas."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    markdown, options = _seed_request()
    _persistent_pandoc(markdown, options, runs)
    _merge_without_replace(markdown, options, runs)


def _seed_request():
    from mmnpress import text
    from mmnpress.assemble import Options, resolve

    resolved = resolve(SEED, Options())
    statement = resolved.statement
    markdown = text._joined_markdown(statement.texts(), statement.notes, "ZqBench")
    return markdown, (resolved.style, resolved.bibliographies, statement.lang, resolved.note_style)


def _persistent_pandoc(markdown: str, options, runs: int) -> None:
    from mmnpress import text

    style, bibliographies, lang, note_style = options
    once = [_timed(lambda: text._pandoc(markdown, *options)) for _ in range(runs)]
    expected = text._pandoc(markdown, *options)["blocks"]
    header = json.dumps({"length": len(markdown.encode()), "format": text.MARKDOWN, "csl": str(style),
                         "bibliography": [str(b) for b in bibliographies], "lang": lang, "note_style": note_style})
    times, same = _worker_session(text.pandoc_path(), header, markdown, runs, expected)
    print(f"pandoc per text stage: median {statistics.median(once):.3f} s (one process each, as now)")
    print(f"pandoc kept running:   first {times[0]:.3f} s, then median {statistics.median(times[1:]):.3f} s; same blocks: {same}")


def _worker_session(pandoc: str, header: str, markdown: str, runs: int, expected) -> tuple[list[float], bool]:
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WORKER)
    worker = subprocess.Popen([pandoc, "lua", script.name], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL)
    times, same = [], True
    try:
        for _ in range(runs + 1):
            started = time.perf_counter()
            worker.stdin.write(header.encode() + b"\n" + markdown.encode())
            worker.stdin.flush()
            length = int(worker.stdout.readline())
            blocks = json.loads(worker.stdout.read(length))["blocks"]
            times.append(time.perf_counter() - started)
            same = same and blocks == expected
    finally:
        worker.stdin.close()
        worker.wait()
        Path(script.name).unlink()
    return times, same


def _merge_without_replace(markdown: str, options, runs: int) -> None:
    from mmnpress import text

    blocks = text._pandoc(markdown, *options)["blocks"]
    now = [_timed(lambda: text._split(blocks, "ZqBench")) for _ in range(runs)]
    expected = text._split(blocks, "ZqBench")
    original, text._merge = text._merge, _fast_merge
    try:
        faster = [_timed(lambda: text._split(blocks, "ZqBench")) for _ in range(runs)]
        same = text._split(blocks, "ZqBench") == expected
    finally:
        text._merge = original
    print(f"text._split as now: median {statistics.median(now):.4f} s; merging by flag tuples: "
          f"{statistics.median(faster):.4f} s; same result: {same}")


def _flags():
    import operator

    from mmnpress.document import Run

    return operator.attrgetter(*(f.name for f in dataclasses.fields(Run) if f.name != "text"))


def _fast_merge(inlines):
    """Merge neighbouring runs with equal flags, comparing flag tuples instead of building copies."""
    from mmnpress.document import Run

    flags_of = _flags()
    merged, texts, last = [], [], None
    for inline in inlines:
        if not isinstance(inline, Run):
            merged.append(inline)
            texts.append(None)
            last = None
        elif (flags := flags_of(inline)) == last:
            texts[-1] += inline.text
        elif inline.text:
            merged.append(inline)
            texts.append(inline.text)
            last = flags
    return tuple(m if t is None or t == m.text else dataclasses.replace(m, text=t) for m, t in zip(merged, texts, strict=True))


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
