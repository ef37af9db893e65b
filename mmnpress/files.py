"""Writing output files safely."""

from __future__ import annotations

import os
import tempfile
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
        # a short name of its own: the output's name may already be as long as the file system allows
        handle, temporary = tempfile.mkstemp(prefix=".mmnpress-", suffix=".tmp", dir=out_path.parent)
    except OSError as error:
        raise _write_error(out_path, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode(out_path))
        os.replace(temporary, out_path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _write_error(out_path, error) from None
        raise


def user_cache_folder(name: str) -> Path | None:
    """Return `$XDG_CACHE_HOME/mmnpress/<name>` (by default under ~/.cache), made if needed; None when it cannot be written."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "mmnpress" / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder if os.access(folder, os.W_OK) else None
    except (OSError, RuntimeError):  # no home folder, or a read-only one
        return None


def _mode(path: Path) -> int:
    """Return the permissions to give: the old file's, or rw-r--r-- for a new one."""
    try:
        return path.stat().st_mode & 0o777 if path.is_file() else 0o644
    except OSError:
        return 0o644


def _write_error(path: Path, error: OSError) -> WriteError:
    return WriteError(f"{display_path(path)}: cannot write: {error.strerror or error}")
