"""Languages in built documents: labels, dates, contact block, translations, w:lang."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MINIMAL, SEED, write_statement
from tests.docx_reader import W, footnotes, paragraphs, part_text

THAI_NAME = "2017-11-22-asean-consensus.th.yaml"
SEED_NAME = Path(SEED).name


@pytest.fixture
def thai_docx(built_examples):
    return built_examples(THAI_NAME).docx


def _text(path) -> str:
    return "\n".join(p.text for p in paragraphs(path))


def test_thai_document_writes_buddhist_era_date_and_thai_labels(thai_docx):
    text = _text(thai_docx)
    assert "เชียงใหม่ 22 พฤศจิกายน 2560" in text  # CLDR's Thai separator: a space, no comma
    assert "เกี่ยวกับ MMN" in text
    assert "+66(53)283259" in text and "อีเมล" not in text


def test_contact_heading_in_document_language_and_english(thai_docx):
    headings = [p.text for p in paragraphs(thai_docx) if p.style.name.startswith("Contact Heading")]
    assert headings == [
        "สอบถามรายละเอียดเพิ่มเติมเกี่ยวกับแถลงการณ์ฉบับนี้ กรุณาติดต่อ:",
        "For inquiries about this statement, please contact:",
    ]


def test_language_names_follow_the_document_language(built_examples, thai_docx):
    assert "ภาษา: ไทยและอังกฤษ" in _text(thai_docx)
    english = _text(built_examples(SEED_NAME).docx)
    assert "Languages: Thai and English" in english
    assert "For inquiries about this statement" in english and "สอบถาม" not in english


def test_translation_inherits_what_it_does_not_give(thai_docx):
    text = _text(thai_docx)
    assert "Omsin Boonlert (ออมสิน บุญเลิศ)" in text and "Reiko Harima (เรโกะ ฮาริมะ)" in text
    notes = footnotes(thai_docx)
    assert len(notes) == 3 and notes[0].startswith("Task Force on ASEAN Migrant Workers")
    assert notes[1] == "ในที่เดียวกัน, 9."


def test_runs_carry_their_language(thai_docx):
    body = part_text(thai_docx, "word/document.xml")
    assert 'w:lang w:val="th-TH" w:bidi="th-TH"' in body
    for paragraph in paragraphs(thai_docx):
        for run in paragraph.runs:
            lang = run._r.find(f"{W}rPr/{W}lang")
            if run.text.strip() and lang is not None and run.text.strip().isascii() and run.text.strip().isalpha():
                assert lang.get(W + "val") == "en-GB", run.text
    styles = part_text(thai_docx, "word/styles.xml")
    assert 'w:val="th-TH"' in styles, "the document default language is Thai"


def test_thai_name_in_english_document_is_tagged_thai(built_examples):
    out = built_examples(SEED_NAME).docx
    for paragraph in paragraphs(out):
        for run in paragraph.runs:
            if run.text == "ออมสิน บุญเลิศ":
                assert run._r.find(f"{W}rPr/{W}lang").get(W + "val") == "th-TH"
                assert run._r.find(f"{W}rPr/{W}rFonts").get(W + "cs") == "Noto Sans Thai"
                return
    raise AssertionError("Thai contact name not found")


def test_translation_paths_stay_relative_to_the_original(project, cli):
    sub = project / "statements" / "th"
    sub.mkdir()
    original = project / "statements" / "th" / "original.yaml"
    original.write_text(MINIMAL.replace("../bibliography", "../../bibliography")
                        .replace("First paragraph.", "Cited.[@tfamw2009]"), encoding="utf-8")
    (sub / "translation.yaml").write_text("extends: original.yaml\nlang: th\ntitle: ชื่อเรื่อง\n", encoding="utf-8")
    result = cli("build", "statements/th/translation.yaml", "--to", "docx")
    assert result.exit_code == 0, result.output
    assert footnotes(project / "build" / "translation.docx")[0].startswith("Task Force")


def test_extends_cycle_is_an_error(project, cli):
    write_statement(project, "a.yaml", "extends: b.yaml\nlang: th\n")
    write_statement(project, "b.yaml", "extends: a.yaml\nlang: en\n")
    result = cli("build", "statements/a.yaml", "--to", "docx")
    assert result.exit_code == 2
    assert result.stderr.strip() == "statements/b.yaml:1:10: 'extends' makes a cycle: a.yaml extends this file again"


def test_extends_outside_the_statements_folder_is_an_error(project, cli):
    (project / "outside.yaml").write_text(MINIMAL, encoding="utf-8")
    write_statement(project, "t.yaml", "extends: ../outside.yaml\nlang: th\n")
    result = cli("build", "statements/t.yaml", "--to", "docx")
    assert result.exit_code == 2
    assert result.stderr.startswith("statements/t.yaml:1:10: 'extends' must name a statement in the same folder")


def test_problems_are_reported_in_the_file_that_holds_them(project, cli):
    write_statement(project, "orig.yaml", MINIMAL.replace("2020-05-01", "2020-02-31"))
    write_statement(project, "tr.yaml", "extends: orig.yaml\nlang: th\n")
    result = cli("build", "statements/tr.yaml", "--to", "docx")
    assert result.exit_code == 2
    assert result.stderr.startswith("statements/orig.yaml:4:7: 'date' must be a real date")


def _pdftotext(path) -> str:
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _thai_pdf_text(built_examples) -> str:
    return "".join(_pdftotext(built_examples(THAI_NAME).pdf).split())


def test_thai_pdf_reads_back_with_pdftotext(built_examples):
    text = _thai_pdf_text(built_examples)
    for expected in ("22พฤศจิกายน2560", "เกี่ยวกับMMN", "ภาษา:ไทยและอังกฤษ", "ในที่เดียวกัน,9.", "กรุณาติดต่อ",
                     "โทร.", "Forinquiriesaboutthisstatement,pleasecontact:", "หน้า1จาก2"):
        assert expected in text, expected


def test_thai_pdf_sentences_read_back_exactly(built_examples):
    text = _thai_pdf_text(built_examples)
    assert "เชียงใหม่22พฤศจิกายน2560" in text
    assert "สอบถามรายละเอียดเพิ่มเติมเกี่ยวกับแถลงการณ์ฉบับนี้" in text


def test_thai_pdf_declares_its_language(built_examples):
    from pypdf import PdfReader

    reader = PdfReader(built_examples(THAI_NAME).pdf)
    assert str(reader.trailer["/Root"].get("/Lang")).startswith("th")
