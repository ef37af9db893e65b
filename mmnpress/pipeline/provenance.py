"""Name the translatable values of a statement by path and tell which ones a translation is behind on.

A segment path names one translatable value with dots and list indexes:
``title``, ``body.3``, ``body.4.heading``, ``recommendations.items.2.text``,
``notes.tf-amw`` (a note label may hold dots: everything after ``notes.``
is the label). Which values are translatable is the schema's word
(`Field.translatable`). A translation records, per path, a short hash of the
original's text it was made from (`translated_from:`); `stale` compares them
with the original as it is now.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from .. import schema
from ..schema import Field
from .source import Node

_SPACES = re.compile(r"\s+")


def digest(text: str) -> str:
    """Return the short hash a translation records of an original's text (line folds and spacing do not count)."""
    return hashlib.sha256(_SPACES.sub(" ", text).strip().encode("utf-8")).hexdigest()[:10]


def translatable(root: Node) -> Iterator[tuple[str, Field, Node]]:
    """Yield (path, field, scalar node) for every translatable value of a statement's node tree, in reading order."""
    yield from _below(root, schema.STATEMENT, "")


def _below(node: Node, parent: Field, prefix: str) -> Iterator[tuple[str, Field, Node]]:
    if node.kind != "map":
        return
    for item in parent.fields:
        child = node.get(item.key)
        if child is not None:
            yield from _value(child, item, prefix + item.key)


def _value(node: Node, item: Field, path: str) -> Iterator[tuple[str, Field, Node]]:
    if item.type in (schema.TEXT, schema.PLAIN):
        if item.translatable and _is_text(node):
            yield path, item, node
    elif item.type == schema.MAPPING:
        yield from _below(node, item, path + ".")
    elif item.type == schema.NOTES and node.kind == "map":
        for label, (_, value) in node.entries.items():
            if _is_text(value):
                yield f"{path}.{label}", item, value
    elif item.type in (schema.TEXTS, schema.BLOCKS, schema.RECORDS) and node.kind == "seq":
        for index, one in enumerate(node.items):
            yield from _item(one, item, f"{path}.{index}")


def _item(node: Node, item: Field, path: str) -> Iterator[tuple[str, Field, Node]]:
    if item.type == schema.RECORDS:
        yield from _below(node, item, path + ".")
    elif _is_text(node):
        yield path, item, node
    elif item.type == schema.BLOCKS:
        yield from _below(node, item, path + ".")


def _is_text(node: Node) -> bool:
    return node.kind == "scalar" and not node.is_null() and bool(node.value.strip())


def parts(path: str) -> list[str | int]:
    """Split a segment path into YAML keys and list indexes (``notes.a.b`` is the note labelled ``a.b``)."""
    head, _, rest = path.partition(".")
    if head == schema.STATEMENT.child("notes").key and rest:
        return [head, rest]
    return [int(part) if part.isdigit() else part for part in path.split(".")]


def stale(digests: dict[str, str], original: Node, given: set[str]) -> list[tuple[str, str]]:
    """Return (path, what happened) for every translated field whose original changed or went, and every new one.

    A value is new when the translation gives its top-level key (`given`)
    and records nothing for it: a recommendation added to the original.
    """
    now = {path: digest(node.value) for path, _, node in translatable(original)}
    found = []
    for path, recorded in digests.items():
        if path not in now:
            found.append((path, "is no longer in the original"))
        elif now[path] != recorded:
            found.append((path, "changed in the original since it was translated"))
    found += [(path, "has no translation recorded of the original's text") for path in now
              if path not in digests and path.split(".")[0] in given]
    return found
