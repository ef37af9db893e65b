"""Run the real command line in a subprocess and judge how it failed.

A hostile input must end in one of two ways: outputs built, or exit status 2
with one ``FILE:LINE:COLUMN: message`` line per problem (or, for failures with
no place in a file, one plain ``mmnpress``-style line) and never a traceback
or an ``internal error``.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

POSITIONED = re.compile(r"^[^\n]+?:\d+:\d+: \S")


@dataclass
class Run:
    """What one command line run printed, its exit status, how long it took and the processor time it used."""

    status: int
    stdout: str
    stderr: str
    seconds: float
    cpu: float = 0.0  # user + system time of the command and of the processes it waited for (pandoc)

    @property
    def lines(self) -> list[str]:
        """Return the non-empty lines printed (`check` reports on stdout, `build` on stderr)."""
        return [line for line in (self.stderr + "\n" + self.stdout).splitlines() if line.strip()]


def mmnpress(*args: str | Path, cwd: Path, timeout: float = 120, env: dict | None = None, prelude: str = "") -> Run:
    """Run ``mmnpress ARGS`` in `cwd` as a separate process and return what happened.

    `prelude` is Python run first in that process (to lower a time limit, say).
    """
    import resource

    command = [*_entry_point(prelude), *map(str, args)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Run(done.returncode, done.stdout, done.stderr, seconds, cpu)


def assert_fast(run: Run, limit: float) -> None:
    """Assert the command used under `limit` seconds of processor time and did not sit waiting for long.

    Processor time, not the clock: where the tests run side by side on few
    cores, the clock also counts the others' work. A command that waits (on a
    FIFO, a lock) uses no processor time; the clock bounds that, with room for
    load: five times the limit.
    """
    assert run.cpu < limit, f"used {run.cpu:.2f} s of processor time (limit {limit} s)"
    assert run.seconds < 5 * limit, f"took {run.seconds:.2f} s on the clock"


def start_at_entry_point(args: list[str], cwd: Path) -> subprocess.Popen:
    """Start ``mmnpress ARGS`` in `cwd`; return once its interpreter is up and about to call the entry point.

    A signal sent before that would hit Python's own start-up, which no program
    can handle; on a busy machine that start-up alone can take longer than the
    delays the interrupt tests wait.
    """
    marker = cwd / "entry-point-reached"
    marker.unlink(missing_ok=True)
    process = subprocess.Popen([*_entry_point(f"open({str(marker)!r}, 'w').close()"), *args], cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    return process


def _entry_point(prelude: str = "") -> list[str]:
    """Return the installed `mmnpress` script, or Python calling the same entry point."""
    script = Path(sys.executable).parent / "mmnpress"
    if script.is_file() and not prelude:
        return [str(script)]
    code = f"import sys; {prelude or 'pass'}; from mmnpress.entry import run; sys.argv[0] = 'mmnpress'; run()"
    return [sys.executable, "-c", code]


def assert_no_traceback(run: Run) -> None:
    """Fail if the run printed a traceback or an internal error."""
    for text in (run.stdout, run.stderr):
        assert "Traceback" not in text, text
        assert "internal error" not in text, text


def assert_clean_failure(run: Run, *, positioned: bool = True, expect: str | None = None) -> None:
    """Assert exit status 2, no traceback, and (by default) only FILE:LINE:COLUMN lines.

    `expect`, when given, must occur in what was printed (case-insensitive).
    """
    assert_no_traceback(run)
    assert run.status == 2, f"exit {run.status}\nstdout: {run.stdout}\nstderr: {run.stderr}"
    assert run.lines, "a failure must say what went wrong"
    if positioned:
        bad = [line for line in run.lines if not POSITIONED.match(line)]
        assert not bad, f"lines without FILE:LINE:COLUMN: {bad}"
    if expect is not None:
        assert expect.lower() in "\n".join(run.lines).lower(), run.lines


def assert_positioned_lines(lines: list[str]) -> None:
    """Assert that every line names a file, a line and a column."""
    bad = [line for line in lines if not POSITIONED.match(line)]
    assert not bad, f"lines without FILE:LINE:COLUMN: {bad}"


@contextlib.contextmanager
def running_preview(statement: Path, cwd: Path) -> Iterator[str]:
    """Start `mmnpress preview STATEMENT --no-browser` in `cwd`; yield the address it printed (with its token); stop it with Ctrl-C."""
    from tests.conftest import REPO

    process = subprocess.Popen(
        [sys.executable, "-c", "from mmnpress.entry import run; run()", "preview", str(statement), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        yield preview_address(process)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=20)
        finally:
            if process.poll() is None:  # did not stop: fail without leaving it running
                process.kill()
                process.communicate()


def preview_address(process: subprocess.Popen) -> str:
    """Read a running `mmnpress preview`'s output up to the address it prints; return it (with its token)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if "http://127.0.0.1:" in line:
            address = line[line.index("http://"):].split()[0]
            assert "/?token=" in address, address  # a browser gets in with the printed token only
            return address
        if process.poll() is not None:
            raise AssertionError(f"preview exited: {line}{process.stdout.read()}")
    raise AssertionError("preview printed no address within 60 s")
