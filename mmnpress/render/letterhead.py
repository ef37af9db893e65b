"""Build Word templates on the organisation's own letterhead (`letterhead:` in profile.yaml).

The letterhead is a Word document made in Word or LibreOffice. It is
untrusted input: it is checked within the limits used for reviewed
documents (review/safedocx.py: sizes, entry count, compression ratio, no
DOCTYPE, well-formed XML) and refused when it is larger than
MAX_LETTERHEAD_BYTES or carries macros. Its headers, footers, section
properties (page size, margins, first-page header) and styles are kept; the
styles, numbering and footnote separators mmnpress writes with are added
where it lacks them, and its body is replaced by the template's. What Word
would fetch, run or update on opening (an attached template, live fields,
linked pictures, external links: render/letterheadsafety.py) is stripped first, and
said in one line.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

from ..errors import MmnpressError, display_path
from .wordparts import RECOMMENDATION_NUM_ID, watermark

MAX_LETTERHEAD_BYTES = 10 * 1024 * 1024
MACRO_MARKERS = ("vbaproject", "vbadata", "macroenabled", "activex")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_DECL = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


class LetterheadError(MmnpressError):
    """Raise when a letterhead cannot be used; the message is one line naming it."""


def read_letterhead(path: Path) -> bytes:
    """Return the letterhead's bytes after checking it is a safe, macro-free Word document."""
    from ..safedocx import UnsafeDocxError, open_docx

    name = display_path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise LetterheadError(f"{name}: cannot read the letterhead: {error.strerror or error}") from None
    if size > MAX_LETTERHEAD_BYTES:
        raise LetterheadError(f"{name}: refused: the letterhead is {size / 2**20:.1f} MiB "
                              f"(limit {MAX_LETTERHEAD_BYTES // 2**20} MiB; make its images smaller)")
    try:
        package = open_docx(path)
        _refuse_macros(package)
        for member in package.members:
            if member.endswith((".xml", ".rels")):
                package.xml(member)  # well-formed, no DOCTYPE
    except UnsafeDocxError as error:
        raise LetterheadError(f"{error} (the letterhead must be a Word document saved as .docx)") from None
    return path.read_bytes()


def _refuse_macros(package) -> None:
    types = (package.read("[Content_Types].xml") or b"").decode("utf-8", "replace").lower()
    names = " ".join(package.members).lower()
    found = next((m for m in MACRO_MARKERS if m in types or m in names), None)
    if found:
        raise package.refuse(f"refused: the letterhead carries macros or controls ({found}); save it as a plain .docx")


def build_on(letterhead: Path, generated, styles: str = "house"):
    """Return the letterhead as a python-docx Document carrying `generated`'s body, styles and numbering.

    `styles` "house" takes only the letterhead's headers, footers and page setup
    (its styles give way to the profile's, but for those its headers and
    footers use); "letterhead" keeps its styles, adding the missing ones.
    """
    from docx import Document

    from .letterheadsafety import make_safe

    data = read_letterhead(letterhead)
    try:
        document = Document(io.BytesIO(data))
        _say_once(letterhead, data, make_safe(document))
        _drop_misspelt_core_properties(document)
        number = _add_numbering(document, generated)
        if styles == "house":
            _house_styles(document, generated)
        _add_styles(document, generated, number)
        _replace_footnotes(document, generated)
        _replace_body(document, generated)
        _keep_running_header_and_page_numbers(document)
        _add_watermarks(document)
    except Exception as error:  # python-docx met a part it cannot read, or one shaped unlike Word's
        raise LetterheadError(f"{display_path(letterhead)}: cannot build Word templates on this letterhead "
                              f"({type(error).__name__}: {error}); save it again from Word or LibreOffice as .docx") from None
    return document


_SAID: set[tuple[str, int]] = set()


def _say_once(letterhead: Path, data: bytes, removed) -> None:
    """Print on stderr, once per letterhead content in this process, what was stripped from it."""
    import sys

    if removed and (str(letterhead), hash(data)) not in _SAID:
        _SAID.add((str(letterhead), hash(data)))
        print(removed.line(display_path(letterhead)), file=sys.stderr)


