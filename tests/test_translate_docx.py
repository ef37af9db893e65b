"""translate export/import through a bilingual Word file, filled with python-docx, opened by LibreOffice."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from libreoffice import clean_env
from translate_helpers import SEED, WORDS, assert_round_trip, seeded


def exported(cli, project: Path, lang: str) -> Path:
    out = project / f"out.{lang}.docx"
    result = cli("translate", "export", str(SEED), "--lang", lang, "--format", "docx", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def filled(path: Path, word: str) -> None:
    """Copy each source paragraph (its locked codes too) into the translation cell with `word` before it, as a translator
    pasting and typing in Word would; save."""
    document = Document(str(path))
    for row in document.tables[0].rows[1:]:
        source, target = row.cells[0].paragraphs[1], row.cells[1]
        copied = copy.deepcopy(source._p)
        for old in target.paragraphs:
            old._p.getparent().remove(old._p)
        target._tc.append(copied)
        first_run = copied.find(qn("w:r"))
        typed = copy.deepcopy(first_run) if first_run is not None else None
        if typed is None or typed.find(qn("w:rPr")) is not None:
            paragraph = target.paragraphs[0]
            run = paragraph.add_run(word)
            copied.remove(run._r)
            copied.insert(1 if copied.find(qn("w:pPr")) is not None else 0, run._r)
        else:
            first_run.find(qn("w:t")).text = word + first_run.find(qn("w:t")).text
    document.save(str(path))


def test_the_file_is_a_two_column_table_with_styled_locked_codes(project, cli):
    seeded(project)
    document = Document(str(exported(cli, project, "th")))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Source (en)", "Translation (th)"]
    row = next(r for r in table.rows if r.cells[0].paragraphs[0].text.startswith("body.6 "))
    body = row._tr.xml
    assert 'w:val="contentLocked"' in body and 'w:rStyle w:val="Code"' in body
    assert "{5}" in "".join(t.text for t in row.cells[1]._tc.iter(qn("w:t")))  # the codes wait in the translation cell
    assert document.styles["Code"].font.highlight_color is not None


@pytest.mark.parametrize("lang", ["th", "my"])
def test_a_round_trip_carries_every_footnote_citation_and_link(project, cli, lang):
    assert_round_trip(project, cli, lang, exported, filled)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_it(project, cli, tmp_path):
    seeded(project)
    path = exported(cli, project, "th")
    filled(path, WORDS["th"])
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180, env=clean_env(tmp_path))
    text = subprocess.run(["pdftotext", str(tmp_path / (path.stem + ".pdf")), "-"], check=True, capture_output=True, text=True).stdout
    assert "body.6" in text and "แปลแล้ว" in text and "{5}" in text
