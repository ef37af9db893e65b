"""Find statement files: those in the folders named, and the translations that extend an original.

Both read the file system only: a folder's statements are its .yaml files,
and a translation is found by its `extends:` line, read without parsing the
YAML. `batch` and the command line find what to build here; `resolve` finds
a statement's language family.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

STATEMENT_SUFFIXES = (".yaml", ".yml")
_EXTENDS = re.compile(r"""^extends:[ \t]*(["']?)([^"'#\n]+?)\1[ \t]*(?:#.*)?$""", re.MULTILINE)


def statement_files(paths: Iterable[Path]) -> list[Path]:
    """Return the statements named: files as given, folders as every .yaml file in them."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if is_statement_file(p))
        else:
            found.append(path)
    return _unique(found)


def is_statement_file(path: Path) -> bool:
    """Tell whether a file found in a folder is a statement: a .yaml file whose name does not start with a dot.

    Dot-files are editors' backups and lock files and the copies `redline
    --against` makes of an old version: never statements.
    """
    return path.suffix in STATEMENT_SUFFIXES and not path.name.startswith(".") and path.is_file()


def _unique(paths: list[Path]) -> list[Path]:
    seen: set[Path] = set()
    unique = []
    for path in paths:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append(path)
    return unique


def with_translations(paths: list[Path]) -> list[Path]:
    """Add every statement that extends one of `paths`, directly or through a chain.

    Only the folder of each original is searched, since `extends` names a file
    in the same folder. The `extends:` line is read without parsing the YAML,
    so a translation with a broken line elsewhere is still found (and its
    build reports the problem).
    """
    wanted = {p.resolve() for p in paths}
    folders = {p.resolve().parent: p.parent for p in reversed(paths)}  # as the user wrote them
    result = list(paths)
    for folder, shown in sorted(folders.items()):
        parents = _extends_in(folder)
        for candidate in sorted(parents):
            if candidate not in wanted and _reaches(candidate, parents, wanted):
                result.append(shown / candidate.name)
    return _unique(result)


def extends_chain(path: Path) -> list[Path]:
    """Return `path` and the originals it extends, read from their `extends:` lines."""
    chain = [path.resolve()]
    while (parent := _extends_of(chain[-1])) is not None and parent not in chain:
        chain.append(parent)
    return chain


def _extends_of(path: Path) -> Path | None:
    try:
        match = _EXTENDS.search(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    return (path.parent / match.group(2).strip()).resolve() if match else None


def _extends_in(folder: Path) -> dict[Path, Path]:
    parents = {}
    for path in folder.iterdir():
        if is_statement_file(path) and (parent := _extends_of(path)) is not None:
            parents[path.resolve()] = parent
    return parents


def _reaches(path: Path, parents: dict[Path, Path], wanted: set[Path]) -> bool:
    seen = {path}
    while path in parents:
        path = parents[path]
        if path in wanted:
            return True
        if path in seen:
            return False
        seen.add(path)
    return False
