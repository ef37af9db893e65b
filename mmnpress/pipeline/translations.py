"""Load a statement file, following `extends` for translations, and validate it.

A translation names its original with `extends:` and inherits every
top-level key it does not give. Values keep the node (and so the file) they
came from, so paths in the original stay relative to the original and
problems are reported in the file that holds them. The files read are
hashed together, so a reviewed draft can tell whether its statement changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import InputError, Problem, display_path
from .model import Statement, validate
from .project import inside, resolved
from .source import Node, load

MAX_EXTENDS = 8  # a translation of a translation of ...; a longer chain is a mistake (and recursion)


def load_statement(path: Path, root: Path) -> Statement:
    """Read, merge (extends) and validate the statement at `path`."""
    if not inside(path, root):
        raise InputError([Problem(display_path(path), 1, 1, f"is a link to a file outside the project folder "
                                  f"{display_path(root)}; copy the statement into the project instead")])
    node, sources = merged_tree(path.resolve(), root, ())
    statement = validate(node)
    statement.sources = sources
    return statement


def source_hash(sources: list[Path]) -> str:
    """Return a hash of a statement file and every file it extends (`Statement.sources`)."""
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def merged_tree(path: Path, root: Path, chain: tuple[Path, ...]) -> tuple[Node, list[Path]]:
    """Return the node tree of `path` with its originals merged in, and the files read."""
    node = load(path)
    extends = node.get("extends")
    if extends is None:
        return node, [path]
    original = _original_path(path, extends, root, chain)
    base, sources = merged_tree(original, root, (*chain, path))
    entries = {k: v for k, v in base.entries.items() if k != "extends"}
    entries.update(node.entries)
    merged = Node("map", path, node.line, node.column, tag=node.tag, entries=entries)
    return merged, [path, *sources]


def _original_path(path: Path, extends: Node, root: Path, chain: tuple[Path, ...]) -> Path:
    if extends.kind != "scalar" or extends.is_null():
        raise _problem(extends, "'extends' must be the file name of the original statement")
    target = resolved(path.parent / extends.value)
    if target is None:
        raise _problem(extends, f"'extends' names a symbolic link that loops: {extends.value}")
    if not inside(target, path.parent) or not inside(target, root):
        raise _problem(extends, f"'extends' must name a statement in the same folder ({extends.value} lies outside)")
    if target == path or target in chain:
        raise _problem(extends, f"'extends' makes a cycle: {extends.value} extends this file again")
    if len(chain) >= MAX_EXTENDS:
        raise _problem(extends, f"'extends' chains more than {MAX_EXTENDS} files; extend the original directly")
    if not target.is_file():
        raise _problem(extends, f"'extends' names a file that does not exist: {extends.value}")
    return target


def _problem(node: Node, message: str) -> InputError:
    return InputError([Problem(display_path(node.file), node.line, node.column, message)])