def hazards(letterhead: Path) -> str | None:
    """Return the line saying what building on `letterhead` strips from it (None when nothing), for `check`."""
    from docx import Document

    from .letterheadsafety import make_safe

    try:
        removed = make_safe(Document(io.BytesIO(read_letterhead(letterhead))))
    except Exception:  # noqa: BLE001 - an unusable letterhead is the build's error to report
        return None
    return removed.line(display_path(letterhead)) if removed else None


def _numbering(document):
    """Return the letterhead's numbering definitions, adding an empty numbering part when it has none."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.parts.numbering import NumberingPart

    part = document.part
    if not any(rel.reltype == RT.NUMBERING for rel in part.rels.values()):
        blob = f'<w:numbering {W_DECL}/>'.encode()
        part.relate_to(NumberingPart.load(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, blob, part.package), RT.NUMBERING)
    return part.numbering_part.element


def _drop_misspelt_core_properties(document) -> None:
    """Drop a core-properties relationship python-docx does not recognise (LibreOffice writes 'officedocument').

    python-docx would add its own docProps/core.xml beside it: two zip entries of one name.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rels = document.part.package.rels
    for rel_id, rel in list(rels.items()):
        if rel.reltype != RT.CORE_PROPERTIES and rel.reltype.lower().endswith("/metadata/core-properties"):
            rels.pop(rel_id)


def _house_styles(document, generated) -> None:
    """Put the profile's styles and document defaults in place of the letterhead's, but for its headers' and footers' own."""
    styles = document.styles.element
    kept = _styles_of_headers_and_footers(document)
    theirs = {s.get(W + "styleId"): s for s in styles.iter(W + "style")}
    by_name = {_style_name(s): s for s in styles.iter(W + "style")}
    for style in generated.styles.element.iter(W + "style"):
        old = theirs.get(style.get(W + "styleId"))
        old = old if old is not None else by_name.get(_style_name(style))
        if old is not None and old.get(W + "styleId") not in kept:
            old.getparent().replace(old, copy.deepcopy(style))
    defaults = generated.styles.element.find(W + "docDefaults")
    old_defaults = styles.find(W + "docDefaults")
    if defaults is not None and old_defaults is not None:
        styles.replace(old_defaults, copy.deepcopy(defaults))
    elif defaults is not None:
        styles.insert(0, copy.deepcopy(defaults))


def _style_name(style) -> str:
    name = style.find(W + "name")
    return (name.get(W + "val") or "").lower() if name is not None else ""


def _styles_of_headers_and_footers(document) -> set[str]:
    """Return the ids of the styles the letterhead's headers and footers name."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    named = set()
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER):
            for tag in ("pStyle", "rStyle", "tblStyle"):
                named |= {e.get(W + "val") for e in rel.target_part.element.iter(W + tag)}
    return named


def _add_styles(document, generated, number: int) -> None:
    """Add every style of `generated` whose id the letterhead lacks; make Normal the default paragraph style if none is."""
    styles = document.styles.element
    have = {s.get(W + "styleId") for s in styles.iter(W + "style")}
    paragraph_styles = [s for s in styles.iter(W + "style") if s.get(W + "type") == "paragraph"]
    if not any(s.get(W + "default") in ("1", "true") for s in paragraph_styles):
        normal = next((s for s in paragraph_styles if s.get(W + "styleId") == "Normal"), None)
        if normal is not None:  # LibreOffice leaves it unmarked; Word and python-docx need one
            normal.set(W + "default", "1")
    for style in generated.styles.element.iter(W + "style"):
        if style.get(W + "styleId") in have:
            continue
        copied = copy.deepcopy(style)
        for num_id in copied.iter(W + "numId"):
            num_id.set(W + "val", str(number))
        styles.append(copied)


def _add_numbering(document, generated) -> int:
    """Copy the recommendation numbering under ids the letterhead does not use; return the num id."""
    numbering = _numbering(document)
    used = {int(e.get(W + "numId") or 0) for e in numbering.iter(W + "num")}
    used |= {int(e.get(W + "abstractNumId") or 0) for e in numbering.iter(W + "abstractNum")}
    number = RECOMMENDATION_NUM_ID if RECOMMENDATION_NUM_ID not in used else max(used) + 1
    source = generated.part.numbering_part.element
    for tag, attribute in (("abstractNum", "abstractNumId"), ("num", "numId")):
        for element in source.iter(W + tag):
            if element.get(W + attribute) != str(RECOMMENDATION_NUM_ID):
                continue
            copied = copy.deepcopy(element)
            copied.set(W + attribute, str(number))
            for ref in copied.iter(W + "abstractNumId"):
                ref.set(W + "val", str(number))
            if tag == "abstractNum":  # abstractNum elements precede num elements
                first_num = numbering.find(W + "num")
                if first_num is not None:
                    first_num.addprevious(copied)
                    continue
            numbering.append(copied)
    return number


def _replace_footnotes(document, generated) -> None:
    """Use the template's footnote separators (ids -1 and 0), so notes numbered from 1 never clash."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype == RT.FOOTNOTES:
            part.rels.pop(rel_id)
    notes = next(rel.target_part for rel in generated.part.rels.values() if rel.reltype == RT.FOOTNOTES)
    part.relate_to(Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, notes.blob, part.package), RT.FOOTNOTES)
    settings = document.settings.element
    for old in settings.findall(W + "footnotePr"):
        settings.remove(old)
    settings.insert(0, copy.deepcopy(generated.settings.element.find(W + "footnotePr")))


