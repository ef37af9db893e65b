"""Make the Word templates of an organisation from its profile.

Every kind (statement, press release, position paper) gets a docxtpl
template: the letterhead, styles, numbering, footnote separators and the
DRAFT watermark, all from `profile.yaml`. With `letterhead:` the templates
are built on the organisation's own Word document instead: its header,
footer, page setup and styles stay, and the styles mmnpress writes with are
added where it lacks them. Designers may edit a template in Word afterwards
and keep it in templates/<name>/; the Jinja tags ({{r title }}, {{p body }},
...) must stay.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from ..document import Profile
from ..schema import KINDS
from .wordparts import RECOMMENDATION_NUM_ID, watermark

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CS_FONT = "Noto Sans Thai"  # complex-script slot; runs in other scripts name their own font
PROFILE_PROPERTY = "mmnpress.profile"  # the profile hash a template was made from
# The paragraph style of each line the outline holds.
LINE_STYLES = {"kind_line": "Release Line", "date_line": "Date Line", "end_mark": "End Mark"}
NAME_FIELD = "{{ organisation.name }}"  # the organisation's name in the document's language, filled when a document is built


def template_bytes(profile: Profile, kind: str, stamp: str, letterhead: Path | None = None, letterhead_styles: str = "house",
                   names_per_language: bool = False) -> bytes:
    """Return the Word template of `kind` for `profile`, marked with the profile hash `stamp`.

    `letterhead_styles` says whose styles a letterhead's template keeps: "house" (the profile's) or "letterhead".
    With `names_per_language` the letterhead prints the name of each document's language (a field filled when it is built).
    """
    document = _base_document(replace(profile, name=NAME_FIELD) if names_per_language else profile)
    _summary_style(document, kind, profile)
    _body(document, kind, profile)
    if letterhead is not None:
        from .letterhead import build_on

        document = build_on(letterhead, document, letterhead_styles)
    _properties(document, profile, stamp)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_templates(profile: Profile, folder: Path, stamp: str, letterhead: Path | None = None,
                    letterhead_styles: str = "house", names_per_language: bool = False) -> list[Path]:
    """Write the template of every kind into `folder`; return the files written."""
    from ..files import write_atomically

    written = []
    for kind in KINDS:
        path = folder / f"{kind}.docx"
        write_atomically(path, template_bytes(profile, kind, stamp, letterhead, letterhead_styles, names_per_language))
        written.append(path)
    return written


def _properties(document, profile: Profile, stamp: str) -> None:
    """Name mmnpress and the profile in the core properties; record the profile hash."""
    from .. import __version__

    core = document.core_properties
    core.author = core.last_modified_by = "mmnpress"
    core.comments = f"Word template made by mmnpress {__version__} from the profile of {profile.name}"[:255]
    core.title = f"{profile.name} template"[:255]
    _custom_property(document, PROFILE_PROPERTY, stamp)
    _application(document, f"mmnpress {__version__}")


def _application(document, name: str) -> None:
    """Name mmnpress as the application (python-docx's own template says Microsoft Macintosh Word, with stale counts)."""
    from xml.sax.saxutils import escape

    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            package.rels.pop(rel_id)
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    blob = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{ns}"><Application>{escape(name)}</Application></Properties>'
    content_type = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
    package.relate_to(Part(PackURI("/docProps/app.xml"), content_type, blob.encode("utf-8"), package), RT.EXTENDED_PROPERTIES)


def _custom_property(document, name: str, value: str) -> None:
    from xml.sax.saxutils import escape, quoteattr

    ns = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            package.rels.pop(rel_id)
    blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{ns}" xmlns:vt="{vt}">'
            f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name={quoteattr(name)}>'
            f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property></Properties>")
    content_type = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    part = Part(PackURI("/docProps/custom.xml"), content_type, blob.encode("utf-8"), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _base_document(profile: Profile):
    document = Document()
    look = {
        "primary": _rgb(profile.primary),
        "accent": _rgb(profile.accent),
        "body": profile.body_font,
        "heading": profile.heading_font,
        "tint": _tint(profile.primary),
    }
    _page(document)
    _styles(document, look)
    _numbering(document, profile.accent)
    _footnotes_part(document)
    _headers(document, profile, look)
    _footer(document, look)
    return document


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.3)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.0)
    section.different_first_page_header_footer = True


