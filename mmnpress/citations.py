"""Citations formatted by pandoc's citeproc, remembered between builds.

Parsing a statement's Markdown takes pandoc a few hundredths of a second;
citeproc (reading the CSL style and locale) takes ten times as long. How a
citation is formatted depends only on the style, the bibliography, the
language and the sequence of citations and notes in the document (first
cite, Ibid., short form, note numbers) — not on the words around them. So
the formatted citations are kept per process, keyed on exactly that, and a
rebuild whose citations did not change (a typo fixed in watch mode, a batch
of statements citing the same sources alike) skips citeproc.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_CACHE: dict[tuple, Formatted] = {}
_CACHE_SIZE = 64
_INLINE_CHILDREN = {
    "Emph": 0, "Strong": 0, "Underline": 0, "Strikeout": 0, "Superscript": 0,
    "Subscript": 0, "SmallCaps": 0, "Quoted": 1, "Link": 1, "Image": 1, "Span": 1,
}


@dataclass(frozen=True)
class Formatted:
    """What citeproc made of a document: each Cite's content in order, and the reference list."""

    cites: tuple[list, ...]
    references: dict | None


def settings_key(style: Path, bibliographies: list[Path], lang: str, note_style: bool) -> tuple:
    """Return the part of the key that names the style, sources and language (with file times)."""
    files = tuple((str(p), _stamp(p)) for p in [style, *bibliographies])
    return files, lang, note_style


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
        return stat.st_mtime_ns, stat.st_size
    except OSError:
        return 0, 0


def sequence_key(ast: dict) -> tuple:
    """Return the sequence of citations and notes that citeproc's output depends on."""
    events = []
    for kind, element, in_note, first in walk(ast["blocks"]):
        if kind == "note":
            events.append(("note",))
        else:
            events.append(("cite", _citations(element), in_note, first))
    return tuple(events)


def _citations(cite: dict) -> str:
    keep = ("citationId", "citationPrefix", "citationSuffix", "citationMode")
    return json.dumps([{k: c.get(k) for k in keep} for c in cite["c"][0]], sort_keys=True)


def has_citations(ast: dict) -> bool:
    """Tell whether the document cites anything."""
    return any(kind == "cite" for kind, *_ in walk(ast["blocks"]))


def lookup(key: tuple) -> Formatted | None:
    """Return the formatting remembered for `key`, if any."""
    return _CACHE.get(key)


def remember(key: tuple, formatted_ast: dict) -> Formatted:
    """Extract and keep what citeproc made of a document."""
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    formatted = Formatted(
        tuple(element["c"][1] for kind, element, *_ in walk(formatted_ast["blocks"]) if kind == "cite"),
        next((b for b in formatted_ast["blocks"] if b["t"] == "Div" and b["c"][0][0] == "refs"), None),
    )
    _CACHE[key] = formatted
    return formatted


def apply(ast: dict, formatted: Formatted) -> dict:
    """Put remembered citation texts (and the reference list) into a freshly parsed document."""
    cites = [element for kind, element, *_ in walk(ast["blocks"]) if kind == "cite"]
    for element, content in zip(cites, formatted.cites, strict=True):
        element["c"][1] = content
    if formatted.references is not None:
        ast["blocks"].append(formatted.references)
    return ast


def walk(blocks: list, in_note: bool = False) -> Iterator[tuple[str, dict, bool, bool]]:
    """Yield ("cite", element, in_note, first_in_note) and ("note", element, ...) in document order."""
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            yield from _walk_inlines(block["c"], in_note, in_note)
        elif block["t"] == "Div":
            yield from walk(block["c"][1], in_note)


def _walk_inlines(inlines: list, in_note: bool, at_start: bool) -> Iterator[tuple[str, dict, bool, bool]]:
    for inline in inlines:
        kind = inline["t"]
        if kind == "Cite":
            yield "cite", inline, in_note, at_start
        elif kind == "Note":
            yield "note", inline, in_note, False
            yield from walk(inline["c"], True)
        elif kind in _INLINE_CHILDREN:
            yield from _walk_inlines(inline["c"][_INLINE_CHILDREN[kind]] if _INLINE_CHILDREN[kind] else inline["c"],
                                     in_note, at_start)
        if kind not in ("Space", "SoftBreak"):
            at_start = False
