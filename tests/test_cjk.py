"""Chinese, Japanese and Korean text: the optional extra `mmnpress[cjk]`.

Without the extra (simulated by pointing fonts.py at a package that is not
installed, so the test runs whether or not the extra is), `check` names the
extra at each character and the build writes nothing. With it (the tests
skip when justmytype-intl-cjk is not installed; CI installs it), a statement
with a Chinese and a Korean name and a Japanese quote builds: pdftotext and
pypdf give the text back exactly, the PDF stays PDF/UA-1 and PDF/A-2a, and
every Word run with such text names its East Asian family, embedded as a
subset of the characters used.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from tests.conftest import write_statement

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W}
NAME_ZH, NAME_KO, QUOTE_JA = "王伟", "김민준", "「移民労働者の権利」"

STATEMENT = f"""\
extends: 2017-11-22-asean-consensus.yaml
title: Migrant workers from China, Japan and Korea
body:
  - The delegation met Wang Wei ({NAME_ZH}) and Kim Min-jun ({NAME_KO}) in Chiang Mai.
  - quote: {QUOTE_JA}は守られなければならない。
contacts:
  - name: Wang Wei
    name_local: {NAME_ZH}
    email: wang@example.org
  - name: Kim Min-jun
    name_local: {NAME_KO}
    email: kim@example.org
