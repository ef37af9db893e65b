"""A profile naming the organisation per language: each output prints the name of its document's language.

The Khmer translation is built with a profile giving a Khmer name and short
name; the name is read back from the PDF's letterhead, footer and metadata,
the Word file's letterhead, footer and properties, the web page, the email's
From header and the ninjs; the English original prints the default name.
"""

from __future__ import annotations

import email
import json
import subprocess
from email.header import decode_header, make_header

import pytest

from tests.docx_reader import part_text

DEFAULT = "Mekong Migration Network"
KHMER = "បណ្ដាញចំណាកស្រុកមេគង្គ"
KHMER_SHORT = "បចម"
STEM = "2017-11-22-asean-consensus"
PROFILE = "templates/mmn/profile.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the seed statement and its Khmer translation to every format, with a profile naming the organisation in Khmer."""
    import shutil

    from click.testing import CliRunner

    from mmnpress.commands.main import main
    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("names")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    profile = root / PROFILE
    text = profile.read_text(encoding="utf-8")
    assert "name: Mekong Migration Network\nshort_name: MMN\n" in text
    profile.write_text(
        text.replace("name: Mekong Migration Network\nshort_name: MMN\n",
                     f"name:\n  default: {DEFAULT}\n  km: {KHMER}\nshort_name: {{default: MMN, km: {KHMER_SHORT}}}\n"
                     "press_email: press@mekongmigration.org\n"),
        encoding="utf-8",
    )
    files = [str(root / "statements" / f"{STEM}{suffix}.yaml") for suffix in ("", ".km")]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = CliRunner().invoke(main, ["build", *files, "--to", "all", "-o", str(root / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return lambda lang, suffix: root / "out" / f"{STEM}{'' if lang == 'en' else '.' + lang}.{suffix}"


def _pdf_pages(path) -> list[list[str]]:
    """Return the lines of each page, in reading order."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f") if page.strip()]


def _pdf_author(path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Author:"))


@pytest.mark.parametrize(("lang", "name", "other"), [("km", KHMER, DEFAULT), ("en", DEFAULT, KHMER)])
def test_pdf_letterhead_footer_and_metadata(built, lang, name, other):
    pages = _pdf_pages(built(lang, "pdf"))
    assert pages[0][0] == name  # the letterhead
    assert all(name in page[-3:] for page in pages)  # the footer: the name, then "Page X of Y"
    assert not any(other in line for page in pages for line in page)
    assert _pdf_author(built(lang, "pdf")) == name


@pytest.mark.parametrize(("lang", "name", "other"), [("km", KHMER, DEFAULT), ("en", DEFAULT, KHMER)])
def test_word_letterhead_footer_and_properties(built, lang, name, other):
    docx = built(lang, "docx")
    headers, footers = part_text(docx, "word/header"), part_text(docx, "word/footer")
    assert name in headers and other not in headers
    assert name in footers and other not in footers
    assert f"<dc:creator>{name}</dc:creator>" in part_text(docx, "docProps/core.xml")


def test_about_heading_uses_the_short_name_of_the_language(built):
    assert f"អំពី {KHMER_SHORT}" in sum(_pdf_pages(built("km", "pdf")), [])
    assert "About MMN" in sum(_pdf_pages(built("en", "pdf")), [])


@pytest.mark.parametrize(("lang", "name"), [("km", KHMER), ("en", DEFAULT)])
def test_web_page_email_and_ninjs(built, lang, name):
    page = built(lang, "html").read_text(encoding="utf-8")
    assert f'<meta name="author" content="{name}">' in page
    # Read as RFC 2047 says: the whitespace between two encoded words is not text (Python 3.11's address
    # parser keeps a space there, inside the Khmer name; email.header's decoder does not).
    sender = email.message_from_bytes(built(lang, "eml").read_bytes())["From"]
    assert str(make_header(decode_header(sender))) == f"{name} <press@mekongmigration.org>"
    ninjs = json.loads(built(lang, "ninjs.json").read_text(encoding="utf-8"))
    assert ninjs["copyrightholder"] == ninjs["by"] == name
