"""Make a filled Word file pass Word's accessibility checker.

Applied after the template is filled, so it holds for every template,
an organisation's own letterhead included:

- every picture has alternative text: the profile's `logo_alt`, else the
  organisation's name; `logo_alt: ""` marks pictures decorative instead;
- the title is the first heading, at level 1 (Word's Title style has no
  outline level, so the About heading, a Heading 2, came first);
- fields are marked dirty, so Word recomputes PAGE and NUMPAGES instead of
  trusting the page count saved in the file. `w:updateFields` in the
  settings would do the same but asks the reader a question on every open;
- tables in the body that carry data repeat their first row as a header;
  tables in headers and footers lay out the letterhead and are marked as
  layout (no header row, a description saying so).
"""

from __future__ import annotations

from lxml import etree

from ..document import Profile
from .wordml import NSMAP, qn

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
LAYOUT_DESCRIPTION = "Layout table"
# pPr children that come after w:outlineLvl in CT_PPr.
_AFTER_OUTLINE = ("divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
# tblPr children that come after w:tblDescription in CT_TblPr.
_AFTER_DESCRIPTION = ("tblPrChange",)


def apply(docx, profile: Profile) -> None:
    """Give pictures their text, the title level 1, fields a fresh value and tables their roles."""
    _title_as_heading_1(docx.styles.element)
    alt = profile.name if profile.logo_alt is None else profile.logo_alt
    for part, root in _story_parts(docx.part.package):
        layout = part.partname.startswith(("/word/header", "/word/footer"))
        for picture in root.iter(f"{{{WP}}}docPr"):
            _describe(picture, alt)
        for field in [*root.iter(qn("w:fldSimple")), *root.iterfind(".//w:fldChar[@w:fldCharType='begin']", NSMAP)]:
            field.set(qn("w:dirty"), "true")
        for table in root.iter(qn("w:tbl")):
            _layout_table(table) if layout else _header_row(table)


def _story_parts(package):
    """Yield the document, header and footer parts with their XML roots (python-docx keeps them parsed)."""
    for part in package.iter_parts():
        if part.partname.startswith(("/word/document", "/word/header", "/word/footer")) and hasattr(part, "element"):
            yield part, part.element


def _describe(picture, alt: str) -> None:
    """Give a picture without a description `alt`, or mark it decorative when `alt` is empty."""
    if picture.get("descr"):
        return
    if alt:
        picture.set("descr", alt)
        return
    extensions = picture.find(f"{{{A}}}extLst")
    if extensions is None:
        extensions = etree.SubElement(picture, f"{{{A}}}extLst")
    extension = etree.SubElement(extensions, f"{{{A}}}ext", uri=DECORATIVE_EXT)
    etree.SubElement(extension, f"{{{DECORATIVE_NS}}}decorative", nsmap={"adec": DECORATIVE_NS}, val="1")


def _title_as_heading_1(styles) -> None:
    """Give the Title style outline level 1 (w:outlineLvl 0), so it heads the document's outline."""
    title = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='Title']")
    if title is None:
        return
    ppr = title.find(qn("w:pPr"))
    if ppr is None:
        ppr = etree.Element(qn("w:pPr"))
        before = title.find(qn("w:rPr"))
        before.addprevious(ppr) if before is not None else title.append(ppr)
    level = ppr.find(qn("w:outlineLvl"))
    if level is None:
        level = etree.Element(qn("w:outlineLvl"))
        _insert(ppr, level, _AFTER_OUTLINE)
    level.set(qn("w:val"), "0")


def _header_row(table) -> None:
    """Repeat the first row of a data table as its header."""
    row = table.find(qn("w:tr"))
    if row is None or row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
        return
    properties = row.find(qn("w:trPr"))
    if properties is None:
        properties = etree.Element(qn("w:trPr"))
        first = row.find(qn("w:tblPrEx"))
        (first.addnext if first is not None else lambda e: row.insert(0, e))(properties)
    etree.SubElement(properties, qn("w:tblHeader"))


def _layout_table(table) -> None:
    """Say in the table's description that it lays out the page and carries no data."""
    properties = table.find(qn("w:tblPr"))
    if properties is None or properties.find(qn("w:tblDescription")) is not None:
        return
    description = etree.Element(qn("w:tblDescription"))
    description.set(qn("w:val"), LAYOUT_DESCRIPTION)
    _insert(properties, description, _AFTER_DESCRIPTION)


def _insert(parent, child, later: tuple[str, ...]) -> None:
    """Insert `child` into `parent` before the first element named in `later`, else at the end."""
    for existing in parent:
        if etree.QName(existing).localname in later:
            existing.addprevious(child)
            return
    parent.append(child)
