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

import io
import re
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
    silent_glyphs: dict[int, set[int]] = field(default_factory=dict)  # operator index -> glyph indexes
    reordered: dict[int, str] = field(default_factory=dict)  # a span's text-showing operator -> its font

    def __bool__(self) -> bool:
        return bool(self.silent_spans or self.silent_glyphs or self.reordered)


def repair(pdf_bytes: bytes) -> bytes:
    """Return `pdf_bytes` with every cluster reading back once; unchanged if nothing repeats."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        cmaps: dict[tuple[int, int], dict[int, str]] = {}
        changed = False
        for page in pdf.pages:
            if _has_clusters(page, cmaps):
                changed |= _repair_page(pdf, page, cmaps)
        if not changed:
            return pdf_bytes
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()


def _has_clusters(page: pikepdf.Page, cmaps: dict) -> bool:
    """Tell whether a page's fonts map any glyph to several characters, the only way a piece can repeat."""
    fonts = page.obj.get("/Resources", {}).get("/Font", {})
    return any(len(text) > 1 for font in fonts.values() for text in _cmap(font, cmaps).values())


def _repair_page(pdf: pikepdf.Pdf, page: pikepdf.Page, cmaps: dict) -> bool:
    """Silence the repeated pieces of one page; tell whether anything changed."""
    fonts = page.obj.get("/Resources", {}).get("/Font", {})
    to_unicode = {str(name): _cmap(font, cmaps) for name, font in fonts.items()}
    ops = pikepdf.parse_content_stream(page)
    pieces = _pieces(ops, to_unicode)
    fixes = _repeats(pieces)
    widths = {str(name): _widths(font) for name, font in fonts.items()}
    _cover_whole_cluster(pieces, fixes, ops, widths)
    if not fixes:
        return False
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(_apply(ops, fixes, widths)))
    return True


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
    codes = []
    for item in items:
        if isinstance(item, pikepdf.String):
            raw = bytes(item)
            codes += [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw) - 1, 2)]
    return codes


def _actual_text(operands: list) -> str | None:
    """Return the ActualText of a BDC's inline properties, if it has one."""
    if len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary) and "/ActualText" in operands[1]:
        return str(operands[1].ActualText)
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
            cluster is not None and len(piece.text) > 1 and piece.text == cluster.text
            and piece.font == cluster.font and not seen.intersection(piece.glyphs)
        )
        if not repeat:
            cluster, seen = piece, set(piece.glyphs)
            continue
        seen.update(piece.glyphs)
        if piece.glyph_index < 0:
            fixes.silent_spans.add(piece.op)
        else:
            fixes.silent_glyphs.setdefault(piece.op, set()).add(piece.glyph_index)
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
    for index in sorted(fixes.silent_spans | fixes.silent_glyphs.keys() | fixes.reordered.keys(), reverse=True):
        if index in fixes.silent_spans:
            result[index] = _silent_span()
        elif index in fixes.reordered:
            result[index:index + 1] = _left_to_right(ops[index].operands, widths.get(fixes.reordered[index], {}))
        else:
            result[index:index + 1] = _split_show(ops[index].operands, fixes.silent_glyphs[index])
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
    pen = 0.0
    for item in items:
        if not isinstance(item, pikepdf.String):
            pen -= float(item)  # a TJ number moves back by thousandths of the size
            continue
        raw = bytes(item)
        for start in range(0, len(raw) - 1, 2):
            width = widths.get(int.from_bytes(raw[start:start + 2], "big"), widths.get(-1, 1000.0))
            placed.append((round(pen, 3), width, raw[start:start + 2]))  # as _number writes it
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
    return pikepdf.ContentStreamInstruction([pikepdf.Name.Span, pikepdf.Dictionary(ActualText=pikepdf.String(""))], pikepdf.Operator("BDC"))


def _split_show(operands: list, silent: set[int]) -> list:
    """Return a Tj/TJ as TJ operators, each silent glyph inside an empty ActualText span."""
    items = list(operands[0]) if isinstance(operands[0], pikepdf.Array) else list(operands)
    runs: list[tuple[bool, list]] = []  # (silent, TJ elements)
    glyph = 0
    for item in items:
        if not isinstance(item, pikepdf.String):
            _append(runs, runs[-1][0] if runs else False, item)
            continue
        raw = bytes(item)
        for start in range(0, len(raw) - 1, 2):
            _append(runs, glyph in silent, pikepdf.String(raw[start:start + 2]))
            glyph += 1
    out = []
    for is_silent, elements in runs:
        show = _tj(elements)
        if is_silent:
            out.append(_silent_span())
            out += [show, pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))]
        else:
            out.append(show)
    return out


def _append(runs: list, silent: bool, element) -> None:
    """Add a TJ element to the last run if it is as silent, else start a run."""
    if runs and runs[-1][0] == silent:
        runs[-1][1].append(element)
    else:
        runs.append((silent, [element]))


def _merge_strings(elements: list) -> list:
    """Join adjacent glyph strings of a TJ array back into one."""
    merged: list = []
    for element in elements:
        if merged and isinstance(element, pikepdf.String) and isinstance(merged[-1], pikepdf.String):
            merged[-1] = pikepdf.String(bytes(merged[-1]) + bytes(element))
        else:
            merged.append(element)
    return merged