"""

needs_cjk = pytest.mark.skipif(not __import__("importlib").util.find_spec("justmytype_intl_cjk"),
                               reason="the cjk extra is not installed: pip install 'mmnpress[cjk]'")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def _clear_font_caches() -> None:
    from mmnpress import fonts
    from mmnpress.fonts import coverage
    from mmnpress.render import pdftext, wordfonts

    for cached in (fonts.font_folders, fonts.typst_fonts, fonts.families, coverage.packaged_cmap, coverage._typst_shows,
                   wordfonts.variable_file, pdftext._packaged_names):
        cached.cache_clear()


@pytest.fixture
def without_cjk_fonts(monkeypatch):
    """Make mmnpress look for the East Asian fonts in a package that is not installed, as without the extra."""
    from mmnpress import fonts

    monkeypatch.setattr(fonts, "CJK_PACKAGE", "justmytype_intl_cjk_not_installed")
    _clear_font_caches()
    yield
    _clear_font_caches()  # before monkeypatch puts the real package back: the next call finds it again


# ---------------------------------------------------------------- without the extra


def test_check_without_the_extra_names_it_at_each_character(project, cli, without_cjk_fonts):
    write_statement(project, "cjk.yaml", STATEMENT)
    result = cli("check", "statements/cjk.yaml")
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    hint = "so the PDF cannot show it; install the Chinese, Japanese and Korean fonts: pip install 'mmnpress[cjk]'"
    assert f"statements/cjk.yaml:4:34: error: no packaged font has 王 (U+738B CJK UNIFIED IDEOGRAPH-738B), {hint}" in errors
    assert f"statements/cjk.yaml:4:35: error: no packaged font has 伟 (U+4F1F CJK UNIFIED IDEOGRAPH-4F1F), {hint}" in errors
    assert f"statements/cjk.yaml:4:55: error: no packaged font has 김 (U+AE40 HANGUL SYLLABLE GIM), {hint}" in errors
    assert f"statements/cjk.yaml:5:12: error: no packaged font has 「 (U+300C LEFT CORNER BRACKET), {hint}" in errors
    assert f"statements/cjk.yaml:5:22: error: no packaged font has は (U+306F HIRAGANA LETTER HA), {hint}" in errors
    assert f"statements/cjk.yaml:8:17: error: no packaged font has 王 (U+738B CJK UNIFIED IDEOGRAPH-738B), {hint}" in errors
    assert f"statements/cjk.yaml:11:17: error: no packaged font has 김 (U+AE40 HANGUL SYLLABLE GIM), {hint}" in errors
    assert all(hint in line for line in errors)


def test_build_without_the_extra_refuses_and_writes_nothing(project, cli, without_cjk_fonts):
    write_statement(project, "cjk.yaml", STATEMENT)
    result = cli("build", "statements/cjk.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("statements/cjk.yaml:4:34: no packaged font has 王")
    assert "pip install 'mmnpress[cjk]'" in result.stderr.splitlines()[0]
    assert not (project / "build").exists() or not any((project / "build").iterdir())


def test_the_writing_of_east_asian_text():
    from mmnpress.fonts import CJK, cjk_fonts
    from mmnpress.unicode.scripts import east_asian_writing

    assert east_asian_writing("Wang Wei (王伟)", "en") == "zh-Hans"
    assert east_asian_writing("王伟", "zh-TW") == "zh-Hant"
    assert east_asian_writing(QUOTE_JA, "en") == "ja"  # kana make it Japanese
    assert east_asian_writing("移民", "ja") == "ja"
    assert east_asian_writing(f"{NAME_KO} {NAME_ZH}", "en") == "ko"
    assert east_asian_writing("Kim Min-jun", "ko") is None
    assert cjk_fonts("en") == tuple(CJK.values())
    assert cjk_fonts("ja")[0] == "Noto Sans JP" and cjk_fonts("ko-KR")[0] == "Noto Sans KR"
    assert cjk_fonts("zh-Hant")[0] == "Noto Sans TC" and sorted(cjk_fonts("ja")) == sorted(CJK.values())


# ---------------------------------------------------------------- with the extra


@pytest.fixture
def cjk_built(project, cli):
    """Build the statement with Chinese, Japanese and Korean text; return the project."""
    write_statement(project, "cjk.yaml", STATEMENT)
    checked = cli("check", "statements/cjk.yaml")
    assert ": error: " not in checked.output and checked.exit_code in (0, 1), checked.output
    result = cli("build", "statements/cjk.yaml")
    assert result.exit_code == 0, result.output
    return project


@needs_cjk
@needs_poppler
def test_the_pdf_gives_the_names_and_the_quote_back_exactly(cjk_built):
    import pypdf

    pdf = cjk_built / "build" / "cjk.pdf"
    poppler = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    second = "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    for text in (poppler, second):
        assert f"Wang Wei ({NAME_ZH}) and Kim Min-jun ({NAME_KO})" in text
        assert f"{QUOTE_JA}は守られなければならない。" in text
        assert f"Wang Wei ({NAME_ZH})" in text and f"Kim Min-jun ({NAME_KO})" in text  # the contact block


@needs_cjk
def test_the_pdf_stays_pdf_ua_and_pdf_a_and_embeds_the_east_asian_fonts(cjk_built):
    import pikepdf

    with pikepdf.open(cjk_built / "build" / "cjk.pdf") as pdf:
        xmp = str(pdf.Root.Metadata.read_bytes().decode())
        assert re.search(r"pdfuaid:part(>|=\")1", xmp) and re.search(r"pdfaid:part(>|=\")2", xmp)
        assert re.search(r"pdfaid:conformance(>|=\")A", xmp)
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked)
        families = {str(font.BaseFont).split("+")[-1].split("-")[0] for page in pdf.pages
                    for font in page.Resources.Font.values()}
        sizes = [len(font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()) for page in pdf.pages
                 for font in page.Resources.Font.values() if re.search(r"\+NotoSans(SC|KR|JP)", str(font.BaseFont))]
    assert {"NotoSansSC", "NotoSansKR", "NotoSansJP"} <= families  # the Japanese quote in Japanese forms, as in Word
    assert sizes and max(sizes) < 100_000  # subsets, not the 10-17 MB fonts


@needs_cjk
def test_a_statement_without_east_asian_text_gets_no_east_asian_font(built_examples):
    import pikepdf

    with pikepdf.open(built_examples("2017-11-22-asean-consensus.yaml").pdf) as pdf:
        names = {str(font.BaseFont) for page in pdf.pages for font in page.Resources.Font.values()}
    assert names and not [name for name in names if re.search("NotoSans(SC|JP|KR|TC)", name)]


@needs_cjk
def test_word_runs_name_the_east_asian_family_and_embed_a_subset(cjk_built):
    from docx import Document

    from tests.test_word_fonts import _embedded

    path = cjk_built / "build" / "cjk.docx"
    document = Document(str(path))
    runs = [run for paragraph in _paragraphs(document) for run in paragraph.runs]
    wanted = {NAME_ZH: "Noto Sans SC", NAME_KO: "Noto Sans KR", QUOTE_JA: "Noto Sans JP"}
    for text, family in wanted.items():
        holding = [run for run in runs if text in run.text]
        assert holding, text
        for run in holding:
            assert run._r.rPr.rFonts.get(f"{{{W}}}eastAsia") == family
    quote = next(run for run in runs if QUOTE_JA in run.text)
    assert quote.font.italic is False  # the Quote style is italic; East Asian fonts have none to show
    package = zipfile.ZipFile(path)
    styles = etree.fromstring(package.read("word/styles.xml"))
    assert {fonts.get(f"{{{W}}}eastAsia") for fonts in styles.iter(f"{{{W}}}rFonts")} == {"Noto Sans SC"}
    embedded = _embedded(package)
    for family in wanted.values():
        for style in ("Regular", "Bold"):
            font = embedded[family, style]
            cmap = font["cmap"].getBestCmap()
            east_asian = {c for c in NAME_ZH + NAME_KO + QUOTE_JA if ord(c) in cmap}
            assert east_asian and len(cmap) < 100 and "fvar" not in font
    table = etree.fromstring(package.read("word/fontTable.xml"))
    targets = {rel.get("Id"): rel.get("Target") for rel in etree.fromstring(package.read("word/_rels/fontTable.xml.rels"))}
    for family in wanted.values():
        entry = table.find(f"w:font[@w:name='{family}']", NS)
        for embed in (entry.find("w:embedRegular", NS), entry.find("w:embedBold", NS)):
            assert embed.get(f"{{{W}}}subsetted") == "1"
            assert package.getinfo("word/" + targets[embed.get(f"{{{R}}}id")]).file_size < 30_000


def _paragraphs(document):
    """Yield the paragraphs of the body and of its tables."""
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
