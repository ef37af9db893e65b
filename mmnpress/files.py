"""Files: where a path really leads, and writing output files safely."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import MmnpressError, display_path


def inside(path: Path, folder: Path) -> bool:
    """Tell whether `path`, with symlinks resolved, lies inside `folder` (never when they loop)."""
    target, base = resolved(path), resolved(folder)
    return target is not None and base is not None and target.is_relative_to(base)


def resolved(path: Path) -> Path | None:
    """Return `path` with symlinks resolved, or None when they loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop, 3.13 OSError
        return None


class WriteError(MmnpressError):
    """Raise when an output file cannot be written; the message is one line naming it."""


def write_atomically(out_path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `out_path`, then rename it into place.

    Readers see either the old file or the new one, never a partial file;
    an interrupted write leaves the old file untouched. The data reaches the
    disk before the rename, so a crash cannot leave an empty file behind.
    """
    made: dict[Path, str] = {}
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        _temporary(out_path, data, made)
        os.replace(made[out_path], out_path)
    except BaseException as error:
        _remove(list(made.values()))
        if isinstance(error, OSError):
            raise _write_error(out_path, error) from None
        raise


def replace_together(contents: dict[Path, bytes], before_rename: Callable[[], None] = lambda: None) -> None:
    """Replace every file of `contents` or none of them.

    Every new file is first written in full to a temporary file beside its
    target; `before_rename` then runs (it may refuse by raising); only then
    is each target renamed into place, its old version kept as a hard link
    so that a failing rename puts back the files already replaced (a rename
    needs no free space, so the way back cannot fail for lack of it).
    """
    temporaries: dict[Path, str] = {}
    backups: dict[Path, str] = {}
    try:
        for path, data in contents.items():
            _temporary(path, data, temporaries)
        before_rename()
        for path, temporary in temporaries.items():
            _backup(path, backups)
            os.replace(temporary, path)
    except BaseException as error:
        for path, backup in backups.items():
            with contextlib.suppress(OSError):
                os.replace(backup, path)
        _remove([*temporaries.values(), *backups.values()])
        if isinstance(error, OSError):
            raise _write_error(next(iter(backups or temporaries or contents)), error) from None
        raise
    _remove(list(backups.values()))


def _temporary(path: Path, data: bytes, made: dict[Path, str]) -> None:
    """Write `data` to a new temporary file beside `path`, on disk, named in `made[path]` from the moment it exists.

    The caller removes what `made` names if anything fails, Ctrl-C included.
    The name is short and of its own: `path`'s name may already be as long as the file system allows.
    """
    with _stops_held():
        handle, made[path] = tempfile.mkstemp(prefix=".mmnpress-", suffix=".tmp", dir=path.parent)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(made[path], _mode(path))


def _backup(path: Path, backups: dict[Path, str]) -> None:
    """Make a new hard link to `path` beside it (its old version while it is replaced), named in `backups[path]`."""
    for _ in range(100):
        name = str(path.parent / f".mmnpress-{os.urandom(6).hex()}.bak")
        try:
            with _stops_held():
                os.link(path, name)
                backups[path] = name
            return
        except FileExistsError:
            continue
    raise FileExistsError(f"no free name for a backup of {path.name}")


@contextlib.contextmanager
def _stops_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while a file is made and its name noted, then let them through.

    Without this, a stop arriving between the two left a file no one
    would remove (an interrupted `review apply` left `.mmnpress-*.tmp`).
    Only the main thread receives them as exceptions, so only it holds them.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {stop: signal.signal(stop, lambda signum, frame: held.append(signum)) for stop in stops}
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, signal.SIG_DFL if handler is None else handler)
        if held:
            signal.raise_signal(held[0])  # to the handler it was meant for, now that nothing is left unnamed


def _remove(names: list[str]) -> None:
    for name in names:
        Path(name).unlink(missing_ok=True)


@contextlib.contextmanager
def locked(lock_file: Path, waiting: str, seconds: float = 30.0) -> Iterator[None]:
    """Hold an exclusive lock on `lock_file` (made if missing) for the block; after `seconds`, refuse with `waiting`."""
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise _write_error(lock_file, error) from None
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise MmnpressError(waiting) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(handle)  # closing the file releases the lock


def _mode(path: Path) -> int:
    """Return the permissions to give: the old file's, or rw-r--r-- for a new one."""
    try:
        return path.stat().st_mode & 0o777 if path.is_file() else 0o644
    except OSError:
        return 0o644


def _write_error(path: Path, error: OSError) -> WriteError:
    return WriteError(f"{display_path(path)}: cannot write: {error.strerror or error}")
