"""Word's accessibility rules, applied to every example statement (every kind, every language).

The rules are those Word's checker reports as errors or warnings for what
mmnpress writes: pictures without alternative text, a first heading below
level 1 or a skipped level, fields whose saved result Word would show
unchanged, data tables without a header row. Each DOCX is read with lxml
as Word reads it: a paragraph's outline level comes from its own
properties or its style chain.
"""

from __future__ import annotations

import itertools
import re
import zipfile

import pytest
from lxml import etree

from tests.conftest import EXAMPLES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative"}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _outline_levels(styles) -> dict[str, int]:
    """Return each paragraph style's outline level (1-based), following basedOn."""
    own, based = {}, {}
    for style in styles.iterfind("w:style[@w:type='paragraph']", NS):
        sid = style.get(_w("styleId"))
        level = style.find("w:pPr/w:outlineLvl", NS)
        name = style.find("w:name", NS).get(_w("val")).lower()
        if level is not None:
            own[sid] = int(level.get(_w("val"))) + 1
        elif re.fullmatch(r"heading [1-9]", name):
            own[sid] = int(name[-1])  # Word's built-in headings carry their level implicitly
        parent = style.find("w:basedOn", NS)
        based[sid] = parent.get(_w("val")) if parent is not None else None
    levels = {}
    for sid in based:
        seen, current = set(), sid
        while current and current not in own and current not in seen:
            seen.add(current)
            current = based.get(current)
        if current in own:
            levels[sid] = own[current]
    return levels


def problems(path) -> list[str]:
    """Return every breach of the rules in the Word file at `path`."""
    package = zipfile.ZipFile(path)
    found = []
    stories = [n for n in package.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
    levels = _outline_levels(etree.fromstring(package.read("word/styles.xml")))
    for name in stories:
        root = etree.fromstring(package.read(name))
        for picture in root.iterfind(".//wp:docPr", NS):
            if not picture.get("descr") and picture.find(".//adec:decorative[@val='1']", NS) is None:
                found.append(f"{name}: picture {picture.get('name')!r} has no alternative text")
        for field in [*root.iterfind(".//w:fldSimple", NS), *root.iterfind(".//w:fldChar[@w:fldCharType='begin']", NS)]:
            if field.get(_w("dirty")) not in ("true", "1"):
                found.append(f"{name}: a field keeps its saved result")
        for table in root.iterfind(".//w:tbl", NS):
            if name.startswith("word/document"):
                if table.find("w:tr/w:trPr/w:tblHeader", NS) is None:
                    found.append(f"{name}: a data table has no header row")
            elif table.find("w:tblPr/w:tblDescription", NS) is None:
                found.append(f"{name}: a layout table does not say it is one")
    headings = []
    for paragraph in etree.fromstring(package.read("word/document.xml")).iterfind(".//w:body//w:p", NS):
        own = paragraph.find("w:pPr/w:outlineLvl", NS)
        style = paragraph.find("w:pPr/w:pStyle", NS)
        level = int(own.get(_w("val"))) + 1 if own is not None else levels.get(style.get(_w("val")) if style is not None else "Normal")
        if level and level <= 9 and "".join(paragraph.itertext()).strip():
            headings.append(level)
    if not headings or headings[0] != 1:
        found.append(f"the first heading is level {headings[0] if headings else None}, not 1")
    found += [f"heading level {b} follows level {a}" for a, b in itertools.pairwise(headings) if b > a + 1]
    return found


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_passes_the_rules(built_examples, name):
    assert problems(built_examples(name).docx) == []


def test_the_title_is_the_first_heading_and_the_logo_says_whose_it_is(built_examples):
    built = built_examples("2017-11-22-asean-consensus.th.yaml")
    package = zipfile.ZipFile(built.docx)
    pictures = [p for n in package.namelist() if n.startswith("word/header")
                for p in etree.fromstring(package.read(n)).iterfind(".//wp:docPr", NS)]
    assert pictures and {p.get("descr") for p in pictures} == {built.document.profile.name}
    levels = _outline_levels(etree.fromstring(package.read("word/styles.xml")))
    assert levels["Title"] == 1 and levels["Heading2"] == 2


def test_the_rules_find_what_an_unfixed_file_breaks(built_examples, tmp_path):
    """The checker above is not blind: the same file without the fixes breaks every rule."""
    source = zipfile.ZipFile(built_examples("2017-11-22-asean-consensus.yaml").docx)
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith(("word/header", "word/footer", "word/styles")):
                data = re.sub(rb' descr="[^"]*"| w:dirty="true"|<w:tblDescription [^>]*/>|<w:outlineLvl w:val="0"/>',
                              b"", data)
            out.writestr(item, data)
    found = problems(broken)
    assert any("alternative text" in p for p in found)
    assert any("saved result" in p for p in found)
    assert any("layout table" in p for p in found)
    assert any("first heading is level 2" in p for p in found)


def test_an_empty_logo_alt_marks_the_logo_decorative(project, cli):
    profile = next((project / "templates").glob("*/profile.yaml"))
    profile.write_text(profile.read_text(encoding="utf-8") + '\nlogo_alt: ""\n', encoding="utf-8")
    result = cli("build", "statements/2017-11-22-asean-consensus.yaml", "--to", "docx")
    assert result.exit_code == 0, result.output
    package = zipfile.ZipFile(project / "build" / "2017-11-22-asean-consensus.docx")
    header = b"".join(package.read(n) for n in package.namelist() if n.startswith("word/header"))
    assert b"decorative" in header and b' descr="' not in header
    assert problems(project / "build" / "2017-11-22-asean-consensus.docx") == []
