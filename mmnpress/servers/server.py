"""The build server: one process, ready to build, that runs the `mmnpress build` and `check` commands handed to it.

    python -P -m mmnpress.servers.server SOCKET [build ARGS...]    (started by `client`, never by hand)

It imports the pipeline, loads the fonts and keeps the renderers and one
long-lived pandoc, as `watch` does. It renders, writing nothing, the first
statement of the build that started it (`build ARGS`, in the folder it was
started in), so the next build of that statement finds its templates open
and its layout known. Then it runs each command handed over
(see `client`) in its own main thread, as that command's process would:
in the client's working folder, with its environment, umask, standard
streams and command line. It builds one statement set at a time; a client
arriving meanwhile is told it is busy and builds itself.

It never serves a stale result: every input is read afresh at each build
(what is kept in memory is keyed by content or by file stamps, as in
`watch`), citations formatted in memory by an earlier command are
forgotten, and a client running other code (`installation.fingerprint`)
makes it end. It ends too after `MMNPRESS_SERVER_IDLE` seconds without a
request (default 300), after a build that was interrupted or failed
unexpectedly, when it grew past `MAX_RESIDENT_BYTES`, or on SIGTERM.
"""

from __future__ import annotations

import io
import os
import queue
import signal
import socket
import sys
import threading
import time
from contextlib import contextmanager

from ..errors import INTERRUPTED
from . import protocol

IDLE_SECONDS = 300
STREAMS_SECONDS = 10  # for a client to send its standard streams once told the server is ready
MAX_RESIDENT_BYTES = 512 * 1024 * 1024  # a long statement's PDF: end and give the memory back


def main() -> None:
    """Serve builds on the socket named on the command line until idle."""
    address, command = sys.argv[1], sys.argv[2:]
    signal.signal(signal.SIGINT, signal.default_int_handler)  # may have been ignored by whoever started it
    signal.signal(signal.SIGTERM, _stop)
    lock = _sole_server(address)
    if lock is None:
        return  # another server serves this address, or is about to
    from ..pipeline import pandocworker
    from ..render import Renderers

    renderers = Renderers()
    try:
        from ..installation import fingerprint

        code = fingerprint()
        _warm_up(renderers)
        _rehearse(command, renderers)
        listener = _listening(address)
        try:
            Server(listener, code, renderers).serve(_idle_seconds())
        finally:
            _remove_socket(address, listener)
    except KeyboardInterrupt:
        pass
    finally:
        renderers.close()  # their build folders
        pandocworker.stop()
        _release(address, lock)
    os._exit(0)  # no interpreter teardown: nothing is left to flush


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def _idle_seconds() -> float:
    try:
        return max(0.1, float(os.environ.get("MMNPRESS_SERVER_IDLE", IDLE_SECONDS)))
    except ValueError:
        return IDLE_SECONDS


