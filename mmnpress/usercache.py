"""Keep what is slow to make in the user's cache folder, and check it when it is read back.

Every cache of mmnpress lives under one folder of the user's own:
`$XDG_CACHE_HOME/mmnpress` when that variable is set, else
`platformdirs.user_cache_dir("mmnpress")` (`~/.cache/mmnpress` on Linux,
`~/Library/Caches/mmnpress` on macOS), never the shared temporary folder.
The folder and its areas are made with mode 0700; one that another user owns
is not used. Each entry is `AREA/<hash of its inputs>/<name>`, written
atomically, beside `<name>.sha256`, the hash of its content: an entry whose
content does not match (truncated, damaged, or put there by hand) is
ignored and made again. Where the cache folder cannot be written, entries
go to a private temporary folder of this process, removed when it ends.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

APP = "mmnpress"
CHECK_SUFFIX = ".sha256"


def base() -> Path:
    """Return the user's cache folder of mmnpress (not made)."""
    configured = os.environ.get("XDG_CACHE_HOME")
    if configured:
        return Path(configured) / APP
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def folder(area: str) -> Path | None:
    """Return the private folder of `area` in the user's cache, made 0700 if needed; None when it cannot be used."""
    top = base()
    try:
        top.parent.mkdir(parents=True, exist_ok=True)
        for step in (top, top / area):
            step.mkdir(mode=0o700, exist_ok=True)
            if not _private(step):
                return None
    except (OSError, RuntimeError):  # no home folder, or a read-only one
        return None
    return top / area if os.access(top / area, os.W_OK) else None


def _private(path: Path) -> bool:
    """Tell whether `path` is a real folder of this user; take others' access away from it."""
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return False
    if info.st_mode & 0o077:
        os.chmod(path, 0o700)
    return True


@functools.cache
def _process_folder() -> Path:
    """Return a private temporary folder for this process's entries, removed when it ends."""
    import atexit
    import shutil
    import tempfile

    made = Path(tempfile.mkdtemp(prefix="mmnpress-cache-"))
    atexit.register(shutil.rmtree, made, True)
    return made


def entry(area: str, key: bytes, name: str) -> Path:
    """Return the path of the entry `name` for `key` in `area` (in this process's folder when the cache cannot be used)."""
    place = folder(area) or _process_folder() / area
    return place / hashlib.sha256(key).hexdigest()[:32] / name


def read(area: str, key: bytes, name: str) -> bytes | None:
    """Return the content kept for `key`, or None when there is none or it does not match its recorded hash."""
    path = entry(area, key, name)
    try:
        data = path.read_bytes()
        recorded = path.with_name(name + CHECK_SUFFIX).read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return None
    return data if hashlib.sha256(data).hexdigest() == recorded else None


def write(area: str, key: bytes, name: str, data: bytes) -> Path | None:
    """Keep `data` for `key` (content first, then its hash); return its path, or None when nothing could be written."""
    from .files import WriteError, write_atomically

    path = entry(area, key, name)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomically(path, data)
        write_atomically(path.with_name(name + CHECK_SUFFIX), hashlib.sha256(data).hexdigest().encode("ascii"))
    except (WriteError, OSError):
        return None
    return path


def kept(area: str, key: bytes, name: str, make: Callable[[], bytes], announce: str | None = None) -> bytes:
    """Return the content kept for `key`, made by `make` (and kept) when there is none; `announce` is printed before a slow make."""
    data = read(area, key, name)
    if data is None:
        data = _made(make, announce)
        write(area, key, name, data)
    return data


def kept_file(area: str, key: bytes, name: str, make: Callable[[], bytes], announce: str | None = None) -> Path:
    """Return the path of the checked file kept for `key`, made by `make` when needed (for a reader that wants a path)."""
    if read(area, key, name) is None:
        data = _made(make, announce)
        if write(area, key, name, data) is None:
            from .files import WriteError

            raise WriteError(f"mmnpress: cannot write {entry(area, key, name)}")
    return entry(area, key, name)


def _made(make: Callable[[], bytes], announce: str | None) -> bytes:
    if announce:
        print(announce, file=sys.stderr, flush=True)
    return make()
