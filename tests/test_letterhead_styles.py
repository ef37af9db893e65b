"""A letterhead lends its headers, footers and page setup; whose styles the Word file uses is the profile's choice.

`letterhead: letterhead.docx` and `letterhead: {file: ..., styles: house}` take
only header, footer, page size and margins from the letterhead: the Title,
headings and body text are the profile's, as without a letterhead.
`styles: letterhead` keeps the letterhead's own. Letterheads from python-docx
(its built-in blue Calibri Title and Headings) and from LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from tests import test_letterhead
from tests.letterheads import NAME
from tests.test_letterhead import run

harbour = test_letterhead.harbour  # the fixture: a project made by init whose profile names letterhead.docx
STYLES = ("Title", "Heading2", "Normal")  # style ids: LibreOffice names "Heading 2" where Word and python-docx say "heading 2"
BLUE = "2E74B5"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:default-style style:family="paragraph"><style:text-properties style:font-name="Liberation Sans" fo:font-size="11pt"/></style:default-style>
  <style:style style:name="Standard" style:family="paragraph" style:class="text"><style:paragraph-properties fo:text-align="start"/></style:style>
  <style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard" style:class="chapter">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="28pt" fo:color="#{blue}" style:font-name="Liberation Sans"/></style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Standard"
   style:default-outline-level="2" style:class="text"><style:text-properties fo:font-size="16pt" fo:color="#{blue}"/></style:style>
  <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard"/>
  <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard"/>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
   fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="1cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="1cm"/></style:footer-style></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p text:style-name="Header">{name}</text:p></style:header>
   <style:footer><text:p text:style-name="Footer">Registered charity 12345</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text><text:h text:style-name="Title">Letterhead title</text:h>
  <text:h text:style-name="Heading_20_2" text:outline-level="2">A heading</text:h>
  <text:p text:style-name="Standard">Body.</text:p></office:text></office:body>
</office:document>
"""


def python_docx_letterhead(path: Path) -> Path:
    """Write a letterhead as python-docx makes one: its default template's blue Calibri Title and Headings."""
    document = Document()
    document.sections[0].header.paragraphs[0].text = NAME
    document.sections[0].footer.paragraphs[0].text = "Registered charity 12345"
    document.add_paragraph("Letterhead title", "Title")
    document.add_paragraph("A heading", "Heading 2")
    document.save(path)
    return path


def libreoffice_letterhead(folder: Path) -> Path:
    """Convert a flat ODF letterhead with its own blue Title and Heading 2 to .docx with soffice (skip without it)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = folder / "letterhead.fodt"
    source.write_text(FODT.format(blue=BLUE, name=NAME), encoding="utf-8")
    profile = folder / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx", "--outdir", str(folder), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.rmtree(profile, ignore_errors=True)
    source.unlink()
    return folder / "letterhead.docx"


MAKERS = {"python-docx": python_docx_letterhead, "libreoffice": lambda path: libreoffice_letterhead(path.parent)}


def name_letterhead(folder: Path, value: str) -> None:
    """Replace the profile's `letterhead: letterhead.docx` line by `letterhead: VALUE`."""
    profile = folder / "profile.yaml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("letterhead: letterhead.docx", f"letterhead: {value}", 1), encoding="utf-8")


def look(path: Path) -> dict[str, tuple]:
    """Return font, colour, size, bold and alignment as each of Title, Heading 2 and Normal states them."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/styles.xml"))
    found = {}
    for style_id in STYLES:
        style = root.find(f"{W}style[@{W}styleId='{style_id}']")
        found[style_id] = tuple(_value(style, path) for path in ("rPr/rFonts@ascii", "rPr/color@val", "rPr/sz@val", "rPr/b@val", "pPr/jc@val"))
    return found


def _value(style, path: str) -> str | None:
    where, attribute = path.split("@")
    element = style.find("/".join(W + step for step in where.split("/")))
    if element is None:
        return None
    return element.get(W + attribute, "on")


def build_statement(folder: Path) -> Path:
    result = run("build", "statements/example-position-paper.yaml", "--to", "docx")
    assert result.exit_code == 0, result.output
    return folder.parent.parent / "build/example-position-paper.docx"


@pytest.fixture
def house_look(harbour) -> dict[str, tuple]:
    """Return the profile's styles: those of the Word file built without a letterhead."""
    profile = harbour / "profile.yaml"
    named = profile.read_text(encoding="utf-8")
    profile.write_text(named.replace("letterhead: letterhead.docx", "letterhead: null"), encoding="utf-8")
    found = look(build_statement(harbour))
    profile.write_text(named, encoding="utf-8")
    assert found["Normal"][4] == "both" and found["Title"][1] is not None
    return found