def _replace_body(document, generated) -> None:
    """Put the template's paragraphs in place of the letterhead's body; keep its section properties."""
    body = document.element.body
    section = body.find(W + "sectPr")
    for child in list(body):
        if child is not section:
            body.remove(child)
    for child in generated.element.body:
        if child.tag != W + "sectPr":
            if section is not None:
                section.addprevious(copy.deepcopy(child))
            else:
                body.append(copy.deepcopy(child))


def _keep_running_header_and_page_numbers(document) -> None:
    """Add the running title to the later pages' header and "Page X of Y" to every footer, as the house template has them.

    A letterhead without its own first page gets one (a copy of its header and
    footer), so the running title stays off the first page, under the letterhead;
    one with a first page but no first-page footer gets a footer with the page number.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = document.sections[0]
    if not section.different_first_page_header_footer:
        section.different_first_page_header_footer = True
        _copy_story(section.header, section.first_page_header)
        _copy_story(section.footer, section.first_page_footer)
    if "header_title" not in _story_text(section.header):
        section.header.add_paragraph("{{r header_title }}", _header_style(document, "Header"))
    for index, footer in enumerate((section.first_page_footer, section.footer, section.even_page_footer)):
        undefined_first = index == 0 and footer.is_linked_to_previous  # page 1 would have no footer
        if (footer.is_linked_to_previous and not undefined_first) or "page_of" in _story_text(footer) or _has_page_field(footer):
            continue
        paragraph = footer.add_paragraph("{{r page_of }}", _header_style(document, "Footer"))
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _copy_story(source, target) -> None:
    """Make the (new) header or footer `target` a copy of `source`, pictures included."""
    target.is_linked_to_previous = False
    element = target._element
    for child in list(element):
        element.remove(child)
    for child in source._element:
        element.append(copy.deepcopy(child))
    if source.is_linked_to_previous:
        return
    for rel_id, rel in source.part.rels.items():
        target.part.rels.add_relationship(rel.reltype, rel.target_ref if rel.is_external else rel.target_part, rel_id, rel.is_external)


def _story_text(story) -> str:
    return "" if story.is_linked_to_previous else "".join(t.text or "" for t in story._element.iter(W + "t"))


def _has_page_field(story) -> bool:
    instructions = [e.get(W + "instr") or "" for e in story._element.iter(W + "fldSimple")]
    instructions += [e.text or "" for e in story._element.iter(W + "instrText")]
    return any(text.split()[:1] == ["PAGE"] for text in instructions)


def _header_style(document, style_id: str):
    """Return the paragraph style of id `style_id` (LibreOffice's "Header" is not python-docx's "header"), or None."""
    from docx.styles.style import StyleFactory

    element = document.styles.element.get_by_id(style_id)
    return StyleFactory(element) if element is not None else None


def _add_watermarks(document) -> None:
    """Add the DRAFT watermark to every header of the letterhead."""
    seen = set()
    for section in document.sections:
        for header in (section.first_page_header, section.header, section.even_page_header):
            if header.is_linked_to_previous or id(header.part) in seen:
                continue
            seen.add(id(header.part))
            watermark(header)
