"""Citations formatted by pandoc's citeproc, remembered between builds.

Parsing a statement's Markdown takes pandoc a few hundredths of a second;
citeproc (reading the CSL style and locale) takes ten times as long. How a
citation is formatted depends only on the style, the bibliography, the
language and the sequence of citations and notes in the document (first
cite, Ibid., short form, note numbers) — not on the words around them. So
the formatted citations are kept, keyed on exactly that, and a rebuild whose
citations did not change (a typo fixed in watch mode, a batch of statements
citing the same sources alike, the next build of the same statement) skips
citeproc. They are kept in memory for the process and on disk in the user's
cache folder (`usercache`, area `citations`), keyed there by the
contents of the style and bibliographies, the language, the citation
sequence and the mmnpress and pandoc installation. Each entry is written
atomically, so concurrent builds share it safely; the folder keeps at most
MAX_DISK_ENTRIES entries, the oldest going first. An entry that cannot be
read or does not fit its key is ignored.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_CACHE: dict[tuple, Formatted] = {}
_CACHE_SIZE = 64
MAX_DISK_ENTRIES = 2000
MAX_ENTRY_BYTES = 16 * 1024 * 1024
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
    """Return the formatting remembered for `key`, in memory or on disk, if any."""
    found = _CACHE.get(key)
    if found is None:
        found = _read_entry(key)
        if found is not None:
            _keep(key, found)
    return found


def formatted_of(formatted_ast: dict) -> Formatted:
    """Return what citeproc made of a document: each citation's content and the reference list."""
    return Formatted(
        tuple(element["c"][1] for kind, element, *_ in walk(formatted_ast["blocks"]) if kind == "cite"),
        next((b for b in formatted_ast["blocks"] if b["t"] == "Div" and b["c"][0][0] == "refs"), None),
    )


def remember(key: tuple, formatted: Formatted) -> None:
    """Keep the formatting of a document, in memory and in the user's cache folder."""
    _keep(key, formatted)
    _write_entry(key, formatted)


def forget() -> None:
    """Forget the formatting kept in memory (a new command starts from the user's cache folder alone)."""
    _CACHE.clear()


def _keep(key: tuple, formatted: Formatted) -> None:
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = formatted


ENTRY = "formatted.json"


def _entry_key(key: tuple) -> bytes:
    """Return what names the entry of `key` in the user's cache folder: the contents it depends on."""
    from ..installation import fingerprint
    from .cache import file_hash

    (files, lang, note_style), sequence = key
    return json.dumps([fingerprint(), [file_hash(Path(name)) for name, _ in files], lang, note_style, sequence]).encode("utf-8")


def _read_entry(key: tuple) -> Formatted | None:
    from .. import usercache

    content = usercache.read("citations", _entry_key(key), ENTRY)
    try:
        data = json.loads(content) if content is not None and len(content) <= MAX_ENTRY_BYTES else None
    except (ValueError, RecursionError):
        return None
    cites_expected = sum(event[0] == "cite" for event in key[1])
    if (not isinstance(data, dict) or not isinstance(data.get("cites"), list) or len(data["cites"]) != cites_expected
            or not all(isinstance(c, list) for c in data["cites"]) or not isinstance(data.get("references"), dict | None)):
        return None
    return Formatted(tuple(data["cites"]), data["references"])


def _write_entry(key: tuple, formatted: Formatted) -> None:
    """Keep `formatted` on disk for later builds; a cache that cannot be written is no error."""
    from .. import usercache

    data = json.dumps({"cites": list(formatted.cites), "references": formatted.references}).encode("utf-8")
    path = usercache.write("citations", _entry_key(key), ENTRY, data)
    if path is not None:
        _prune(path.parent.parent)


def user_cache_entries() -> list[Path]:
    """Return the files of formatted citations kept in the user's cache folder."""
    from .. import usercache

    folder = usercache.folder("citations")
    return sorted(folder.glob(f"*/{ENTRY}")) if folder is not None else []


