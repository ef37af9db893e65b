"""Write the site's files, each only when its bytes changed, and remove what the site no longer holds.

A file whose bytes are the same keeps its modification time, so `rsync` or a
deploy sends only what changed. The names written are kept in
`.mmnpress-site.json` in the site folder: a later run removes only files an
earlier run wrote, never anything else put there.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MmnpressError, display_path
from ..files import write_atomically

MANIFEST = ".mmnpress-site.json"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


@dataclass
class Written:
    """What a run changed in the site folder."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def safe_name(name: str) -> bool:
    """Tell whether `name` is a relative path that stays inside the site folder."""
    parts = name.split("/")
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and "\0" not in name
        and posixpath.normpath(name) == name
        and all(p not in ("", ".", "..") for p in parts)
    )


def manifest(folder: Path) -> dict:
    """Return the manifest an earlier run left in `folder` (empty when there is none or it is unreadable)."""
    from ..pipeline.source import read_limited

    try:
        data = json.loads(read_limited(folder / MANIFEST, MAX_MANIFEST_BYTES).decode("utf-8"))
    except (OSError, ValueError, MmnpressError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("files"), list) else {}


def write_site(folder: Path, files: dict[str, bytes | Path], notes: dict | None = None) -> Written:
    """Make `folder` hold exactly `files` (by relative path: their bytes, or a file to copy) of those this tool writes.

    Return what changed. `notes` are kept in the manifest for the next run.
    """
    bad = [name for name in files if not safe_name(name)]
    if bad:
        raise MmnpressError(f"mmnpress: internal error: site file name outside the site folder: {bad[0]!r}")
    done = Written()
    earlier = manifest(folder)
    for name, value in sorted(files.items()):
        target = folder / name
        if _same_file(target, value) if isinstance(value, Path) else _same(target, value):
            done.unchanged.append(name)
        else:
            _check_folder(folder, target)
            write_atomically(target, value.read_bytes() if isinstance(value, Path) else value)
            done.written.append(name)
    for name in sorted(set(earlier.get("files", ())) - set(files)):
        if isinstance(name, str) and safe_name(name) and _remove(folder, name):
            done.removed.append(name)
    record = {"files": sorted(files), **(notes or {})}
    text = (json.dumps(record, indent=0, sort_keys=True) + "\n").encode("utf-8")
    if not _same(folder / MANIFEST, text):
        write_atomically(folder / MANIFEST, text)
    return done


def _same(target: Path, data: bytes) -> bool:
    try:
        return target.is_file() and not target.is_symlink() and target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def _same_file(target: Path, source: Path) -> bool:
    """Tell whether `target` holds the bytes of `source` (a PDF or Word file in build/), by their SHA-256.

    The hashes are remembered while a file's size and time stay the same, so
    a site built again in the same process (the build server) reads neither.
    """
    from ..pipeline.cache import file_hash

    try:
        return (target.is_file() and not target.is_symlink() and target.stat().st_size == source.stat().st_size
                and file_hash(target) == file_hash(source))
    except OSError:
        return False


def _check_folder(folder: Path, target: Path) -> None:
    """Refuse to write through a symbolic link that leads out of the site folder."""
    from ..pipeline.project import inside

    if target.is_symlink() or (target.parent.exists() and not inside(target.parent, folder)):
        raise MmnpressError(f"mmnpress: {display_path(target)} is a link out of the site folder; remove it and build again")


def _remove(folder: Path, name: str) -> bool:
    """Remove a file an earlier run wrote, and the folders it leaves empty."""
    target = folder / name
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    parent = target.parent
    while parent != folder and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
    return True
