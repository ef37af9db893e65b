"""Remember what was built, so an unchanged statement is not built again.

A build's key is a hash of everything it reads: the statement and the files
it extends, the CSL style, the bibliographies, every file of the
organisation's templates folder, the mmnpress version (and its own source
files, so a changed checkout rebuilds), the versions of the packages that
render (pandoc, Typst, docxtpl, fonts), and the options that change the
output (those `options.OPTIONS` declares so). Each output file gets its own entry, ``{"key": ..., "sha256": ...}``,
in ``<output folder>/.mmnpress-cache.json``; an entry counts only while the
file is still there with that content.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..installation import fingerprint
from ..options import document_key_parts, key_parts

CACHE_NAME = ".mmnpress-cache.json"
FORMAT_VERSION = 1
MAX_CACHE_BYTES = 8 * 1024 * 1024  # thousands of entries; anything larger is not ours


@dataclass
class Cache:
    """The entries of one output folder, keyed by output file name."""

    path: Path
    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    recorded: dict[str, dict[str, str]] = field(default_factory=dict)  # entries to write back

    def fresh(self, outputs: list[Path], key: str) -> bool:
        """Tell whether every output exists with the content recorded under `key`."""
        return all(_fresh(self.entries.get(out.name), out, key) for out in outputs)

    def record(self, hashes: dict[Path, str], key: str) -> None:
        """Remember the outputs of a build made under `key`."""
        for out, digest in hashes.items():
            self.entries[out.name] = self.recorded[out.name] = {"key": key, "sha256": digest}

    def save(self) -> None:
        """Merge the recorded entries into the file as it is now (another build may have written it), atomically."""
        if not self.recorded:
            return
        from ..files import write_atomically

        entries = {**load(self.path.parent).entries, **self.recorded}
        data = {"format": FORMAT_VERSION, "outputs": dict(sorted(entries.items()))}
        write_atomically(self.path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))
        self.recorded.clear()


def _fresh(entry: dict[str, str] | None, out: Path, key: str) -> bool:
    return bool(entry) and entry.get("key") == key and out.is_file() and file_hash(out) == entry.get("sha256")


def load(folder: Path) -> Cache:
    """Read the cache of an output folder; a missing, unreadable, odd or oversized one is empty.

    Only a regular file is read (a FIFO would block, a link to /dev/zero never
    end), at most MAX_CACHE_BYTES; the next save replaces whatever was there.
    """
    from ..errors import MmnpressError
    from .source import read_limited

    path = folder / CACHE_NAME
    try:
        raw = read_limited(path, MAX_CACHE_BYTES)
        data = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_CACHE_BYTES else None
    except (OSError, ValueError, RecursionError, MmnpressError):
        return Cache(path)
    outputs = data.get("outputs") if isinstance(data, dict) and data.get("format") == FORMAT_VERSION else None
    return Cache(path, outputs if isinstance(outputs, dict) else {})


def build_key(resolved, request) -> str:
    """Return the hash of everything the build of `request` reads and every option it takes."""
    parts = {
        "tool": fingerprint(),
        "statement": str(request.path.resolve()),
        **key_parts(request.options, request.render_options),
        "inputs": [[str(p), file_hash(p)] for p in build_inputs(resolved)],
        "embargo_over": embargo_over(resolved.statement),  # a web page drops its embargo notice once it ends
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def embargo_over(statement) -> bool | None:
    """Return whether the statement's embargo has ended (None without one)."""
    import datetime as dt

    return None if statement.embargo is None else statement.embargo <= dt.datetime.now(dt.UTC)


def document_key(resolved, request) -> str:
    """Return the hash of what the render model depends on: the build's inputs less the templates."""
    inputs = sorted({*map(Path, resolved.inputs()), resolved.organisation.folder / "profile.yaml"})
    parts = {
        "tool": fingerprint(),
        "statement": str(request.path.resolve()),
        "options": document_key_parts(request.options),
        "inputs": [[str(p), file_hash(p)] for p in inputs],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def build_inputs(resolved) -> list[Path]:
    """Return every file a build reads: `Resolved.inputs()` and the organisation's templates folder."""
    templates = (p for p in resolved.organisation.folder.rglob("*") if p.is_file())
    return sorted({*map(Path, resolved.inputs()), *templates})


def stamps(paths: list[Path]) -> dict[str, list]:
    """Return the stamp of each of `paths` and of the folders holding them, by path: what later tells that none changed.

    A folder's stamp changes when a file is added to it or removed (a new
    translation beside a statement, a new bibliography), a file's when its
    bytes do.
    """
    watched = {*map(Path, paths), *(Path(p).parent for p in paths)}
    return {str(path): stamp(path) for path in sorted(watched)}


def stamp(path: Path, hashed: bool = True) -> list:
    """Return the stamp of `path`: a regular file's size, modification time, inode and (if `hashed`) SHA-256; a folder's time and inode.

    Anything else (missing, a FIFO, a device) has an empty stamp, which never matches a file's or a folder's.
    """
    import stat as kinds

    try:
        info = path.stat()
    except OSError:
        return []
    if kinds.S_ISREG(info.st_mode):
        digest = _hash(path, info.st_size, info.st_mtime_ns, info.st_ino) if hashed else ""
        return [info.st_size, info.st_mtime_ns, info.st_ino, digest]
    if kinds.S_ISDIR(info.st_mode):
        return ["folder", info.st_mtime_ns, info.st_ino]
    return []


def file_hash(path: Path) -> str:
    """Return the SHA-256 of a file, remembered while its size and mtime stay the same."""
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    return _hash(path.resolve(), stat.st_size, stat.st_mtime_ns, stat.st_ino)


@lru_cache(maxsize=4096)
def _hash(path: Path, size: int, mtime_ns: int, inode: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
