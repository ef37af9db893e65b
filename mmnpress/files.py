"""Writing output files safely."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import MmnpressError, display_path


class WriteError(MmnpressError):
    """Raise when an output file cannot be written; the message is one line naming it."""


def write_atomically(out_path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `out_path`, then rename it into place.

    Readers see either the old file or the new one, never a partial file;
    an interrupted write leaves the old file untouched. The data reaches the
    disk before the rename, so a crash cannot leave an empty file behind.
    """
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = _temporary(out_path, data)
    except OSError as error:
        raise _write_error(out_path, error) from None
    try:
        os.replace(temporary, out_path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _write_error(out_path, error) from None
        raise


def kept_in_temporary_folder(kind: str, key: bytes, suffix: str, make: Callable[[], bytes]) -> bytes:
    """Return the bytes kept for `key` in the temporary folder, made by `make` (and kept) when there are none.

    For what takes a second to make and is the same for every user of the
    machine (font instances, WOFF2 files): the file's name hashes `key`, so
    changed inputs make a new file. A read-only temporary folder costs time,
    nothing else.
    """
    path = Path(tempfile.gettempdir()) / f"mmnpress-{kind}-{hashlib.sha256(key).hexdigest()[:20]}{suffix}"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    try:
        write_atomically(path, data)
    except WriteError:
        pass
    return data


def user_cache_folder(name: str) -> Path | None:
    """Return `$XDG_CACHE_HOME/mmnpress/<name>` (by default under ~/.cache), made if needed; None when it cannot be written."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "mmnpress" / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder if os.access(folder, os.W_OK) else None
    except (OSError, RuntimeError):  # no home folder, or a read-only one
        return None


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
            temporaries[path] = _temporary(path, data)
        before_rename()
        for path, temporary in temporaries.items():
            backups[path] = _backup(path)
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


def _temporary(path: Path, data: bytes) -> str:
    """Write `data` to a new temporary file beside `path`, on disk; return its name.

    The name is short and of its own: `path`'s name may already be as long as the file system allows.
    """
    handle, temporary = tempfile.mkstemp(prefix=".mmnpress-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode(path))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _backup(path: Path) -> str:
    """Return a new hard link to `path` beside it (its old version while it is replaced)."""
    for _ in range(100):
        name = str(path.parent / f".mmnpress-{os.urandom(6).hex()}.bak")
        try:
            os.link(path, name)
            return name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free name for a backup of {path.name}")


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
