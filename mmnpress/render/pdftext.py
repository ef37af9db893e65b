"""Make the text of a Typst PDF read back as typed: a stage after Typst.

Typst 0.15 (through krilla) maps each glyph to the text of the cluster it was
first drawn in, and wraps a cluster in `/Span <</ActualText …>>` only where
that map is wrong. For Thai, Lao, Khmer and Burmese it sometimes splits one
cluster into pieces: two spans that each carry the whole cluster, or a span
followed by a glyph whose ToUnicode entry is the whole cluster again
(typst#7610, krilla#411). A reader then prints the cluster twice or three
times ("ถิ่ถิ่น" for "ถิ่น").

This stage finds those pieces in each page's content stream: consecutive
pieces in one font that read as the same text of two or more characters,
with no glyph repeated (a glyph repeated starts the next cluster, as in
"ดีดี" typed twice). The first piece keeps the text; every other piece gets
an empty `/ActualText`, so readers that honour it (Acrobat, poppler's
pdftotext, screen readers through the tag tree) read the cluster once.
Marked content is only added inside a text object and never crosses the
tagged content's own marked-content sequences, so PDF/UA and PDF/A hold.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pikepdf

_SHOW_TEXT = ("Tj", "TJ")


@dataclass
class _Piece:
    """A span with ActualText, or one glyph outside any, as a reader sees it."""

    text: str
    font: str
    glyphs: list[int]
    op: int  # the BDC of a span, or the text-showing operator of a glyph
    glyph_index: int = -1  # the glyph's place among the operator's glyphs; -1 for a span
    shows: list[int] = field(default_factory=list)  # a span's text-showing operators


@dataclass
class _Fixes:
    """What to change in one content stream."""

    silent_spans: set[int] = field(default_factory=set)  # BDC operator indexes
    glyph_texts: dict[int, dict[int, str]] = field(default_factory=dict)  # operator -> glyph index -> ActualText
    reordered: dict[int, str] = field(default_factory=dict)  # a span's text-showing operator -> its font

    def __bool__(self) -> bool:
        return bool(self.silent_spans or self.glyph_texts or self.reordered)


def repair(pdf_bytes: bytes) -> bytes:
    """Return `pdf_bytes` with every cluster reading back once; unchanged if nothing repeats."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        cmaps: dict[tuple[int, int], dict[int, str]] = {}
        spelled: dict[tuple[int, int], dict[int, str]] = {}
        changed = False
        clustered: dict[tuple[int, int], bool] = {}
        for page in pdf.pages:
            if _has_clusters(page, cmaps, clustered):
                changed |= _repair_page(pdf, page, cmaps, spelled)
        changed |= _respell_to_unicode(pdf, spelled, cmaps)
        if not changed:
            return pdf_bytes
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()


def _has_clusters(page: pikepdf.Page, cmaps: dict, clustered: dict) -> bool:
    """Tell whether a page's fonts map a glyph to a cluster with marks, the only text whose pieces repeat.

    Ligatures of letters alone (fi, ffl) are left as Typst wrote them, so a
    long Latin document is not parsed page by page for nothing. The answer
    for each font is kept in `clustered`, since pages share their fonts.
    """
    fonts = page.obj.get("/Resources", {}).get("/Font", {})
    for font in fonts.values():
        if font.objgen not in clustered:
            clustered[font.objgen] = any(_is_cluster(text) for text in _cmap(font, cmaps).values())
    return any(clustered[font.objgen] for font in fonts.values())


def _is_cluster(text: str) -> bool:
    """Tell whether ToUnicode text is a cluster with marks (Thai, Lao, Khmer, Burmese, ...).

    A mark typed with no letter before it is one too: the shaper draws it on a
    dotted circle, two glyphs that Typst maps to the same one character.
    """
    return has_marks(text)


def has_marks(characters: Iterable[str]) -> bool:
    """Tell whether any of `characters` is a combining mark: text without one never needs `repair`."""
    return any(unicodedata.category(c) in ("Mn", "Mc") for c in characters)