@pytest.mark.parametrize("maker", MAKERS)
@pytest.mark.parametrize("value", ["letterhead.docx", "{file: letterhead.docx}", "{file: letterhead.docx, styles: house}"])
def test_house_styles_win_over_the_letterheads(harbour, house_look, maker, value):
    made = MAKERS[maker](harbour / "letterhead.docx")
    mine = look(made)
    assert mine["Title"] != house_look["Title"]  # the letterhead's Title is its own (blue, another font)
    name_letterhead(harbour, value)
    out = build_statement(harbour)
    assert look(out) == house_look
    header = "".join(p.text for p in Document(str(out)).sections[0].header.paragraphs)
    assert NAME in header  # the letterhead still heads the page


@pytest.mark.parametrize("maker", MAKERS)
def test_letterhead_styles_keep_the_letterheads_own(harbour, house_look, maker):
    made = MAKERS[maker](harbour / "letterhead.docx")
    title = look(made)["Title"]
    name_letterhead(harbour, "{file: letterhead.docx, styles: letterhead}")
    out = build_statement(harbour)
    assert look(out)["Title"] == title
    if maker == "libreoffice":
        assert look(out)["Title"][1] == BLUE


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{file: letterhead.docx, styles: mine}", "'letterhead.styles' must be one of house, letterhead"),
        ("{styles: house}", "'letterhead' needs 'file:'"),
        ("{file: ../x.docx}", "letterhead.file must lie in templates/harbour"),
    ],
)
def test_a_wrong_letterhead_setting_is_a_placed_error(harbour, value, message):
    python_docx_letterhead(harbour / "letterhead.docx")
    name_letterhead(harbour, value)
    result = run("build", "statements/example-statement.yaml", "--to", "docx")
    assert result.exit_code == 2
    assert result.stderr.startswith("templates/harbour/profile.yaml:") and message in result.stderr, result.stderr


# Page numbers and the running title on a letterhead


def field_instructions(xml_root) -> list[str]:
    instructions = [e.get(W + "instr") or "" for e in xml_root.iter(W + "fldSimple")]
    return [text.split()[0] for text in instructions + [e.text or "" for e in xml_root.iter(W + "instrText")] if text.split()]


@pytest.mark.parametrize("maker", ["python-docx", "hand-written"])
def test_a_letterhead_keeps_page_x_of_y_and_the_running_title(harbour, maker):
    from tests.letterheads import LATER, raw_letterhead

    (python_docx_letterhead if maker == "python-docx" else raw_letterhead)(harbour / "letterhead.docx")
    out = build_statement(harbour)
    document = Document(str(out))
    title = next(p.text for p in document.paragraphs if p.style.style_id == "Title")
    section = document.sections[0]
    assert section.different_first_page_header_footer
    first, later = section.first_page_header, section.header
    first_text, later_text = (" ".join(p.text for p in story.paragraphs) for story in (first, later))
    assert title[:20] in later_text and title[:20] not in first_text, (first_text, later_text)
    assert (NAME if maker == "python-docx" else LATER) in later_text  # the letterhead's own header stays beside the running title
    for index, footer in enumerate((section.first_page_footer, section.footer)):
        text = " ".join(p.text for p in footer.paragraphs)
        if index == 1 or maker == "python-docx":  # the hand-written one has no first-page footer of its own
            assert "Registered charity 12345" in text, text
        assert field_instructions(footer._element) == ["PAGE", "NUMPAGES"], footer._element.xml
        assert "Page 1 of 1" in text or ("Page" in text and " of " in text), text