def _font(style, name: str, size: float, colour: RGBColor | None = None, bold=None, italic=None) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    if colour is not None:
        style.font.color.rgb = colour
    style.font.bold = bold
    style.font.italic = italic
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the family named here
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(slot), name)
    fonts.set(qn("w:cs"), CS_FONT)
    _complex_script_twins(style.element.get_or_add_rPr(), size, bold, italic)


def _complex_script_twins(rpr, size: float, bold, italic) -> None:
    """Give Thai, Lao, Khmer and Burmese text (Word's complex scripts) the same size, bold and italic."""
    for tag, on in (("w:bCs", bold), ("w:iCs", italic)):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
        if on is not None:
            rpr.append(parse_xml(f'<{tag} {W_NS} w:val="{"1" if on else "0"}"/>'))
    for old in rpr.findall(qn("w:szCs")):
        rpr.remove(old)
    rpr.append(parse_xml(f'<w:szCs {W_NS} w:val="{round(size * 2)}"/>'))
    _order_rpr(rpr)


RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
             "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
             "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
             "em", "lang", "eastAsianLayout", "specVanish", "oMath"]


def _order_rpr(rpr) -> None:
    """Sort run properties into the order the schema demands (Word refuses others)."""
    children = sorted(rpr, key=lambda e: RPR_ORDER.index(e.tag.split("}")[1]) if e.tag.split("}")[1] in RPR_ORDER else 99)
    for child in children:
        rpr.append(child)


def _style(document, name: str, base: str | None = "Normal", kind=WD_STYLE_TYPE.PARAGRAPH):
    styles = document.styles
    style = _named(styles, name) or styles.add_style(name, kind)
    if base and kind == WD_STYLE_TYPE.PARAGRAPH:
        style.base_style = _named(styles, base)
    style.hidden = False
    style.quick_style = True
    return style


def _named(styles, name: str):
    """Return the style called `name`, or None: one XPath lookup (python-docx's `in` and [] walk every style)."""
    from docx.styles import BabelFish
    from docx.styles.style import StyleFactory

    element = styles.element.get_by_name(BabelFish.ui2internal(name))
    return StyleFactory(element) if element is not None else None


def _spacing(style, before=0, after=6, line=1.15, keep_next=False) -> None:
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(before), Pt(after), line
    fmt.keep_with_next = keep_next


def _styles(document, look: dict) -> None:
    grey = RGBColor(0x59, 0x59, 0x59)
    normal = document.styles["Normal"]
    _font(normal, look["body"], 10.5)
    _spacing(normal, after=8, line=1.2)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, size, colour, bold, italic, before, after in (
        ("Title", 18, look["primary"], True, False, 6, 6),
        ("Subtitle", 12, grey, False, True, 0, 4),
        ("Heading 1", 18, look["primary"], True, False, 6, 6),
        ("Heading 2", 12.5, look["primary"], True, False, 12, 4),
    ):
        style = _style(document, name)
        _font(style, look["heading"], size, colour, bold, italic)
        _spacing(style, before, after, 1.1, keep_next=True)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _no_borders(style)
    _special_styles(document, look, grey)


def _no_borders(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _special_styles(document, look: dict, grey: RGBColor) -> None:
    date_line = _style(document, "Date Line")
    _font(date_line, look["heading"], 10, grey)
    _spacing(date_line, 0, 14)
    release = _style(document, "Release Line")
    _font(release, look["heading"], 10.5, look["accent"], True)
    _spacing(release, 0, 8)
    quote = _style(document, "Quote")
    _font(quote, look["body"], 10.5, grey, None, True)
    quote.paragraph_format.left_indent = quote.paragraph_format.right_indent = Cm(1)
    item = _style(document, "Recommendation")
    item.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="{RECOMMENDATION_NUM_ID}"/></w:numPr>')
    )
    item.paragraph_format.left_indent, item.paragraph_format.first_line_indent = Cm(0.8), Cm(-0.8)
    end_mark = _style(document, "End Mark")
    _font(end_mark, look["heading"], 10.5, look["accent"], True)
    end_mark.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(end_mark, 10, 10)
    _contact_styles(document, look, grey)
    _header_footer_styles(document, look)
    reference = _style(document, "Reference")
    reference.paragraph_format.left_indent, reference.paragraph_format.first_line_indent = Cm(1), Cm(-1)
    reference.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _footnote_styles(document, look)


def _tint(hex_colour: str, amount: float = 0.91) -> str:
    """Return the colour lightened towards white as Typst's lighten() does (the PDF's box fill)."""
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in channels)