def _repair_page(pdf: pikepdf.Pdf, page: pikepdf.Page, cmaps: dict, spelled: dict) -> bool:
    """Silence the repeated pieces of one page; tell whether anything changed."""
    fonts = page.obj.get("/Resources", {}).get("/Font", {})
    to_unicode = {str(name): _cmap(font, cmaps) for name, font in fonts.items()}
    own_text = {str(name): _spelling(font, cmaps, spelled) for name, font in fonts.items()}
    ops = pikepdf.parse_content_stream(page)
    pieces = _pieces(ops, to_unicode)
    fixes = _repeats(pieces)
    _keep_cluster_text(pieces, fixes, own_text)
    widths = {str(name): _widths(font) for name, font in fonts.items()}
    _cover_whole_cluster(pieces, fixes, ops, widths)
    if not fixes:
        return False
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(_apply(ops, fixes, widths)))
    return True


def _keep_cluster_text(pieces: list[_Piece], fixes: _Fixes, own_text: dict[str, dict[int, str]]) -> None:
    """Give each glyph outside a span whose ToUnicode entry changes an ActualText of the text it stood for."""
    for piece in pieces:
        if piece.glyph_index >= 0 and piece.glyph_index not in fixes.glyph_texts.get(piece.op, {}):
            if piece.glyphs[0] in own_text.get(piece.font, {}):
                fixes.glyph_texts.setdefault(piece.op, {})[piece.glyph_index] = piece.text


def _spelling(font: pikepdf.Object, cmaps: dict, spelled: dict) -> dict[int, str]:
    """Return the glyphs whose ToUnicode entry is a whole cluster but whose name says what they draw, and that text.

    Typst maps every glyph to the cluster it first drew, so readers that go by
    ToUnicode alone (pdfminer, pypdf, PDF.js) repeat clusters even where
    ActualText is right. The subset keeps the glyph names: uniXXXX names
    (Thai, Lao, Khmer) spell their characters, others (Burmese) are looked
    up in the packaged font's cmap.
    """
    key = font.objgen
    if key not in spelled:
        spelled[key] = {}
        names = _glyph_names(font)
        for code, text in _cmap(font, cmaps).items():
            own = _name_text(names[code], font) if _is_cluster(text) and code < len(names) else ""
            if own and own != text:
                spelled[key][code] = own
    return spelled[key]


def _glyph_names(font: pikepdf.Object) -> list[str]:
    """Return the glyph names of an embedded TrueType subset, by glyph code (Typst's codes are glyph ids)."""
    descendant = font.get("/DescendantFonts", [None])[0]
    if descendant is None or descendant.get("/CIDToGIDMap") != pikepdf.Name.Identity:
        return []
    program = descendant.get("/FontDescriptor", {}).get("/FontFile2")
    if program is None:
        return []
    from fontTools.ttLib import TTFont

    try:
        return TTFont(io.BytesIO(program.read_bytes()), lazy=True).getGlyphOrder()
    except Exception:  # a font fontTools cannot read keeps its ToUnicode as it is
        return []


_UNI_NAME = re.compile(r"^(?:uni((?:[0-9A-F]{4})+)|u([0-9A-F]{4,6}))(?:\..*)?$")


def _name_text(name: str, font: pikepdf.Object) -> str:
    """Return the characters a glyph name stands for, or "" when the name does not tell."""
    found = _UNI_NAME.match(name)
    if found and found.group(1):
        return "".join(chr(int(found.group(1)[i:i + 4], 16)) for i in range(0, len(found.group(1)), 4))
    if found:
        return chr(int(found.group(2), 16))
    return _packaged_names(str(font.get("/BaseFont", "")).split("+")[-1]).get(name.split(".")[0], "")


@functools.cache
def _packaged_names(postscript_name: str) -> dict[str, str]:
    """Return glyph name -> character from the cmap of the packaged font with this PostScript name."""
    from fontTools.ttLib import TTFont

    from mmnpress import fonts

    family = postscript_name.split("-")[0]
    for folder in fonts.font_folders(cjk=True):
        for file in sorted(folder.glob(f"{family}[[-]*")):
            if "Italic" not in file.name:
                return {glyph: chr(code) for code, glyph in sorted(TTFont(file, lazy=True)["cmap"].getBestCmap().items(), reverse=True)}
    return {}


