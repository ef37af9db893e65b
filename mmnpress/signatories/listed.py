"""The signatories a statement lists, read through the guarded loader with their lines."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem, display_path
from ..pipeline.source import Node, load
from .cleaning import from_markdown, tidy
from .countries import country_code


@dataclass(frozen=True)
class Listed:
    """A signatory as the statement lists it: the name as printed, the country as typed and its code, where it is."""

    name: str
    country: str
    code: str | None
    line: int
    column: int


def statement_root(statement: Path) -> Node:
    """Load a statement (guarded); refuse a translation, whose signatories are its original's."""
    root = load(statement)
    extends = root.get("extends")
    if extends is not None and root.get("signatories") is None:
        raise InputError([Problem(display_path(statement), extends.line, extends.column,
                                  f"this translation lists its original's signatories; use the original: {extends.value}")])
    return root


def listed(root: Node) -> list[Listed]:
    """Return the statement's signatories in their order (entries without a name left out: validation reports them)."""
    found = []
    seq = root.get("signatories")
    for item in seq.items if seq is not None and seq.kind == "seq" else ():
        name = item.get("name") if item.kind == "map" else None
        if name is None or name.kind != "scalar" or not name.value.strip():
            continue
        country = item.get("country")
        typed = tidy(country.value) if country is not None and country.kind == "scalar" and not country.is_null() else ""
        found.append(Listed(tidy(from_markdown(name.value)), typed, country_code(typed) if typed else None, name.line, name.column))
    return found