def _summary_style(document, kind: str, profile: Profile) -> None:
    """Make the summary a lead paragraph; a tinted box in position papers (as in the PDF)."""
    style = _style(document, "Summary")
    style.font.size = Pt(12 if kind != "position-paper" else 11.5)
    _spacing(style, 0, 12, 1.2)
    if kind == "position-paper":
        tint = _tint(profile.primary)
        ppr = style.element.get_or_add_pPr()
        ppr.append(parse_xml(
            f'<w:pBdr {W_NS}>' + "".join(
                f'<w:{side} w:val="single" w:sz="4" w:space="8" w:color="{tint}"/>' for side in ("top", "left", "bottom", "right")
            ) + "</w:pBdr>"
        ))
        ppr.append(parse_xml(f'<w:shd {W_NS} w:val="clear" w:color="auto" w:fill="{tint}"/>'))
        style.paragraph_format.left_indent = style.paragraph_format.right_indent = Cm(0.3)


def _header_footer_styles(document, look: dict) -> None:
    for name in ("Header", "Footer"):
        style = _style(document, name)
        _font(style, look["heading"], 8, RGBColor(0x70, 0x70, 0x70))
        _spacing(style, 0, 0, 1.0)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        ppr = style.element.get_or_add_pPr()
        for tabs in ppr.findall(qn("w:tabs")):
            ppr.remove(tabs)
        style.paragraph_format.tab_stops.add_tab_stop(Cm(16.4), WD_TAB_ALIGNMENT.RIGHT)


def _contact_styles(document, look: dict, grey: RGBColor) -> None:
    box = f'<w:shd {W_NS} w:val="clear" w:color="auto" w:fill="{look["tint"]}"/>'
    border = (
        f'<w:pBdr {W_NS}><w:left w:val="single" w:sz="18" w:space="8" '
        f'w:color="{look["accent"]}"/></w:pBdr>'
    )
    for name, bold, size, colour, after in (
        ("Contact Heading", True, 10.5, look["primary"], 2),
        ("Contact Heading English", False, 9, grey, 6),
        ("Contact", False, 9.5, None, 0),
    ):
        style = _style(document, name)
        _font(style, look["heading"], size, colour, bold)
        _spacing(style, 0, after, 1.15)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        ppr = style.element.get_or_add_pPr()
        ppr.append(parse_xml(border))
        ppr.append(parse_xml(box))
        style.paragraph_format.left_indent = Cm(0.3)


def _footnote_styles(document, look: dict) -> None:
    text = _style(document, "Footnote Text")
    text.element.set(qn("w:styleId"), "FootnoteText")
    _font(text, look["body"], 8.5)
    _spacing(text, 0, 2, 1.0)
    text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    ref = _style(document, "Footnote Reference", None, WD_STYLE_TYPE.CHARACTER)
    ref.element.set(qn("w:styleId"), "FootnoteReference")
    ref.font.superscript = True
    link = _style(document, "Hyperlink", None, WD_STYLE_TYPE.CHARACTER)
    link.element.set(qn("w:styleId"), "Hyperlink")
    link.font.color.rgb = look["primary"]
    link.font.underline = True


def _numbering(document, accent: str) -> None:
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="{RECOMMENDATION_NUM_ID}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:pStyle w:val="Recommendation"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="454" w:hanging="454"/></w:pPr>'
        f'<w:rPr><w:b/><w:color w:val="{accent.lstrip("#")}"/></w:rPr></w:lvl></w:abstractNum>'
    ))
    numbering.append(parse_xml(
        f'<w:num {W_NS} w:numId="{RECOMMENDATION_NUM_ID}"><w:abstractNumId w:val="{RECOMMENDATION_NUM_ID}"/></w:num>'
    ))
    # abstractNum elements must precede num elements in the schema
    for num in numbering.findall(qn("w:num")):
        numbering.remove(num)
        numbering.append(num)


def _footnotes_part(document) -> None:
    xml = (
        f'<w:footnotes {nsdecls("w", "r")}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:r><w:continuationSeparator/></w:r></w:p></w:footnote></w:footnotes>'
    )
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    settings = document.settings.element
    settings.insert(0, parse_xml(f'<w:footnotePr {W_NS}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'))