def _respell_to_unicode(pdf: pikepdf.Pdf, spelled: dict, cmaps: dict) -> bool:
    """Write the ToUnicode maps with each spelled glyph's own text; tell whether any changed."""
    changed = False
    for key, own in spelled.items():
        if own:
            font = pdf.get_object(key)
            table = {**_cmap(font, cmaps), **own}
            font.ToUnicode = pdf.make_stream(_cmap_source(table), Type=pikepdf.Name.CMap, WMode=0)
            changed = True
    return changed


_CMAP_HEAD = """/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo 3 dict dup begin
/Registry (Adobe) def
/Ordering (UCS) def
/Supplement 0 def
end def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
"""
_CMAP_TAIL = """endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def _cmap_source(table: dict[int, str]) -> bytes:
    """Return a ToUnicode CMap mapping two-byte codes to text, in blocks of at most 100 entries."""
    entries = [f"<{code:04X}> <{text.encode('utf-16-be').hex().upper()}>" for code, text in sorted(table.items()) if text]
    blocks = [entries[i:i + 100] for i in range(0, len(entries), 100)]
    body = "".join(f"{len(block)} beginbfchar\n" + "\n".join(block) + "\nendbfchar\n" for block in blocks)
    return (_CMAP_HEAD + body + _CMAP_TAIL).encode("ascii")


def _cmap(font: pikepdf.Object, cache: dict) -> dict[int, str]:
    """Return a Type0 font's ToUnicode map as glyph code -> text."""
    key = font.objgen
    if key not in cache:
        stream = font.get("/ToUnicode")
        cache[key] = _parse_cmap(stream.read_bytes().decode("latin-1")) if stream is not None else {}
    return cache[key]


