"""Run pandoc once, within its limits: the one-shot path of the text stage.

pandoc reads only the files named on its command line (`--sandbox`), its
heap is bounded (`PANDOC_SAFETY`), and a run past `PANDOC_SECONDS` is killed
and reported in one line; pandoc's own complaints come back as one short
line, placed in the bibliography they name (`pandoc_failure`). The
long-lived worker (`pandocworker`) keeps the same limits and messages.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from functools import lru_cache
from pathlib import Path

from ..errors import InputError, MmnpressError, Problem, RenderError, display_path


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    """Return the pandoc binary shipped by pypandoc-binary."""
    from importlib.util import find_spec

    spec = find_spec("pypandoc")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            candidate = Path(folder) / "files" / "pandoc"
            if candidate.is_file():
                return str(candidate)
    import shutil

    found = shutil.which("pandoc")
    if not found:
        raise RenderError("pandoc not found: install the package pypandoc-binary")
    return found


PANDOC_SECONDS = 60
# pandoc reads no file but those named on its command line (--sandbox), and its
# heap is bounded so a BibTeX @string bomb fails at once instead of eating memory.
PANDOC_SAFETY = ["+RTS", "-M1024m", "-RTS", "--sandbox"]
MAX_MESSAGE = 300


def kill_late(process: subprocess.Popen, late) -> None:
    """Kill a pandoc that ran out of time, and say so."""
    late.set()
    process.kill()


class PandocRun:
    """One pandoc process under way, its output going to a temporary file so it never blocks."""

    def __init__(self, command: list[str], data: bytes):
        import tempfile

        self.started, self.command = time.monotonic(), command
        self.output, self.errors = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=self.output, stderr=self.errors)
        try:
            self.process.stdin.write(data)
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # pandoc died at once; result() reports its error

    def result(self) -> dict:
        """Wait for pandoc (within PANDOC_SECONDS) and return the JSON it wrote."""
        import threading

        # A blocking wait returns the moment pandoc exits; wait(timeout) polls in steps of up to 50 ms.
        late = threading.Event()
        timer = threading.Timer(max(0.1, PANDOC_SECONDS - (time.monotonic() - self.started)), kill_late, (self.process, late))
        timer.daemon = True
        timer.start()
        try:
            code = self.process.wait()
        finally:
            timer.cancel()
        if late.is_set():
            raise RenderError(f"pandoc took longer than {PANDOC_SECONDS} s on this statement's text")
        with self.output, self.errors:
            self.output.seek(0)
            self.errors.seek(0)
            if code != 0:
                raise pandoc_failure(self.errors.read().decode("utf-8", "replace"), code, self.command)
            return json.loads(self.output.read())


_BIBLIOGRAPHY_ERROR = re.compile(r"^Error reading bibliography file (.+):$")
_PARSEC_POSITION = re.compile(r"\(line (\d+), column (\d+)\):?\s*")


def pandoc_failure(stderr: str, code: int, command: list[str] = ()) -> MmnpressError:
    """Return pandoc's complaint as one short line, placed in the bibliography it names; `command` tells what pandoc was doing."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()] or [f"exit status {code}"]
    for index, line in enumerate(lines):
        found = _BIBLIOGRAPHY_ERROR.match(line)
        if found:
            detail = " ".join(lines[index + 1:])
            position = _PARSEC_POSITION.search(detail)
            row, column = (int(position[1]), int(position[2])) if position else (1, 1)
            message = f"cannot read this bibliography: {_shortened(_PARSEC_POSITION.sub('', detail))}"
            return InputError([Problem(display_path(found[1]), row, column, message)])
    if any("Heap exhausted" in line for line in lines):
        return RenderError(f"pandoc ran out of its {_heap_limit()} of memory {_memory_cause(command)}")
    return RenderError("pandoc failed: " + _shortened(lines[-1]))


def _heap_limit() -> str:
    """Return pandoc's heap limit (PANDOC_SAFETY's -M) in words."""
    mebibytes = int(next(option for option in PANDOC_SAFETY if option.startswith("-M"))[2:].rstrip("m"))
    return f"{mebibytes // 1024} GiB" if mebibytes % 1024 == 0 else f"{mebibytes} MiB"


def _memory_cause(command: list[str]) -> str:
    """Return what pandoc was doing when it ran out of memory and the likely cause, from its command line."""
    if "--citeproc" not in command:
        return "reading the statement's Markdown: the text is too intricate for it (markup nested deeply or repeated very often)"
    named = [command[i + 1] for i, option in enumerate(command[:-1]) if option == "--bibliography"]
    bibtex = [display_path(name) for name in named if Path(name).suffix.lower() in (".bib", ".bibtex")]
    if bibtex:
        return f"formatting the citations: the @string macros of {', '.join(bibtex)} may expand without end"
    if named:
        return f"formatting the citations: {', '.join(display_path(name) for name in named)} may be too large or intricate for it"
    return "formatting the citations: the citations are too many or too intricate for it"


def _shortened(text: str) -> str:
    """Return `text` on one line, cut so a file pandoc quotes never floods the terminal."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + " …"
