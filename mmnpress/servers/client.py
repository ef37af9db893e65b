"""Hand `mmnpress build` (and `check`) to this installation's build server, and start one when none runs.

Most of a small build is getting ready: starting Python, importing the
pipeline, loading fonts, starting pandoc. The build server
(`mmnpress.servers.server`) does that once and then runs the builds handed to it.
Users never see it:

- a build that finds no server builds in its own process, as always, then
  starts one in the background; `init` and `new` start one too, as a build
  usually follows them;
- a later build connects to it and passes its command line, working folder,
  environment, umask and standard streams (the file descriptors themselves):
  what it prints, writes and exits with is what the command would have
  printed, written and exited with;
- the server runs builds only for exactly its own code (`installation`): a
  build from changed code or packages makes it end, and builds itself;
- a server busy with another build is not waited for: the command builds itself;
- Ctrl-C and SIGTERM reach the server's build, which stops as the command's
  own would (nothing half-written), and the server ends;
- a server that is not ready for the build within `FIRST_ANSWER_SECONDS`
  (stopped, say, by SIGSTOP) is left alone: the command builds itself; one
  that does not confirm an interrupt within `INTERRUPT_GRACE_SECONDS` is not
  waited for either, and a second Ctrl-C stops waiting at once;
- it ends after `MMNPRESS_SERVER_IDLE` seconds without a build (default 300);
  `MMNPRESS_SERVER=off` turns it off.

The socket is in a folder only the user may open (`$XDG_RUNTIME_DIR/mmnpress`,
else `mmnpress-<uid>` in the temporary folder), and the server answers only
its own user. This module imports little: it runs before every build.
"""

from __future__ import annotations

import os
import sys

SWITCH = "MMNPRESS_SERVER"
SERVED = ("build", "check", "site")  # the commands worth handing over: the others are long-running or seldom run
BUILD_FOLLOWS = ("init", "new")  # commands a build usually follows: a server gets ready for it meanwhile
_OFF = ("0", "off", "no", "false")
FIRST_ANSWER_SECONDS = 5.0  # a live server says it started at once: its main thread only waits for builds
INTERRUPT_GRACE_SECONDS = 5.0
_START_AFTER: list[str] = []  # the address of a server to start once this command is done


def enabled(argv: list[str]) -> bool:
    """Tell whether the command line `argv` (without the program name) may go to a build server."""
    return bool(argv) and argv[0] in SERVED and _switched_on()


def _switched_on() -> bool:
    """Tell whether build servers may run here: not turned off, and a system with Unix sockets."""
    if os.environ.get(SWITCH, "").strip().lower() in _OFF:
        return False
    import socket

    return hasattr(socket, "send_fds")


def hand_over(argv: list[str]) -> int | None:
    """Run the command line `argv` in the build server; return its exit status, or None to run it in this process."""
    import socket

    from . import protocol

    address = protocol.address()
    if address is None:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(FIRST_ANSWER_SECONDS)  # a stopped server's full queue would block connect and send
    try:
        connection.connect(address)
        protocol.send_request(connection, _request(argv))
    except TimeoutError:
        connection.close()
        _say_not_answering()
        return None
    except OSError:
        connection.close()
        _START_AFTER[:] = [address]
        return None
    with connection:
        return _status(connection, address)


def _request(argv: list[str]) -> dict:
    """Return what the server needs to run `argv` as this process would."""
    from ..installation import fingerprint

    umask = os.umask(0o022)
    os.umask(umask)
    return {"fingerprint": fingerprint(), "argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "umask": umask,
            "encodings": [getattr(stream, "encoding", None) or "utf-8" for stream in (sys.stdout, sys.stderr)]}


def _status(connection, address: str) -> int | None:
    """Wait for the server's answer, passing Ctrl-C and SIGTERM on; return the build's exit status or None.

    None also when the server is not ready for the build in time: the
    command then builds in its own process.
    """
    import signal
    import time

    from . import protocol

    interrupted: list[float] = []

    def pass_on(signum, frame) -> None:
        if interrupted:
            raise KeyboardInterrupt  # a second Ctrl-C: stop waiting for the server
        interrupted.append(time.monotonic())
        try:
            connection.sendall(protocol.INTERRUPT)
        except OSError:
            pass

    started = time.monotonic()

    def deadline(begun: bool) -> float | None:
        if interrupted:
            return interrupted[0] + INTERRUPT_GRACE_SECONDS
        return None if begun else started + FIRST_ANSWER_SECONDS

    previous = {signum: signal.signal(signum, pass_on) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        answer = _next_answer(connection, lambda: deadline(False))
        if answer is not None and answer.get("ready") and not interrupted:
            answer = _hand_streams(connection) or _next_answer(connection, lambda: deadline(True))
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if answer is not None and "status" in answer:
        return answer["status"]
    if interrupted:
        from ..errors import INTERRUPTED  # only now: the client's path stays free of the errors module's imports

        print(INTERRUPTED, file=sys.stderr)
        return 130
    if answer is None:
        _say_not_answering()
        return None
    if answer.get("refused") != "busy":  # it runs other code, or it ended without answering: start a new one after
        _START_AFTER[:] = [address]
    return None


def _hand_streams(connection) -> dict | None:
    """Send the standard streams to the ready server; return {} if it is gone, else None (go on waiting)."""
    from . import protocol

    try:
        protocol.send_streams(connection)
    except OSError:
        return {}
    return None


def _next_answer(connection, deadline) -> dict | None:
    """Return the server's next message ({} when it ended without one), or None if `deadline()` passed first."""
    import select
    import time

    from . import protocol

    while True:
        until = deadline()
        wait = None if until is None else until - time.monotonic()
        if wait is not None and wait <= 0:
            return None
        readable, _, _ = select.select([connection], [], [], 0.25 if wait is None else min(wait, 0.25))  # wakes to see a Ctrl-C
        if readable:
            connection.settimeout(FIRST_ANSWER_SECONDS)  # a server stopped inside its message: give up on it
            return protocol.receive_answer(connection)


def _say_not_answering() -> None:
    """Say why this build runs in the command's own process (the server's address stays taken)."""
    print(f"mmnpress: the build server did not answer within {FIRST_ANSWER_SECONDS:g} s; building in this process", file=sys.stderr)


def start_server_if_missing(argv: list[str], status: int) -> None:
    """Start a build server in the background when this command found none, or made a project or statement.

    Called once the command is done. The server is given this command line
    and working folder, to get ready for the next build of the same
    statement (see `server`). Asking for help (`init --help`) starts none.
    """
    if _asks_for_help(argv):
        return
    if not _START_AFTER and argv[:1] and argv[0] in BUILD_FOLLOWS and status == 0 and _switched_on():
        _start_after_if_none_answers()
    if not _START_AFTER:
        return
    import subprocess

    try:
        subprocess.Popen([sys.executable, "-P", "-m", "mmnpress.servers.server", _START_AFTER[0], *argv],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    except OSError:
        pass  # no server: builds go on in their own process


def _asks_for_help(argv: list[str]) -> bool:
    """Tell whether the command line `argv` only asks for help (`-h` or `--help` before any `--`)."""
    options = argv[: argv.index("--")] if "--" in argv else argv
    return "--help" in options or "-h" in options


def _start_after_if_none_answers() -> None:
    """Mark a server to be started if none listens at this installation's address."""
    import socket

    from . import protocol

    address = protocol.address()
    if address is None:
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(address)
        except OSError:
            _START_AFTER[:] = [address]