_BFCHAR = re.compile(r"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(r"beginbfrange(.*?)endbfrange", re.S)
_HEX_PAIR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
_HEX_RANGE = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")


def _parse_cmap(data: str) -> dict[int, str]:
    """Read the bfchar and bfrange entries of a ToUnicode CMap (the forms Typst writes)."""
    table: dict[int, str] = {}
    for block in _BFCHAR.findall(data):
        for code, text in _HEX_PAIR.findall(block):
            table[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be", "replace")
    for block in _BFRANGE.findall(data):
        for low, high, text in _HEX_RANGE.findall(block):
            first = bytes.fromhex(text).decode("utf-16-be", "replace")
            for offset in range(int(high, 16) - int(low, 16) + 1):
                table[int(low, 16) + offset] = first[:-1] + chr(ord(first[-1]) + offset) if first else ""
    return table


def _glyph_codes(operands: list) -> list[int]:
    """Return the two-byte glyph codes a Tj or TJ shows (Typst writes Identity-H fonts)."""
    items = operands[0] if isinstance(operands[0], pikepdf.Array) else operands
    codes: list[int] = []
    for item in items:
        if isinstance(item, pikepdf.String):
            codes += _two_byte_codes(bytes(item))
    return codes


def _two_byte_codes(raw: bytes) -> tuple[int, ...]:
    """Return the big-endian two-byte codes of a glyph string; an odd last byte is no glyph."""
    return struct.unpack(f">{len(raw) // 2}H", raw[:len(raw) // 2 * 2])


def _actual_text(operands: list) -> str | None:
    """Return the ActualText of a BDC's inline properties, if it has one."""
    if len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary):
        text = operands[1].get("/ActualText")
        return None if text is None else str(text)
    return None


def _pieces(ops: list, to_unicode: dict[str, dict[int, str]]) -> list[_Piece]:
    """Return the spans and the glyphs outside spans of a content stream, in order."""
    pieces: list[_Piece] = []
    font = ""
    stack: list[_Piece | None] = []
    for index, instruction in enumerate(ops):
        name = str(instruction.operator)  # unpacking every instruction costs three times more
        if name == "Tf":
            font = str(instruction.operands[0])
        elif name == "BDC":
            text = _actual_text(instruction.operands)
            span = _Piece(text, font, [], index) if text is not None and not any(stack) else None
            stack.append(span)
            if span:
                pieces.append(span)
        elif name in ("BMC",):
            stack.append(None)
        elif name == "EMC" and stack:
            stack.pop()
        elif name in _SHOW_TEXT:
            codes = _glyph_codes(instruction.operands)
            span = next((s for s in reversed(stack) if s), None)
            if span:
                span.font = span.font if span.glyphs else font  # Typst sets the font inside the span
                span.glyphs += codes
                span.shows.append(index)
                continue
            cmap = to_unicode.get(font, {})
            pieces += [_Piece(cmap.get(code, ""), font, [code], index, i) for i, code in enumerate(codes)]
    return pieces


def _repeats(pieces: list[_Piece]) -> _Fixes:
    """Find the pieces that repeat the cluster before them; return them as fixes."""
    fixes = _Fixes()
    cluster: _Piece | None = None
    seen: set[int] = set()
    for piece in pieces:
        repeat = (
            cluster is not None and (len(piece.text) > 1 or _is_cluster(piece.text)) and piece.text == cluster.text
            and piece.font == cluster.font and not seen.intersection(piece.glyphs)
        )
        if not repeat:
            cluster, seen = piece, set(piece.glyphs)
            continue
        seen.update(piece.glyphs)
        if piece.glyph_index < 0:
            fixes.silent_spans.add(piece.op)
        else:
            fixes.glyph_texts.setdefault(piece.op, {})[piece.glyph_index] = ""
    return fixes


def _cover_whole_cluster(pieces: list[_Piece], fixes: _Fixes, ops: list, widths: dict[str, dict[int, float]]) -> None:
    """Mark the spans whose glyphs to draw left to right.

    poppler places a span's text from the first glyph drawn to the end of the
    last one. Typst draws a mark after its base, moved back over it, so the
    text seems to end inside the base and the next letter seems a word away:
    pdftotext printed "ເຄື ອຂ່ າຍ" for "ເຄືອຂ່າຍ". Drawn so the glyph that
    reaches furthest comes last, the span covers its whole cluster.
    """
    for piece in pieces:
        if piece.glyph_index < 0 and piece.op not in fixes.silent_spans and len(piece.shows) == 1 and len(piece.glyphs) > 1:
            placed, _ = _placed_glyphs(ops[piece.shows[0]].operands, widths.get(piece.font, {}))
            if _drawing_order(placed) != (placed, []):
                fixes.reordered[piece.shows[0]] = piece.font


def _widths(font: pikepdf.Object) -> dict[int, float]:
    """Return the glyph widths of a Type0 font's descendant, in thousandths of the size."""
    descendant = font.get("/DescendantFonts", [None])[0]
    if descendant is None:
        return {}
    table: dict[int, float] = {}
    items = list(descendant.get("/W", []))
    i = 0
    while i < len(items):
        if isinstance(items[i + 1], pikepdf.Array):
            table.update((int(items[i]) + k, float(w)) for k, w in enumerate(items[i + 1]))
            i += 2
        else:
            table.update((code, float(items[i + 2])) for code in range(int(items[i]), int(items[i + 1]) + 1))
            i += 3
    table[-1] = float(descendant.get("/DW", 1000))
    return table


def _apply(ops: list, fixes: _Fixes, widths: dict[str, dict[int, float]]) -> list:
    """Return the operators with the repeated pieces silenced and the marked spans redrawn."""
    result = list(ops)
    for index in sorted(fixes.silent_spans | fixes.glyph_texts.keys() | fixes.reordered.keys(), reverse=True):
        if index in fixes.silent_spans:
            result[index] = _silent_span()
        elif index in fixes.reordered:
            result[index:index + 1] = _left_to_right(ops[index].operands, widths.get(fixes.reordered[index], {}))
        else:
            result[index:index + 1] = _split_show(ops[index].operands, fixes.glyph_texts[index])
    return result


def _left_to_right(operands: list, widths: dict[int, float]) -> list:
    """Return TJ operators drawing a span's glyphs at the same places, so the span covers its cluster."""
    placed, end = _placed_glyphs(operands, widths)
    spoken, silent = _drawing_order(placed)
    elements, pen = _positioned(spoken, 0.0)
    if not silent:
        return [_tj(elements + _move(pen, end))]
    rest, pen = _positioned(silent, pen)
    return [_tj(elements), pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")), _silent_span(), _tj(rest + _move(pen, end))]


def _drawing_order(placed: list) -> tuple[list, list]:
    """Return the glyphs to draw in the span, and those to draw after it in a span of empty ActualText.

    When one glyph covers the whole cluster (a base under its marks), it alone
    stays in the span. Otherwise the glyphs are drawn from the left, the one
    reaching furthest last.
    """
    anchor = max(placed, key=lambda g: (g[0] + g[1], -g[0]))
    if anchor[1] <= 0:  # only marks: nothing to cover
        return placed, []
    rest = sorted((g for g in placed if g is not anchor), key=lambda g: g[0])
    if rest and anchor[0] <= rest[0][0] + 1e-6:
        return [anchor], rest
    return [*rest, anchor], []


def _placed_glyphs(operands: list, widths: dict[int, float]) -> tuple[list[tuple[float, float, bytes]], float]:
    """Return each glyph of a Tj/TJ as (left, width, code bytes), and where the pen ends."""
    items = list(operands[0]) if isinstance(operands[0], pikepdf.Array) else list(operands)
    placed = []
    pen, default = 0.0, widths.get(-1, 1000.0)
    for item in items:
        if not isinstance(item, pikepdf.String):
            pen -= float(item)  # a TJ number moves back by thousandths of the size
            continue
        raw = bytes(item)
        for start, code in enumerate(_two_byte_codes(raw)):
            width = widths.get(code, default)
            placed.append((round(pen, 3), width, raw[2 * start:2 * start + 2]))  # as _number writes it
            pen += width
    return placed, pen


def _positioned(glyphs: list[tuple[float, float, bytes]], pen: float) -> tuple[list, float]:
    """Return TJ elements drawing `glyphs` at their places from `pen`, and where the pen ends."""
    elements: list = []
    for left, width, code in glyphs:
        elements += _move(pen, left)
        elements.append(pikepdf.String(code))
        pen = left + width
    return elements, pen


def _move(pen: float, to: float) -> list:
    """Return the TJ number that moves the pen from `pen` to `to`, if it must move."""
    return [_number(pen - to)] if abs(pen - to) > 1e-6 else []


def _tj(elements: list) -> pikepdf.ContentStreamInstruction:
    """Return a TJ operator showing `elements`, adjacent glyph strings joined."""
    return pikepdf.ContentStreamInstruction([pikepdf.Array(_merge_strings(elements))], pikepdf.Operator("TJ"))


def _number(value: float) -> int | float:
    """Return a TJ adjustment, as an integer when it is one."""
    rounded = round(value, 3)
    return int(rounded) if rounded == int(rounded) else rounded


def _silent_span() -> pikepdf.ContentStreamInstruction:
    """Return the BDC of a span that reads as nothing."""
    return _span("")


def _span(text: str) -> pikepdf.ContentStreamInstruction:
    """Return the BDC of a span that reads as `text`."""
    return pikepdf.ContentStreamInstruction([pikepdf.Name.Span, pikepdf.Dictionary(ActualText=pikepdf.String(text))], pikepdf.Operator("BDC"))


def _split_show(operands: list, texts: dict[int, str]) -> list:
    """Return a Tj/TJ as TJ operators, each glyph of `texts` inside a span of that ActualText ("" reads as nothing)."""
    items = list(operands[0]) if isinstance(operands[0], pikepdf.Array) else list(operands)
    runs: list[tuple[int | None, list]] = []  # (the glyph whose span this is, or None; TJ elements)
    glyph = 0
    for item in items:
        if not isinstance(item, pikepdf.String):
            if runs:
                runs[-1][1].append(item)
            else:
                runs.append((None, [item]))
            continue
        raw = bytes(item)
        for start in range(0, len(raw) - 1, 2):
            owner = glyph if glyph in texts else None
            if runs and owner is None and runs[-1][0] is None:
                runs[-1][1].append(pikepdf.String(raw[start:start + 2]))
            else:
                runs.append((owner, [pikepdf.String(raw[start:start + 2])]))
            glyph += 1
    out = []
    for owner, elements in runs:
        if owner is None:
            out.append(_tj(elements))
        else:
            out += [_span(texts[owner]), _tj(elements), pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))]
    return out


def _merge_strings(elements: list) -> list:
    """Join adjacent glyph strings of a TJ array back into one."""
    merged: list = []
    for element in elements:
        if merged and isinstance(element, pikepdf.String) and isinstance(merged[-1], pikepdf.String):
            merged[-1] = pikepdf.String(bytes(merged[-1]) + bytes(element))
        else:
            merged.append(element)
    return merged
