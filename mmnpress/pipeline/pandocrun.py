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

        self.started = time.monotonic()
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
                raise pandoc_failure(self.errors.read().decode("utf-8", "replace"), code)
            return json.loads(self.output.read())


_BIBLIOGRAPHY_ERROR = re.compile(r"^Error reading bibliography file (.+):$")
_PARSEC_POSITION = re.compile(r"\(line (\d+), column (\d+)\):?\s*")


def pandoc_failure(stderr: str, code: int) -> MmnpressError:
    """Return pandoc's complaint as one short line, placed in the bibliography it names."""
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
        return RenderError("pandoc ran out of its 1 GiB of memory: the Markdown of the text is too intricate for it, "
                           "or a BibTeX bibliography's @string macros expand without end")
    return RenderError("pandoc failed: " + _shortened(lines[-1]))


def _shortened(text: str) -> str:
    """Return `text` on one line, cut so a file pandoc quotes never floods the terminal."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + " …"