def _headers(document, profile: Profile, look: dict) -> None:
    section = document.sections[0]
    first = section.first_page_header
    first.is_linked_to_previous = False
    _letterhead(first, profile, look)
    watermark(first)
    later = section.header
    later.is_linked_to_previous = False
    line = later.paragraphs[0]
    line.text = "{{r header_title }}"
    for run in line.runs:
        run.font.name, run.font.size, run.font.color.rgb = look["heading"], Pt(8), RGBColor(0x70, 0x70, 0x70)
    _bottom_rule(line, profile.accent)
    watermark(later)


def _letterhead(header, profile: Profile, look: dict) -> None:
    """Lay out logo, name, and address lines at the right, as the Typst letterhead does."""
    table = header.add_table(rows=1, cols=3, width=Cm(16.4))
    widths = (Cm(1.9), Cm(8.5), Cm(6.0))
    table.autofit = False
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
        column.width = cell.width = width
        cell.vertical_alignment = 1  # centre
    logo_cell, name_cell, address_cell = table.rows[0].cells
    if profile.logo and Path(profile.logo).is_file():
        logo_cell.paragraphs[0].add_run().add_picture(profile.logo, height=Cm(1.5))
    name = name_cell.paragraphs[0].add_run(profile.name)
    name.font.name, name.font.size, name.font.bold = look["heading"], Pt(15), True
    name.font.color.rgb = look["primary"]
    lines = [*_address_lines(profile.address), profile.website]
    address = address_cell.paragraphs[0]
    address.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for index, text in enumerate(x for x in lines if x):
        run = address.add_run(("\n" if index else "") + text)
        run.font.name, run.font.size, run.font.color.rgb = look["heading"], Pt(7.5), RGBColor(0x70, 0x70, 0x70)
    for cell in table.rows[0].cells:
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
        cell.paragraphs[0].paragraph_format.alignment = cell.paragraphs[0].paragraph_format.alignment or WD_ALIGN_PARAGRAPH.LEFT
    rule = header.paragraphs[0]
    header._element.remove(rule._p)
    header._element.append(rule._p)  # the rule goes under the table
    _bottom_rule(rule, profile.accent)


def _address_lines(address: str) -> list[str]:
    """Split an address in two lines at the comma nearest its middle (as common.typ does)."""
    parts = address.split(", ")
    if len(parts) < 3:
        return [address] if address else []
    best = min(range(1, len(parts)), key=lambda k: abs(len(", ".join(parts[:k])) * 2 - len(address)))
    return [", ".join(parts[:best]) + ",", ", ".join(parts[best:])]


def _bottom_rule(paragraph, colour: str) -> None:
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {W_NS}><w:bottom w:val="single" w:sz="8" w:space="4" w:color="{colour.lstrip("#")}"/></w:pBdr>'
    ))


def _footer(document, look: dict) -> None:
    section = document.sections[0]
    for footer in (section.footer, section.first_page_footer):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.text = f"{NAME_FIELD}\t{{{{r page_of }}}}"
        for run in paragraph.runs:
            run.font.name, run.font.size = look["heading"], Pt(8)
            run.font.color.rgb = RGBColor(0x70, 0x70, 0x70)


def _add(document, text: str, style: str | None = None):
    paragraph = document.add_paragraph(text)
    if style:
        paragraph.style = document.styles[style]
    return paragraph


def _body(document, kind: str, profile: Profile) -> None:
    """Write the template's body: one placeholder per section of the kind's outline, in its order."""
    from ..document import LINE, PEOPLE, SUBTITLE, TITLE
    from ..outline import slots

    body = document.paragraphs[0] if document.paragraphs else None
    if body is not None and not body.text:
        body._p.getparent().remove(body._p)
    for slot in slots(kind, profile):
        if slot.part.holds == LINE:
            _add(document, f"{{{{ {slot.key} }}}}", LINE_STYLES[slot.key])
        elif slot.part.holds == TITLE:
            _add(document, "{{r title }}", "Title")
        elif slot.part.holds == SUBTITLE:
            _add(document, "{%p if subtitle %}")
            _add(document, "{{r subtitle }}", "Subtitle")
            _add(document, "{%p endif %}")
        else:  # the contact block writes its own heading
            _section(document, slot.key, "" if slot.part.holds == PEOPLE else slot.part.heading)


def _section(document, tag: str, heading: str) -> None:
    """Write a section shown only when it has content, under the heading of label key `heading` (if any)."""
    _add(document, f"{{%p if {tag} %}}")
    if heading:
        _add(document, f"{{{{ headings.{heading} }}}}", "Heading 2")
    _add(document, f"{{{{p {tag} }}}}")
    _add(document, "{%p endif %}")
