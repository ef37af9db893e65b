"""One long-lived pandoc for commands that build again and again.

`watch`, `preview` and batch builds run the text stage once per statement and
per save. A fresh pandoc process costs about 0.1 s to start before it does
anything; a `pandoc lua` process running `pandoc_worker.lua` takes the same
requests (the options and input of the one-shot command) one after another
and answers a parse in a few hundredths of a second.

The worker keeps every guarantee of the one-shot path (`pandocrun.PandocRun`):

- the same output: the script runs pandoc's own reader, citeproc and writer
  with the same options, and keeps nothing from one request to the next;
- the same limits: the heap limit of `PANDOC_SAFETY` on the worker process,
  and the time limit per request: a request past it kills the worker, is
  reported as the one-shot path reports it, and the next request starts a
  new worker;
- the same messages: pandoc's error text goes through `pandocrun.pandoc_failure`;
  when the worker dies on a request (out of memory, killed), the request
  runs once more as a one-shot pandoc, which succeeds or fails as it would
  have without the worker;
- reading only the files named: the Markdown is read sandboxed; citeproc
  reads the style and bibliographies it is given (the text stage checks
  them first, as for the one-shot path).

A plain `mmnpress build` of one statement keeps the one-shot path: starting
the worker costs as much as it saves there. `kept()` turns the worker on for
a command's lifetime; a request made while another is unanswered (another
thread) runs one-shot.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import RenderError
from . import pandocrun

SCRIPT = Path(__file__).with_name("pandoc_worker.lua")
_STATE = threading.Lock()
_WORKER: Worker | None = None
_USERS = 0


@contextmanager
def kept() -> Iterator[None]:
    """Answer the text stage's pandoc requests with one long-lived pandoc until the block ends."""
    start()
    try:
        yield
    finally:
        stop()


def start() -> None:
    """Use the long-lived pandoc from now on (until as many `stop` calls as `start` calls)."""
    global _WORKER, _USERS
    with _STATE:
        _USERS += 1
        if _WORKER is None:
            _WORKER = Worker()


def stop() -> None:
    """Stop using the long-lived pandoc; end it when no one uses it any more."""
    global _WORKER, _USERS
    with _STATE:
        _USERS = max(0, _USERS - 1)
        worker = _WORKER if _USERS == 0 else None
        if worker is not None:
            _WORKER = None
    if worker is not None:
        worker.close()


def run(command: list[str], data: bytes):
    """Start `command` (a one-shot pandoc command line) on `data`: in the worker when kept and free, else one-shot.

    Returns an object whose `result()` gives pandoc's JSON output or raises as `pandocrun.PandocRun` does.
    """
    worker = _WORKER
    if worker is not None:
        request = worker.ask(command, data)
        if request is not None:
            return request
    return pandocrun.PandocRun(command, data)


class Worker:
    """A `pandoc lua` process answering requests one at a time, started again when it died."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.asked = 0
        self.busy: Request | None = None
        self.lock = threading.Lock()

    def ask(self, command: list[str], data: bytes) -> Request | None:
        """Send one request; return None when another one is still unanswered."""
        if not self.lock.acquire(blocking=False):
            return None
        try:
            if self.busy is not None and self.busy.thread != threading.get_ident():
                return None  # another thread's build is waiting for its answer
            if self.busy is not None:
                self._end()  # this thread left a request unanswered: its answer must never be read as another's
                self.busy = None
            try:
                line = json.dumps({"id": self.asked + 1, "args": _options(command), "input": data.decode("utf-8")})
            except UnicodeDecodeError:
                return None  # pandoc itself says what is wrong with it
            process = self._running()
            self.asked += 1
            request = Request(self, process, self.asked, command, data)
            try:
                process.stdin.write(line.encode("utf-8") + b"\n")
                process.stdin.flush()
            except OSError:
                pass  # the worker died; the request reports how
            self.busy = request
            return request
        finally:
            self.lock.release()

    def _running(self) -> subprocess.Popen:
        """Return the worker process, starting one if there is none or it ended."""
        if self.process is None or self.process.poll() is not None:
            self._end()
            rts = pandocrun.PANDOC_SAFETY[:pandocrun.PANDOC_SAFETY.index("-RTS") + 1]
            self.process = subprocess.Popen([pandocrun.pandoc_path(), *rts, "lua", str(SCRIPT)], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return self.process

    def answered(self, request: Request) -> None:
        """Mark `request` answered, so the next one may be sent."""
        with self.lock:
            if self.busy is request:
                self.busy = None

    def kill(self, request: Request) -> None:
        """End the worker (out of time, or its answer made no sense); the next request starts another."""
        with self.lock:
            if request.process is self.process:
                self._end()
            self.busy = None

    def close(self) -> None:
        """End the worker: close its input (it exits when it has read everything), kill it if it does not."""
        with self.lock:
            self._end(gently=True)

    def _end(self, gently: bool = False) -> None:
        process, self.process = self.process, None
        if process is not None:
            if gently:
                try:
                    process.stdin.close()
                    process.wait(timeout=1)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            if process.poll() is None:
                process.kill()
                process.wait()
            for stream in (process.stdin, process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass


def _options(command: list[str]) -> list[str]:
    """Return the options of a one-shot pandoc command after the binary and its safety options, file names absolute."""
    options = command[1 + len(pandocrun.PANDOC_SAFETY):]
    return [os.path.abspath(value) if index and options[index - 1] in _FILE_OPTIONS else value
            for index, value in enumerate(options)]


_FILE_OPTIONS = ("--csl", "--bibliography")


class Request:
    """One request sent to the worker; `result()` waits for its answer within the time limit."""

    def __init__(self, worker: Worker, process: subprocess.Popen, number: int, command: list[str], data: bytes):
        self.worker, self.process, self.number = worker, process, number
        self.command, self.data = command, data
        self.started = time.monotonic()
        self.thread = threading.get_ident()

    def result(self) -> dict:
        """Return pandoc's JSON output; raise the errors the one-shot path raises."""
        late = threading.Event()
        limit = max(0.1, pandocrun.PANDOC_SECONDS - (time.monotonic() - self.started))
        timer = threading.Timer(limit, pandocrun.kill_late, (self.process, late))
        timer.daemon = True
        timer.start()
        try:
            answer = self._answer()
        finally:
            timer.cancel()
        if late.is_set():
            self.worker.kill(self)
            raise RenderError(f"pandoc took longer than {pandocrun.PANDOC_SECONDS} s on this statement's text")
        if answer is None:  # the worker died (out of memory, killed) or answered out of turn: pandoc once more, alone
            self.worker.kill(self)
            return pandocrun.PandocRun(self.command, self.data).result()
        self.worker.answered(self)
        status, payload = answer
        if status != "ok":
            raise pandocrun.pandoc_failure(payload.decode("utf-8", "replace"), 1, self.command)
        return json.loads(payload)

    def _answer(self) -> tuple[str, bytes] | None:
        """Read the answer to this request: its status and payload; None when the worker ended first."""
        try:
            head = self.process.stdout.readline().split()
            if len(head) != 3 or head[0] != str(self.number).encode() or head[1] not in (b"ok", b"error"):
                return None
            payload = self.process.stdout.read(int(head[2]))
        except (OSError, ValueError):
            return None
        return (head[1].decode(), payload) if len(payload) == int(head[2]) else None


def worker_pid() -> int | None:
    """Return the process id of the running worker (None without one), for tests."""
    worker = _WORKER
    process = worker.process if worker is not None else None
    return process.pid if process is not None and process.poll() is None else None
