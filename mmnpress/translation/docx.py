"""A bilingual Word file for translators who work in Word or LibreOffice.

One table: a row per segment, the source on the left, the translation on
the right. The left cell starts with the segment path and the source's
hash (style "Segment"), then the source, then what the translator needs to
know (style "Segment Note"). Codes are placeholders (`{1}`, `{2}…{/2}`) in
the character style "Code", each in a content control whose content is
locked: Word lets the translator move or delete one, never edit it. The
right cell holds the pre-filled translation, or the codes alone to type
around. Reading back takes the text of each right cell, placeholders
included, whatever runs Word split it into.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ..errors import display_path
from . import inline
from .exchange import Incoming, Returned
from .exporter import REVIEW, Export, Unit

CODE, SEGMENT, NOTE = "Code", "Segment", "Segment Note"
IDENTIFIER = "mmnpress-translation"
_PLACEHOLDER = re.compile(r"\{/?\d+\}")
_HEAD = re.compile(r"^(\S+) · ([0-9a-f]{10})")


def write(export: Export) -> bytes:
    """Return the bilingual Word file of an export."""
    import io

    document = Document()
    _styles(document)
    properties = document.core_properties
    properties.identifier = IDENTIFIER
    properties.title = f"{export.original} ({export.source_lang} → {export.target_lang})"
    properties.comments = json.dumps({"original": export.original, "source": export.source_lang, "target": export.target_lang})
    document.add_paragraph(
        f"Translate the right column into '{export.target_lang}'. Keep every grey code ({{1}}; {{2}}…{{/2}} around text to "
        "translate) and move it where the translation needs it; change nothing in the left column. "
        "Rows marked 'to review' hold a translation of an earlier version of the source.")
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = f"Source ({export.source_lang})"
    table.rows[0].cells[1].text = f"Translation ({export.target_lang})"
    for unit in export.units:
        _row(table.add_row().cells, unit)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _styles(document) -> None:
    code = document.styles.add_style(CODE, WD_STYLE_TYPE.CHARACTER)
    code.font.color.rgb = RGBColor(0x80, 0x30, 0x00)
    code.font.highlight_color = WD_COLOR_INDEX.GRAY_25
    code.font.bold = True
    for name, size in ((SEGMENT, 8), (NOTE, 8)):
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x60, 0x60, 0x60)


def _row(cells, unit: Unit) -> None:
    segment = unit.segment
    left = cells[0].paragraphs[0]
    left.style = SEGMENT
    left.add_run(f"{segment.path} · {segment.digest}" + ("  (to review)" if unit.state == REVIEW else ""))
    _placeholders(cells[0].add_paragraph(), inline.placeholders(segment.content))
    cells[0].add_paragraph(segment.note() + (f"\nPre-filled from {unit.why}." if unit.why else ""), style=NOTE)
    for offer in unit.offers:
        cells[0].add_paragraph(f"{offer.score}% {offer.origin}: {offer.target}" if offer.score else f"{offer.origin}: {offer.target}",
                               style=NOTE)
    if unit.target is not None:
        _placeholders(cells[1].paragraphs[0], inline.placeholders(unit.target))
    else:
        _placeholders(cells[1].paragraphs[0], " ".join(_PLACEHOLDER.findall(inline.placeholders(segment.content))))


def _placeholders(paragraph, text: str) -> None:
    """Write text with placeholders: plain runs, and each placeholder a Code run in a locked content control."""
    at = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.start() > at:
            paragraph.add_run(text[at:match.start()])
        _locked(paragraph, match.group())
        at = match.end()
    if at < len(text):
        paragraph.add_run(text[at:])


def _locked(paragraph, text: str) -> None:
    run = paragraph.add_run(text, style=CODE)
    control = OxmlElement("w:sdt")
    properties = OxmlElement("w:sdtPr")
    lock = OxmlElement("w:lock")
    lock.set(qn("w:val"), "contentLocked")
    properties.append(lock)
    content = OxmlElement("w:sdtContent")
    run._r.addprevious(control)
    control.append(properties)
    control.append(content)
    content.append(run._r)


def read(path: Path) -> Returned:
    """Read a bilingual Word file back, opened as untrusted input (`safedocx`)."""
    from ..safedocx import main_part, open_docx

    shown = display_path(path)
    package = open_docx(path)
    core = package.xml("docProps/core.xml") if "docProps/core.xml" in package.members else None
    identifier = core.findtext(f"{{{_DC}}}identifier") if core is not None else None
    try:
        meta = json.loads(core.findtext(f"{{{_DC}}}description") or "") if core is not None else None
    except ValueError:
        meta = None
    main = package.xml(main_part(package) or "word/document.xml")
    table = next(main.iter(qn("w:tbl")), None) if main is not None else None
    if identifier != IDENTIFIER or not isinstance(meta, dict) or table is None:
        return Returned(shown, "", "", "", [], [(1, "this Word file was not made by mmnpress translate export --format docx")])
    units = []
    for number, row in enumerate(table.findall(qn("w:tr"))[1:], start=2):
        cells = row.findall(qn("w:tc"))
        head = _HEAD.match(_text(cells[0].find(qn("w:p")))) if len(cells) == 2 and cells[0].find(qn("w:p")) is not None else None
        if head is None:
            continue
        target = "\n".join(_text(p) for p in cells[1].findall(qn("w:p"))).strip()
        has_words = _PLACEHOLDER.sub("", target).strip()
        units.append(Incoming(head.group(1), number, head.group(2), target if has_words else None))
    return Returned(shown, str(meta.get("original", "")), str(meta.get("source", "")), str(meta.get("target", "")), units)


_DC = "http://purl.org/dc/elements/1.1/"


def _text(paragraph) -> str:
    """Return a paragraph's text, the runs inside content controls and hyperlinks included."""
    return "".join(node.text or "" if node.tag == qn("w:t") else "\t" for node in paragraph.iter(qn("w:t"), qn("w:tab")))