def _prune(folder: Path) -> None:
    """Remove the oldest entries while the folder holds more than MAX_DISK_ENTRIES."""
    import shutil

    entries = [path for path in folder.iterdir() if path.is_dir()]
    if len(entries) <= MAX_DISK_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime if p.exists() else 0)
    for path in entries[: len(entries) - MAX_DISK_ENTRIES * 3 // 4]:
        shutil.rmtree(path, ignore_errors=True)


def apply(ast: dict, formatted: Formatted) -> dict:
    """Put remembered citation texts (and the reference list) into a freshly parsed document."""
    cites = [element for kind, element, *_ in walk(ast["blocks"]) if kind == "cite"]
    for element, content in zip(cites, formatted.cites, strict=True):
        element["c"][1] = content
    if formatted.references is not None:
        ast["blocks"].append(formatted.references)
    return ast


def context_free(ast: dict, formatted: Formatted, note_style: bool) -> bool:
    """Tell whether citeproc changes nothing around the citations of `ast` formatted so, so `apply` gives what it gives.

    After formatting, pandoc tidies the text around a citation: where the
    citation is a note mark (a note style, or a superscript number) it moves
    the punctuation after the citation before the mark ("word [@a]." prints
    "word.¹") and drops the space before it; in a note style it puts
    citations inside footnotes in parentheses; and a citation ending in "."
    swallows a "." after it. That depends on the words around the citation,
    which the key leaves out, so a document where any of it can happen is
    formatted afresh, and its formatting is not kept. "word.[@a] More" and an
    author-date "word [@a]." are context-free.
    """
    cites = [element for kind, element, *_ in walk(ast["blocks"]) if kind == "cite"]
    if len(cites) != len(formatted.cites):
        return False
    contents = {id(element): content for element, content in zip(cites, formatted.cites, strict=True)}
    return all(_context_free(inlines, in_note, contents, note_style) for inlines, in_note in _inline_lists(ast["blocks"], False))


def _inline_lists(blocks: list, in_note: bool) -> Iterator[tuple[list, bool]]:
    """Yield every list of inlines in `blocks` (in paragraphs, notes and inline containers), and whether it is in a note."""
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            yield from _nested_lists(block["c"], in_note)
        elif block["t"] == "Div":
            yield from _inline_lists(block["c"][1], in_note)


def _nested_lists(inlines: list, in_note: bool) -> Iterator[tuple[list, bool]]:
    """Yield `inlines` and every list of inlines inside them."""
    yield inlines, in_note
    for inline in inlines:
        kind = inline["t"]
        if kind == "Note":
            yield from _inline_lists(inline["c"], True)
        elif kind in _INLINE_CHILDREN:
            yield from _nested_lists(_children(inline), in_note)


def _context_free(inlines: list, in_note: bool, contents: dict[int, list], note_style: bool) -> bool:
    """Tell whether pandoc leaves the neighbours of every citation in `inlines` as they are (`contents`: by id)."""
    for index, inline in enumerate(inlines):
        if inline["t"] != "Cite":
            continue
        content, after = contents[id(inline)], inlines[index + 1:]
        if in_note and note_style:
            return False
        if _is_mark(content) and ((index and inlines[index - 1]["t"] in ("Space", "SoftBreak")) or not _starts_plainly(after)):
            return False
        if _text(content).endswith(".") and after and after[0]["t"] == "Str" and after[0]["c"].startswith("."):
            return False
    return True


def _is_mark(content: list) -> bool:
    """Tell whether a formatted citation prints as a note mark: a footnote, or a superscript number."""
    return bool(content) and ({content[0]["t"], content[-1]["t"]} & {"Note", "Superscript"} != set())


def _text(inlines: list) -> str:
    """Return the text of `inlines`, notes left out, as pandoc's stringify does."""
    parts = []
    for inline in inlines:
        kind, content = inline["t"], inline.get("c")
        if kind == "Str":
            parts.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Code", "Math", "RawInline"):
            parts.append(content[1])
        elif kind in _INLINE_CHILDREN:
            parts.append(_text(_children(inline)))
        elif kind == "Cite":
            parts.append(_text(content[1]))
    return "".join(parts)


def _starts_plainly(inlines: list) -> bool:
    """Tell whether the text of `inlines` (notes left out, as pandoc's stringify does) starts with no punctuation."""
    for inline in inlines:
        kind, content = inline["t"], inline.get("c")
        if kind == "Note":
            continue
        if kind in ("Space", "SoftBreak", "LineBreak"):
            return True
        if kind == "Str" and content:
            return not _is_punctuation(content[0])
        if kind in ("Code", "Math", "RawInline") and content[1]:
            return not _is_punctuation(content[1][0])
        if kind in _INLINE_CHILDREN and kind not in ("Quoted", "Image"):
            children = _children(inline)
            if any(child["t"] != "Note" for child in children):
                return _starts_plainly(children)
            continue
        if kind != "Str":
            return False  # a quotation or another citation: its text starts with a mark
    return True


def _is_punctuation(char: str) -> bool:
    """Tell whether pandoc counts `char` as punctuation that moves before a note (dashes do not)."""
    return unicodedata.category(char).startswith("P") and char not in "\u2013\u2014"


def own_citations(inlines: list) -> list:
    """Return `inlines` with every citation copied, and every element on the way to one; the rest is shared.

    What `apply` and the note numbering change is then the caller's own, while
    the words of a paragraph kept between builds are not copied.
    """
    return [_owned(inline) for inline in inlines]


def _owned(inline: dict) -> dict:
    kind = inline["t"]
    if kind == "Cite":
        return {"t": "Cite", "c": [[dict(citation) for citation in inline["c"][0]], inline["c"][1]]}
    if kind == "Note":
        return {"t": "Note", "c": [_owned_block(block) for block in inline["c"]]}
    if kind in _INLINE_CHILDREN:
        where = _INLINE_CHILDREN[kind]
        return {"t": kind, "c": own_citations(inline["c"]) if not where else
                [*inline["c"][:where], own_citations(inline["c"][where]), *inline["c"][where + 1:]]}
    return inline


def _owned_block(block: dict) -> dict:
    if block["t"] in ("Para", "Plain"):
        return {"t": block["t"], "c": own_citations(block["c"])}
    if block["t"] == "Div":
        return {"t": "Div", "c": [block["c"][0], [_owned_block(b) for b in block["c"][1]]]}
    return block


def _children(inline: dict) -> list:
    """Return the inlines inside an inline container (emphasis, link, quotation, span ...)."""
    where = _INLINE_CHILDREN[inline["t"]]
    return inline["c"][where] if where else inline["c"]


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
            yield from _walk_inlines(_children(inline), in_note, at_start)
        if kind not in ("Space", "SoftBreak"):
            at_start = False
