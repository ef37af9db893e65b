"""An organisation's own Word letterhead (`letterhead:` in profile.yaml) under every kind's output."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.docx_reader import header_images, header_text, paragraphs
from tests.letterheads import ADDRESS, LATER, LOGO, NAME, libreoffice_letterhead, macro_letterhead, raw_letterhead

KINDS = ("statement", "press-release", "position-paper")


def run(*args: str):
    from mmnpress.commands.main import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def harbour(tmp_path, monkeypatch) -> Path:
    """Return a project made by init whose profile names letterhead.docx (not yet written)."""
    monkeypatch.chdir(tmp_path)
    assert run("init", "--name", NAME, "--organisation", "harbour").exit_code == 0
    profile = tmp_path / "templates/harbour/profile.yaml"
    text = profile.read_text(encoding="utf-8").replace("# letterhead: letterhead.docx", "letterhead: letterhead.docx")
    profile.write_text(text, encoding="utf-8")
    return tmp_path / "templates/harbour"


def assert_every_kind_is_on_the_letterhead(folder: Path, address: str = ADDRESS) -> None:
    result = run("build", "--to", "docx")
    assert result.exit_code == 0, result.output
    for kind in KINDS:
        out = folder / "build" / f"example-{kind}.docx"
        header = header_text(out)
        assert NAME in header and address in header and LATER in header, header
        assert LOGO in header_images(out)
        texts = [p.text for p in paragraphs(out)]
        assert "Dear reader, this text is replaced." not in texts
        assert any(t.startswith("Replace this line with the") for t in texts)
        assert "Contact" in {p.style.name for p in paragraphs(out)}  # mmnpress's styles were added


def test_a_hand_written_ooxml_letterhead_heads_every_kind(harbour):
    raw_letterhead(harbour / "letterhead.docx")
    assert_every_kind_is_on_the_letterhead(harbour.parent.parent)
    out = harbour.parent.parent / "build" / "example-statement.docx"
    with zipfile.ZipFile(out) as archive:
        document = archive.read("word/document.xml").decode()
        first_header = next(archive.read(n).decode() for n in archive.namelist() if "header" in n and "txbxContent" in archive.read(n).decode())
    assert '<w:pgSz w:w="12240" w:h="15840"/>' in document and "<w:titlePg/>" in document  # US Letter, own first page
    assert ADDRESS in first_header  # the text box survived
    from docx import Document

    title = Document(str(out)).styles["Title"]
    assert str(title.font.color.rgb) != "0B6E4F"  # the profile's Title (styles: house, the default), not the letterhead's
    profile = harbour / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("letterhead: letterhead.docx",
                                                                   "letterhead: {file: letterhead.docx, styles: letterhead}"), encoding="utf-8")
    assert run("build", "statements/example-statement.yaml", "--to", "docx").exit_code == 0
    assert str(Document(str(out)).styles["Title"].font.color.rgb) == "0B6E4F"  # styles: letterhead keeps its own


def test_a_libreoffice_letterhead_heads_every_kind(harbour):
    made = libreoffice_letterhead(harbour)
    if made is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    assert made == harbour / "letterhead.docx"
    assert_every_kind_is_on_the_letterhead(harbour.parent.parent)


def test_a_letterhead_edit_shows_in_the_next_build(harbour):
    raw_letterhead(harbour / "letterhead.docx")
    assert run("build", "--to", "docx").exit_code == 0
    data = (harbour / "letterhead.docx").read_bytes()
    with zipfile.ZipFile(harbour / "letterhead.docx") as old:
        parts = {n: old.read(n) for n in old.namelist()}
    parts["word/header2.xml"] = parts["word/header2.xml"].replace(LATER.encode(), b"Harbour Workers Union, new header")
    with zipfile.ZipFile(harbour / "letterhead.docx", "w") as new:
        for name, content in parts.items():
            new.writestr(name, content)
    assert data != (harbour / "letterhead.docx").read_bytes()
    assert run("build", "--to", "docx").exit_code == 0
    assert "new header" in header_text(harbour.parent.parent / "build" / "example-statement.docx")


def _refused(harbour: Path) -> str:
    result = run("build", "statements/example-statement.yaml", "--to", "docx")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert not (harbour.parent.parent / "build" / "example-statement.docx").exists()
    return result.stderr


def test_a_letterhead_that_is_not_a_word_document_is_refused(harbour):
    (harbour / "letterhead.docx").write_text("a letter, not a zip", encoding="utf-8")
    assert "letterhead.docx: not a Word document (not a zip archive)" in _refused(harbour)


def test_a_letterhead_with_broken_xml_is_refused(harbour):
    raw_letterhead(harbour / "letterhead.docx")
    with zipfile.ZipFile(harbour / "letterhead.docx", "a") as archive:
        archive.writestr("word/header3.xml", "<w:hdr><unclosed>")
    assert "malformed XML in word/header3.xml" in _refused(harbour)


def test_a_huge_letterhead_is_refused(harbour):
    raw_letterhead(harbour / "letterhead.docx")
    with zipfile.ZipFile(harbour / "letterhead.docx", "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/media/huge.png", (b"\x89PNG" + bytes(range(256)) * 48_000)[: 11 * 2**20])
    assert "refused: the letterhead is 11.0 MiB (limit 10 MiB" in _refused(harbour)


def test_a_letterhead_with_macros_is_refused(harbour):
    macro_letterhead(harbour / "letterhead.docx")
    assert "refused: the letterhead carries macros or controls" in _refused(harbour)


def test_a_letterhead_that_is_missing_is_a_placed_error(harbour):
    result = run("build", "statements/example-statement.yaml", "--to", "docx")
    assert result.exit_code == 2
    assert result.stderr.startswith("templates/harbour/profile.yaml:")
    assert "letterhead not found: templates/harbour/letterhead.docx" in result.stderr


def test_a_letterhead_that_is_missing_stops_only_word_files(harbour):
    built = run("build", "statements/example-statement.yaml", "--to", "pdf,html,email,ninjs")
    assert built.exit_code == 0, built.output
    assert (harbour.parent.parent / "build/example-statement.pdf").is_file()
    assert run("check", "statements/example-statement.yaml", "--to", "pdf").exit_code == 0
    checked = run("check", "statements/example-statement.yaml")
    assert checked.exit_code == 2 and "letterhead not found: templates/harbour/letterhead.docx" in checked.output
    made = run("templates", "make")
    assert made.exit_code == 2 and "letterhead not found" in made.stderr
    assert not (harbour / "statement.docx").exists()


def test_to_all_builds_every_format(harbour):
    raw_letterhead(harbour / "letterhead.docx")
    built = run("build", "statements/example-statement.yaml", "--to", "all")
    assert built.exit_code == 0, built.output
    from mmnpress.render import file_name, names

    written = sorted(path.name for path in (harbour.parent.parent / "build").iterdir() if not path.name.startswith("."))
    assert written == sorted(file_name("example-statement", fmt) for fmt in names())
    assert len(written) >= 5


def test_a_letterhead_outside_its_folder_is_refused(harbour, tmp_path):
    raw_letterhead(tmp_path / "elsewhere.docx")
    profile = harbour / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("letterhead: letterhead.docx", "letterhead: ../../elsewhere.docx"),
                       encoding="utf-8")
    result = run("build", "statements/example-statement.yaml", "--to", "docx")
    assert "letterhead must lie in templates/harbour" in result.stderr


def test_templates_make_writes_templates_on_the_letterhead(harbour):
    raw_letterhead(harbour / "letterhead.docx")
    assert run("templates", "make").exit_code == 0
    for kind in KINDS:
        assert NAME in header_text(harbour / f"{kind}.docx")
    shutil.rmtree(harbour.parent.parent / "build", ignore_errors=True)
