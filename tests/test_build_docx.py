"""Build statements to Word and read them back as a reader would."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import MINIMAL, SEED, write_statement
from tests.docx_reader import W, footnotes, pandoc_text, paragraphs, part_text


@pytest.fixture
def seed_docx(built_examples) -> Path:
    return built_examples(Path(SEED).name).docx


@pytest.fixture(scope="module")
def seed_markdown(built_examples) -> str:
    return pandoc_text(built_examples(Path(SEED).name).docx, "markdown")


def test_seed_footnotes_share_one_sequence_with_ibid(seed_docx):
    notes = footnotes(seed_docx)
    assert len(notes) == 3
    assert notes[0].startswith("Task Force on ASEAN Migrant Workers") and notes[0].endswith("2009.")
    assert notes[1] == "Ibid., 9."
    assert "Migrating to Opportunity" in notes[2] and "World Bank" in notes[2] and ", 5," in notes[2]


def test_footnotes_are_real_word_footnotes(seed_docx, seed_markdown):
    body = part_text(seed_docx, "word/document.xml")
    assert body.count("<w:footnoteReference") == 3
    styles = part_text(seed_docx, "word/styles.xml")
    assert 'w:styleId="FootnoteText"' in styles and 'w:styleId="FootnoteReference"' in styles
    rels = part_text(seed_docx, "word/_rels/document.xml.rels")
    assert "relationships/footnotes" in rels
    assert "[^1]: Task Force on ASEAN Migrant Workers" in seed_markdown


def test_recommendations_are_a_word_numbered_list_with_bold_lead_ins(seed_docx, seed_markdown):
    items = [p for p in paragraphs(seed_docx) if p.style.name == "Recommendation"]
    assert [p.runs[0].text for p in items] == [
        "Mediation", "Monitoring", "Meaningful Dialogue with CSOs",
        "Inclusive Approach to Rights Protection", "Uphold the Principle of Non-discrimination",
    ]
    assert all(p.runs[0].bold for p in items) and not items[0].runs[-1].bold
    num_pr = items[0].style.element.pPr.find(W + "numPr")
    assert num_pr is not None, "the list style must carry Word numbering"
    assert "1.  **Mediation** – While" in seed_markdown
    assert "5.  **Uphold the Principle of Non-discrimination**" in seed_markdown


def test_reader_sees_the_whole_statement_in_order(seed_docx):
    text = "\n".join(p.text for p in paragraphs(seed_docx))
    order = [
        "cautiously welcomes", "Mekong Migration Network Statement", "Chiang Mai, 22 November 2017",
        "MMN is a sub-regional network", "In particular, we urge ASEAN states", "Mediation",
        "Finally, MMN wishes", "About MMN", "For inquiries about this statement, please contact:",
        "Reiko Harima", "Omsin Boonlert (ออมสิน บุญเลิศ)",
    ]
    positions = [text.index(fragment) for fragment in order]
    assert positions == sorted(positions)


def test_contact_block(seed_docx):
    contact = "\n".join(p.text for p in paragraphs(seed_docx) if p.style.name.startswith("Contact"))
    assert "For inquiries about this statement, please contact:" in contact
    assert "Omsin Boonlert (ออมสิน บุญเลิศ)" in contact
    assert "MMN Research and Advocacy Officer" in contact
    assert "Tel. +66(53)283259, +66 869238313" in contact and "Email" not in contact  # the source gives no address
    assert "Languages: Thai and English" in contact


def test_links_and_italics_become_word_runs(seed_markdown):
    assert "*Migrating for Opportunities*" in seed_markdown  # as the statement says; its note cites the report
    assert "[www.mekongmigration.org](https://www.mekongmigration.org)" in seed_markdown


def test_document_properties(seed_docx):
    props = Document(str(seed_docx)).core_properties
    assert props.title.startswith("Mekong Migration Network (MMN) cautiously welcomes")
    assert props.author == "Mekong Migration Network"
    assert props.language == "en-GB"
    assert props.created.date().isoformat() == "2017-11-22"
    assert props.last_modified_by == "mmnpress" and props.comments.startswith("Made with mmnpress ")
    assert abs((dt.datetime.now(dt.UTC) - props.modified.replace(tzinfo=dt.UTC)).total_seconds()) < 600  # the build time
    custom = part_text(seed_docx, "docProps/custom.xml")
    assert 'name="mmnpress.statement"' in custom and "2017-11-22-asean-consensus.yaml" in custom


def _watermarked(path: Path) -> bool:
    return "DraftWatermark" in part_text(path, "word/header")


def test_draft_watermark_follows_status_and_final_flag(project, cli):
    path = write_statement(project, "draft.yaml", MINIMAL)
    assert cli("build", str(path), "--to", "docx").exit_code == 0
    out = project / "build" / "draft.docx"
    assert _watermarked(out)
    assert 'string="DRAFT"' in part_text(out, "word/header")
    assert cli("build", str(path), "--to", "docx", "--final").exit_code == 0
    assert not _watermarked(out)
    final = write_statement(project, "final.yaml", MINIMAL + "status: final\n")
    assert cli("build", str(final), "--to", "docx").exit_code == 0
    assert not _watermarked(project / "build" / "final.docx")


TRICKY = [
    "A < B & C > D",
    "{{ 7*7 }}",
    "{% if true %}yes{% endif %}",
    "{_{ only and {#c#}",
    "fees <often> high",
    'quotes "double" and \'single\' and `tick`',
    "\\alpha $x$ #hash",
]


def test_text_prints_exactly_as_typed(project, cli):
    body = "\n".join(f"  - {line!r}" if "'" not in line else f'  - "{line.replace(chr(34), chr(92) + chr(34))}"'
                     for line in TRICKY)
    text = MINIMAL.replace("  - First paragraph.\n", body + "\n") + "quotes: as-typed\n"
    path = write_statement(project, "tricky.yaml", text)
    result = cli("build", str(path), "--to", "docx")
    assert result.exit_code == 0, result.output
    out = project / "build" / "tricky.docx"
    read_back = [p.text for p in paragraphs(out)]
    expected = [line.replace("`tick`", "tick") for line in TRICKY]
    for line in expected:
        assert line in read_back
    plain = pandoc_text(out)
    assert "A < B & C > D" in plain and "{{ 7*7 }}" in plain and "49" not in plain


def test_author_date_style_puts_citations_inline_and_a_reference_list_last(project, cli):
    result = cli("build", "statements/2018-06-01-sez-garment-workers.yaml", "--to", "docx")
    assert result.exit_code == 0, result.output
    out = project / "build" / "2018-06-01-sez-garment-workers.docx"
    assert footnotes(out) == []
    text = pandoc_text(out)
    assert "(Mekong Migration Network, 2019)" in text
    assert "(International Labour Organization, 2017, p. 14)" in text
    references = text[text.index("References"):]
    assert "Testaverde, M., Moroz, H., Hollweg, C. H., & Schmillen, A. (2017)" in references
    assert [p.style.name for p in paragraphs(out)].count("Reference") == 3


def test_press_release_conventions(project, cli):
    result = cli("build", "statements/2018-01-22-garment-workshops.yaml", "--to", "docx")
    assert result.exit_code == 0, result.output
    text = pandoc_text(project / "build" / "2018-01-22-garment-workshops.docx")
    assert text.startswith("FOR IMMEDIATE RELEASE")
    assert "CHIANG MAI, 22 January 2018 — In January 2018" in text
    end = text.index("– ENDS –")
    assert text.index("MMN project partners and Secretariat") < end < text.index("Notes to editors")
    assert "Media contacts" in text
    assert _watermarked(project / "build" / "2018-01-22-garment-workshops.docx")


def test_embargoed_press_release(project, cli):
    source = (project / "statements/2018-01-22-garment-workshops.yaml").read_text(encoding="utf-8")
    source = source.replace("release: immediate", "release: embargoed\nembargo: 2018-01-22T09:00:00+07:00")
    (project / "statements/embargoed.yaml").write_text(source, encoding="utf-8")
    result = cli("build", "statements/embargoed.yaml", "--to", "docx")
    assert result.exit_code == 0, result.output
    text = pandoc_text(project / "build" / "embargoed.docx")
    assert text.startswith("EMBARGOED UNTIL 22 January 2018, 09:00 (UTC+07:00)")


@pytest.mark.parametrize("name", [
    "2017-11-22-asean-consensus.yaml", "2018-01-22-garment-workshops.yaml", "2018-06-01-sez-garment-workers.yaml",
])
def test_example_statements_build_without_warnings(project, cli, name):
    result = cli("build", f"statements/{name}", "--to", "docx")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_failed_build_never_touches_an_older_good_output(project, cli):
    path = write_statement(project, "s.yaml", MINIMAL)
    assert cli("build", str(path), "--to", "docx").exit_code == 0
    out = project / "build" / "s.docx"
    good = out.read_bytes()
    write_statement(project, "s.yaml", MINIMAL.replace("date: 2020-05-01", "date: 2020-02-30"))
    assert cli("build", str(path), "--to", "docx").exit_code == 2
    assert out.read_bytes() == good
    assert not [p.name for p in out.parent.iterdir() if p.name.endswith(".tmp")], "no temporary file may be left behind"


def test_failed_build_writes_nothing(project, cli):
    path = write_statement(project, "bad.yaml", MINIMAL.replace("First paragraph.", "Cites [@nokey]."))
    assert cli("build", str(path), "--to", "docx").exit_code == 2
    assert not (project / "build").exists()


def test_output_folder_option(project, cli, tmp_path):
    out_dir = tmp_path / "elsewhere"
    assert cli("build", SEED, "--to", "docx", "-o", str(out_dir)).exit_code == 0
    with zipfile.ZipFile(out_dir / "2017-11-22-asean-consensus.docx") as archive:
        assert "word/footnotes.xml" in archive.namelist()


@pytest.mark.parametrize("xml", [
    '<w:p><w:r><w:t xml:space="preserve">No listing here.</w:t></w:r></w:p>\n<w:p><w:r><w:t>Two</w:t></w:r></w:p>',
    '<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>Line\nbreak\tand tab</w:t></w:r></w:p>',
    '<w:p><w:r><w:t>Bell\a and form\ffeed</w:t></w:r></w:p>',
])
def test_the_listing_of_rendered_parts_is_docxtpls(xml):
    """Tabs and line breaks typed into a template's text become Word's, as docxtpl makes them; text without is left as is."""
    from docxtpl import DocxTemplate

    from mmnpress.render.docx import _resolved_listing

    template = DocxTemplate.__new__(DocxTemplate)
    assert _resolved_listing(template, xml) == DocxTemplate.resolve_listing(template, xml)
