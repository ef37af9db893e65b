"""The `mmnpress` console script: clean stops on Ctrl-C and SIGTERM, then the CLI.

Ctrl-C stays a KeyboardInterrupt (watch ends on it quietly) and SIGTERM becomes
one; either way the exception unwinds through the atomic writers, which remove
their temporary files, and no traceback is printed, even while modules load.
"""

from __future__ import annotations

import signal
import sys


def _terminate(signum, frame) -> None:
    raise KeyboardInterrupt


def _escape_what_the_terminal_cannot_show() -> None:
    """Write characters the terminal's encoding lacks (Thai on a latin-1 terminal) as escapes, not errors."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):  # replaced by a test runner, or already closed
            pass


def run() -> None:
    """Install the stop handlers before anything heavy is imported, then run the command line.

    A build or a check goes to the build server when one runs (see `client`).
    """
    signal.signal(signal.SIGTERM, _terminate)
    _escape_what_the_terminal_cannot_show()
    from .servers import client

    try:
        if client.enabled(sys.argv[1:]):
            served = client.hand_over(sys.argv[1:])
            if served is not None:
                _leave(served)
        from .commands.main import main

        main()
    except KeyboardInterrupt:
        from .errors import INTERRUPTED

        print(INTERRUPTED, file=sys.stderr)
        sys.exit(130)
    except SystemExit as done:
        code = exit_status(done.code)
        client.start_server_if_missing(sys.argv[1:], code)
        _leave(code)


def _leave(code) -> None:
    """Exit without tearing the interpreter down, which takes longer than a small build.

    Every output is already on disk (written, flushed and synced before its
    rename); exit handlers still run, so temporary folders are removed.
    """
    import atexit
    import os

    code = exit_status(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code)


def exit_status(code) -> int:
    """Return the exit status `sys.exit(code)` means, printing a message given instead of a number."""
    if isinstance(code, str):
        print(code, file=sys.stderr)
        return 1
    return code or 0