def _sole_server(address: str) -> int | None:
    """Return an open lock (holding this process's id) that only one server of `address` holds; None if another keeps it for 5 s.

    A server that ends removes its lock file (`_release`), so a lock taken on
    a file that is no longer at its path is let go and taken again on the new one.
    """
    import fcntl

    deadline = time.monotonic() + 5  # a stale server ending gives its lock up at once
    while True:
        lock = os.open(address + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            if time.monotonic() > deadline:
                return None
            time.sleep(0.05)
            continue
        if _still_at(address + ".lock", lock):
            os.ftruncate(lock, 0)
            os.write(lock, f"{os.getpid()}\n".encode())  # who serves, for whoever wants to stop it
            return lock
        os.close(lock)  # its server removed it as it ended: lock the file now at the path


def _still_at(path: str, fd: int) -> bool:
    """Tell whether the open file `fd` is still the file at `path`."""
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (opened.st_dev, opened.st_ino)


def _release(address: str, lock: int) -> None:
    """Remove the lock file, still holding it (so no other server takes it meanwhile), then let it go."""
    try:
        os.unlink(address + ".lock")
    except OSError:
        pass
    os.close(lock)


def _warm_up(renderers) -> None:
    """Import the pipeline, load the fonts, start pandoc's worker, and make `renderers` those every build shares."""
    from .. import render
    from ..build import warm_up
    from ..commands import main  # noqa: F401 - imported now, not in a client's build
    from ..fonts import typst_fonts
    from ..pipeline import pandocworker

    warm_up(render.DEFAULT_FORMATS).join()
    typst_fonts()
    pandocworker.start()
    render.keep(renderers)
    _start_resource_tracker()


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker now, with the server's own (null) standard streams.

    A build's process pool starts it on first use, and it lives as long as the
    server: started inside a client's build, it would hold that client's output
    streams open for minutes after the command ended.
    """
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()


def _rehearse(command: list[str], renderers) -> None:
    """Render the first statement `command` builds, writing nothing; then leave its folder. A problem is the build's to report."""
    from ..build import render_resolved, resolve_request
    from ..commands.main import requests_of

    try:
        requests = requests_of(command) if command[:1] == ["build"] else []
        if requests:
            render_resolved(requests[0], resolve_request(requests[0]), renderers)
            renderers.ready_again()
    except Exception:  # noqa: BLE001 - bad input, or a command line click refuses: the next build says so
        pass
    os.chdir("/")


def _listening(address: str) -> socket.socket:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        os.unlink(address)  # left by a server that was killed: this one holds the lock now
    except FileNotFoundError:
        pass
    old_umask = os.umask(0o177)
    try:
        listener.bind(address)
    finally:
        os.umask(old_umask)
    listener.listen(8)
    return listener


def _remove_socket(address: str, listener: socket.socket) -> None:
    """Remove the socket file (still this server's: no other binds it before the lock is released)."""
    listener.close()
    try:
        os.unlink(address)
    except OSError:
        pass


class Server:
    """Accept clients in a thread; run their builds one at a time in the main thread."""

    def __init__(self, listener: socket.socket, code: str, renderers) -> None:
        self.listener, self.code, self.renderers = listener, code, renderers
        self.waiting: queue.Queue[socket.socket] = queue.Queue()
        self.busy = threading.Event()  # set from a client's acceptance to the end of its build

    def serve(self, idle: float) -> None:
        """Run handed-over builds until none came for `idle` seconds or one asks the server to end."""
        threading.Thread(target=self._accept, name="mmnpress-accept", daemon=True).start()
        while True:
            try:
                connection = self.waiting.get(timeout=idle)
            except queue.Empty:
                return
            with connection:
                go_on = self.answer(connection)
            self.busy.clear()
            if not go_on or _resident_bytes() > MAX_RESIDENT_BYTES:
                return
            self.renderers.ready_again()

    def _accept(self) -> None:
        """Pass each client to the main thread, or tell it the server is busy."""
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return  # the server is ending
            if not _same_user(connection):
                connection.close()
            elif self.busy.is_set():
                _refuse(connection, "busy")
            else:
                self.busy.set()
                self.waiting.put(connection)

    def answer(self, connection: socket.socket) -> bool:
        """Run the build `connection` asks for and send its exit status; return whether to go on serving."""
        try:
            request = protocol.receive_request(connection)
            if request.get("fingerprint") != self.code:
                _refuse(connection, "stale")
                return False
            streams = _streams(connection)
        except (OSError, ValueError, EOFError):
            return True
        if streams is None:
            return True
        try:
            status, go_on = _run_as_client(connection, request, streams)
        finally:
            for fd in streams:
                os.close(fd)
        try:
            protocol.send_answer(connection, {"status": status})
        except OSError:
            pass  # the client is gone; its build ended as it would have
        return go_on


def _streams(connection: socket.socket) -> list[int] | None:
    """Say the server is ready and return the client's standard streams; None when it gave up or was interrupted first."""
    if _given_up(connection):
        return None
    protocol.send_answer(connection, {"ready": True})
    connection.settimeout(STREAMS_SECONDS)  # a client that vanished meanwhile
    try:
        return protocol.receive_streams(connection)
    finally:
        connection.settimeout(None)


def _given_up(connection: socket.socket) -> bool:
    """Tell whether the client left or was interrupted before its build began (it builds itself, or stopped)."""
    try:
        heard = connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return False
    except OSError:
        return True
    return heard in (b"", protocol.INTERRUPT)


def _same_user(connection: socket.socket) -> bool:
    """Tell whether the process at the other end runs as this user (where the system says; else the folder's rights do)."""
    import struct

    if not hasattr(socket, "SO_PEERCRED"):
        return True  # only this user can open the socket's folder
    try:
        credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return False
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid == os.getuid()


def _refuse(connection: socket.socket, why: str) -> None:
    try:
        protocol.send_answer(connection, {"refused": why})
    except OSError:
        pass
    connection.close()


def _run_as_client(connection: socket.socket, request: dict, streams: list[int]) -> tuple[int, bool]:
    """Run the request's command line as the client's process would; return its exit status and whether to go on."""
    from ..commands.main import main as command_line
    from ..entry import exit_status
    from ..pipeline import citations

    citations.forget()
    watcher = _Hangup(connection)
    with _as_client(request, streams):
        watcher.start()
        try:
            command_line.main(args=list(request["argv"]), prog_name="mmnpress")
            status, go_on = 0, True
        except SystemExit as done:
            status, go_on = exit_status(done.code), True
        except KeyboardInterrupt:  # before the command's own handler was in place
            print(INTERRUPTED, file=sys.stderr)
            status, go_on = 130, False
        except BaseException:  # noqa: BLE001 - a bug of ours: say so as the command would, then end
            import traceback

            traceback.print_exc()
            status, go_on = 1, False
        finally:
            watcher.finish()
    return status, go_on and not watcher.interrupted


@contextmanager
def _as_client(request: dict, streams: list[int]):
    """Take on the client's working folder, environment, umask, standard streams and command line, then give them back."""
    saved_streams = [os.dup(fd) for fd in protocol.STANDARD_STREAMS]
    saved = (os.getcwd(), dict(os.environ), sys.argv, sys.stdin, sys.stdout, sys.stderr)
    umask = os.umask(request["umask"])
    try:
        for fd, target in zip(streams, protocol.STANDARD_STREAMS, strict=True):
            os.dup2(fd, target)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        sys.argv = ["mmnpress", *request["argv"]]
        sys.stdin = _text_stream(0, "r", "utf-8")
        sys.stdout, sys.stderr = (_text_stream(fd, "w", encoding) for fd, encoding in zip((1, 2), request["encodings"], strict=True))
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        cwd, environment, sys.argv, sys.stdin, sys.stdout, sys.stderr = saved
        for fd, target in zip(saved_streams, protocol.STANDARD_STREAMS, strict=True):
            os.dup2(fd, target)
            os.close(fd)
        os.umask(umask)
        os.environ.clear()
        os.environ.update(environment)
        time.tzset()
        os.chdir(cwd)


def _text_stream(fd: int, mode: str, encoding: str) -> io.TextIOWrapper:
    """Return a text stream on `fd` as the client's interpreter opened it (errors escaped, as `entry` sets them)."""
    raw = open(fd, mode + "b", buffering=0 if mode == "w" else -1, closefd=False)  # noqa: SIM115 - closed by the caller
    buffered = io.BufferedWriter(raw) if mode == "w" else raw
    return io.TextIOWrapper(buffered, encoding=encoding, errors="backslashreplace", line_buffering=os.isatty(fd))


class _Hangup(threading.Thread):
    """Interrupt the build running in the main thread when its client asks (Ctrl-C) or goes away."""

    def __init__(self, connection: socket.socket) -> None:
        super().__init__(name="mmnpress-hangup", daemon=True)
        self.connection = connection
        self.lock = threading.Lock()
        self.finished = False
        self.interrupted = False

    def run(self) -> None:
        try:
            heard = self.connection.recv(1)
        except OSError:
            heard = b""
        with self.lock:
            if not self.finished and heard in (b"", protocol.INTERRUPT):
                self.interrupted = True
                os.kill(os.getpid(), signal.SIGINT)

    def finish(self) -> None:
        """Stop listening: the build ended."""
        with self.lock:
            self.finished = True
        try:
            self.connection.shutdown(socket.SHUT_RD)
        except OSError:
            pass
        self.join()


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


if __name__ == "__main__":
    main()
