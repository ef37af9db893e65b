"""Tests of the PDF renderer: Documents built by hand, PDFs read back.

Each PDF is read with pypdf (metadata, structure, XMP) and with poppler's
pdftotext (what a reader extracts, page by page).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from mmnpress.build import template_dir
from mmnpress.document import (
    Block,
    Contact,
    Document,
    Note,
    Profile,
    Recommendation,
    Run,
    Signatory,
    short_title,
)
from mmnpress.files import write_atomically
from mmnpress.i18n import english_labels
from mmnpress.outline import lay_out
from mmnpress.render import DEFAULT_PDF_STANDARDS, RenderOptions
from mmnpress.render.pdf import PdfRenderer, PdfRenderError

pypdf = pytest.importorskip("pypdf")

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "mmnpress" / "house"
HAS_PDFTOTEXT = shutil.which("pdftotext") is not None
needs_pdftotext = pytest.mark.skipif(not HAS_PDFTOTEXT, reason="poppler-utils (pdftotext) not installed")

LABELS = english_labels()

THAI = "แรงงานข้ามชาติมีส่วนสำคัญต่อเศรษฐกิจของประเทศไทยและภูมิภาคลุ่มน้ำโขง"
BURMESE = "ရွှေ့ပြောင်းလုပ်သားများ၏ အခွင့်အရေးများကို ကာကွယ်ရမည်"
KHMER = "ពលករចំណាកស្រុកមានសិទ្ធិទទួលបានការការពារ"
LAO = "ແຮງງານເຄື່ອນຍ້າຍມີສິດໄດ້ຮັບການປົກປ້ອງ"
VIETNAMESE = "Người lao động di cư phải được bảo vệ quyền lợi đầy đủ"
HOSTILE = '# $ * _ @ < \\ ` #import "x" #read("/etc/passwd") = heading'


def runs(*parts: str | Run | Note) -> tuple:
    """Return rich text from plain strings, runs and notes."""
    return tuple(Run(p) if isinstance(p, str) else p for p in parts)


def note(text: str) -> Note:
    """Return a one-paragraph footnote."""
    return Note(((Run(text),),))


def para(path: str, *parts: str | Run | Note, style: str = "paragraph") -> Block:
    """Return a block of rich text."""
    return Block(path, runs(*parts), style)


PROFILE = Profile(
    key="mmn",
    name="Mekong Migration Network",
    short_name="MMN",
    website="www.mekongmigration.org",
    address="P.O. Box 195, Chiang Mai University, Chiang Mai 50202, Thailand",
    logo=str(ROOT / "templates" / "mmn" / "logo.png"),
)

LOREM = (
    "Since then, in preparation for the formulation of an effective instrument, countless CSO and "
    "government meetings have been held, including the annual ASEAN Forum on Migrant Labour (AFML). "
    "The Consensus is a result of these decade-long efforts."
)


def statement(**changes) -> Document:
    """Return a realistic statement: 3 footnotes, 5 recommendations, five scripts."""
    body = (
        para(
            "body[0]",
            "MMN is a sub-regional network of civil society organisations (CSOs) working to protect and "
            "promote migrants’ rights in the Greater Mekong Subregion (GMS). Various networks formulated the ",
            Run("Civil Society Proposal", em=True),
            ".",
            note("Task Force on ASEAN Migrant Workers (TF-AMW), 2009."),
            " Our joint proposal was submitted to ASEAN in 2009.",
            note("Ibid., 9."),
        ),
        para("body[1]", LOREM),
        para("body[2]", "Background", style="heading"),
        para("body[3]", "Thai: ", Run(THAI, lang="th")),
        para("body[4]", "Burmese: ", Run(BURMESE, lang="my")),
        para("body[5]", "Khmer: ", Run(KHMER, lang="km")),
        para("body[6]", "Lao: ", Run(LAO, lang="lo")),
        para("body[7]", "Vietnamese: ", Run(VIETNAMESE, lang="vi")),
        para("body[8]", "Caring and sharing community to which all members of society belong.", style="quote"),
        para("body[9]", HOSTILE),
        para("body[10]", "See ", Run("the MMN website", link="https://www.mekongmigration.org"), " for more. ", LOREM),
    )
    recommendations = tuple(
        Recommendation(f"recommendations.items[{i}]", runs(title), runs(text))
        for i, (title, text) in enumerate(
            [
                ("Mediation", "We urge ASEAN to develop an effective system of mediation. " + LOREM),
                ("Monitoring", "We urge ASEAN to establish effective monitoring mechanisms. " + LOREM),
                ("Meaningful Dialogue with CSOs", "We urge ASEAN to continue an informed dialogue. " + LOREM),
                ("Inclusive Approach to Rights Protection", "Avoid criminalising undocumented migrants. " + LOREM),
                ("Uphold the Principle of Non-discrimination", "Ensure fair treatment for all. " + LOREM),
            ]
        )
    )
    document = Document(
        kind="statement",
        lang="en",
        draft=True,
        profile=PROFILE,
        labels=dict(LABELS),
        title=para(
            "title",
            "Mekong Migration Network (MMN) cautiously welcomes the ASEAN Consensus on the Protection and Promotion of the Rights of Migrant Workers",
        ),
        title_plain=(
            "Mekong Migration Network (MMN) cautiously welcomes the ASEAN Consensus on the Protection and Promotion of the Rights of Migrant Workers"
        ),
        date_iso="2017-11-22",
        date_text="22 November 2017",
        subtitle=para("subtitle", "Mekong Migration Network Statement"),
        place="Chiang Mai",
        body=body,
        recommendations_intro=para(
            "recommendations.intro",
            "In particular, we urge ASEAN states to consider the following areas in developing its action plan:",
        ),
        recommendations=recommendations,
        closing=(
            para(
                "closing[0]",
                "Finally, MMN wishes to reiterate the significant contribution made by migrant workers.",
                note("Mauro Testaverde et al., Migrating to Opportunity, World Bank, 2017, 5."),
                " After all, we hope that ASEAN is moving towards a caring and sharing community.",
            ),
        ),
        signatories=(
            Signatory("signatories[0]", runs("Foundation for Education and Development (FED)"), "Thailand"),
            Signatory("signatories[1]", runs("Legal Support for Children and Women (LSCW)"), "Cambodia"),
        ),
        about=para("about", "Mekong Migration Network (MMN), launched in 2003, is a network of CSOs."),
        contacts=(
            Contact(
                "contacts[0]",
                "Reiko Harima",
                role="MMN Regional Coordinator",
                email="reiko@mekongmigration.org",
                phones=("+852 9369 2244",),
                languages="English and Japanese",
            ),
            Contact(
                "contacts[1]",
                "Omsin Boonlert",
                name_local="ออมสิน บุญเลิศ",
                name_local_lang="th",
                role="MMN Research and Advocacy Officer",
                email="omsin@mekongmigration.org",
                phones=("+66 53 283 259", "+66 86 923 8313"),
                languages="Thai and English",
            ),
        ),
        contacts_heading=LABELS["inquiries"],
        source_file="statements/test.yaml",
    )
    return lay_out(dataclasses.replace(document, **changes))


def press_release(**changes) -> Document:
    """Return an embargoed press release with notes to editors."""
    base = statement(
        kind="press-release",
        draft=False,
        release_line="EMBARGOED UNTIL 22 November 2017, 09:00 (UTC+07:00)",
        dateline="CHIANG MAI, 22 November 2017 —",
        end_mark="– ENDS –",
        notes_to_editors=(para("notes_to_editors[0]", "The Consensus was signed on 14 November 2017 in Manila."),),
        contacts_heading=LABELS["media_contacts"],
        signatories=(),
    )
    return lay_out(dataclasses.replace(base, **changes))


# ---------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def renderer():
    """Share one renderer (fonts and compilers) across the module."""
    with PdfRenderer() as shared:
        yield shared


@pytest.fixture(scope="module")
def draft_pdf(renderer, tmp_path_factory) -> Path:
    """Render the draft statement once."""
    out = tmp_path_factory.mktemp("draft") / "statement.pdf"
    write_pdf(statement(), TEMPLATES, out, renderer=renderer)
    return out


@pytest.fixture(scope="module")
def final_pdf(renderer, tmp_path_factory) -> Path:
    """Render the final statement once."""
    out = tmp_path_factory.mktemp("final") / "statement.pdf"
    write_pdf(statement(draft=False), TEMPLATES, out, renderer=renderer)
    return out


@pytest.fixture(scope="module")
def release_pdf(renderer, tmp_path_factory) -> Path:
    """Render the press release once."""
    out = tmp_path_factory.mktemp("release") / "release.pdf"
    write_pdf(press_release(), TEMPLATES, out, renderer=renderer)
    return out


def write_pdf(document: Document, template_dir: Path, out: Path, *, renderer: PdfRenderer,
              pdf_standard: str = DEFAULT_PDF_STANDARDS) -> None:
    """Render `document` as a build does (the renderer's bytes, written atomically) to `out`."""
    write_atomically(out, renderer.render(document, template_dir, RenderOptions(pdf_standard)))


def pages_text(pdf: Path) -> list[str]:
    """Return the text of each page as pdftotext extracts it."""
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def flat(text: str) -> str:
    """Return `text` with whitespace collapsed, for phrase searches across lines."""
    return " ".join(text.split())


def all_text(pdf: Path) -> str:
    """Return the whole text of a PDF, whitespace collapsed."""
    return flat(" ".join(pages_text(pdf)))


def raw_text(pdf: Path) -> str:
    """Return pdftotext's output without -layout, for complex scripts."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


# ---------------------------------------------------------------- layout and content


@needs_pdftotext
def test_pages_are_numbered_page_x_of_n(draft_pdf):
    pages = pages_text(draft_pdf)
    total = len(pypdf.PdfReader(draft_pdf).pages)
    assert total == len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "Mekong Migration Network" in text


@needs_pdftotext
def test_running_header_starts_on_page_two(draft_pdf):
    pages = pages_text(draft_pdf)
    header = short_title(statement())
    assert header.endswith("…")
    assert header not in pages[0]
    assert all(header in flat(page) for page in pages[1:])


@needs_pdftotext
def test_footnotes_are_numbered_at_the_bottom_of_their_page(draft_pdf):
    pages = pages_text(draft_pdf)
    notes = [  # (where the mark is, the note as printed)
        ("formulated the Civil Society Proposal.1 Our", "1 Task Force on ASEAN Migrant Workers (TF-AMW), 2009."),
        ("submitted to ASEAN in 2009.2", "2 Ibid., 9."),
        ("made by migrant workers.3 After all", "3 Mauro Testaverde et al., Migrating to Opportunity, World Bank, 2017, 5."),
    ]
    for mark, note_text in notes:
        mark_pages = [n for n, page in enumerate(pages) if mark in flat(page)]
        note_pages = [n for n, page in enumerate(pages) if note_text in flat(page)]
        assert len(mark_pages) == 1 and note_pages == mark_pages, (mark, mark_pages, note_pages)
        lines = [line.strip() for line in pages[note_pages[0]].splitlines() if line.strip()]
        note_line = next(i for i, line in enumerate(lines) if line.startswith(note_text[:25]))
        body_line = next(i for i, line in enumerate(lines) if mark.split()[-1] in line)
        assert body_line < note_line >= len(lines) - 6  # below the text, just above the footer


@needs_pdftotext
def test_letterhead_title_and_date(final_pdf):
    first = flat(pages_text(final_pdf)[0])
    assert "Mekong Migration Network" in first
    assert "www.mekongmigration.org" in first
    assert "P.O. Box 195, Chiang Mai University" in first
    assert "Mekong Migration Network (MMN) cautiously welcomes" in first
    assert "Chiang Mai, 22 November 2017" in first
    assert first.index("cautiously welcomes") < first.index("Chiang Mai, 22 November 2017")


@needs_pdftotext
def test_recommendations_are_a_numbered_list_with_bold_lead_ins(final_pdf):
    text = all_text(final_pdf)
    titles = [
        "Mediation",
        "Monitoring",
        "Meaningful Dialogue with CSOs",
        "Inclusive Approach to Rights Protection",
        "Uphold the Principle of Non-discrimination",
    ]
    positions = [text.index(f"{n}. {title} – ") for n, title in enumerate(titles, start=1)]
    assert positions == sorted(positions)
    chunks = text_fonts(final_pdf)
    lead_fonts = {font for text, font in chunks if text.strip() in titles}
    body_fonts = {font for text, font in chunks if text.startswith(" – We urge ASEAN")}
    assert len(lead_fonts) == 1 and len(body_fonts) == 1
    # Typst names every instance of a variable font "-Regular"; the bold one is a separate subset.
    assert lead_fonts != body_fonts
    assert all("NotoSerif" in font for font in lead_fonts | body_fonts)


def text_fonts(pdf: Path) -> list[tuple[str, str]]:
    """Return each piece of text pypdf reads with the font it is set in."""
    pieces: list[tuple[str, str]] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip() and font:
            pieces.append((text, str(font.get("/BaseFont"))))

    for page in pypdf.PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return pieces


@needs_pdftotext
def test_sections_at_the_end_of_a_statement(final_pdf):
    text = all_text(final_pdf)
    assert "Signed by" in text
    assert "Foundation for Education and Development (FED) (Thailand)" in text
    assert "About MMN" in text
    assert "For inquiries about this statement, please contact:" in text
    assert "Omsin Boonlert (ออมสิน บุญเลิศ)" in text
    assert "Email: omsin@mekongmigration.org" in text
    assert "Tel. +66 53 283 259, +66 86 923 8313" in text
    assert "Thai and English" in text
    order = [text.index(s) for s in ("Signed by", "About MMN", "For inquiries about this statement")]
    assert order == sorted(order)


@needs_pdftotext
def test_press_release_has_release_line_dateline_end_mark_and_notes(release_pdf):
    text = all_text(release_pdf)
    first = flat(pages_text(release_pdf)[0])
    assert first.index("EMBARGOED UNTIL 22 November 2017, 09:00 (UTC+07:00)") < first.index("cautiously welcomes")
    assert "CHIANG MAI, 22 November 2017 — MMN is a sub-regional network" in text
    assert "Chiang Mai, 22 November 2017" not in first  # the dateline carries the date
    assert text.index("– ENDS –") < text.index("Notes to editors") < text.index("Media contacts")
    assert "The Consensus was signed on 14 November 2017 in Manila." in text
    assert "Signed by" not in text


@needs_pdftotext
def test_position_paper_renders(renderer, tmp_path):
    out = tmp_path / "paper.pdf"
    summary = para("summary", "In short: ASEAN must protect migrant workers.")
    write_pdf(statement(kind="position-paper", draft=False, summary=summary), TEMPLATES, out, renderer=renderer)
    text = all_text(out)
    assert "Position paper" in text
    assert "In short: ASEAN must protect migrant workers." in text
    assert text.index("Recommendations") < text.index("1. Mediation")


# ---------------------------------------------------------------- watermark


# The watermark is a drawing (watermark.typ compiled to SVG: its letters are shapes), so a reader
# extracting or reading the text never meets "DR", "AF", "T" among the words; pixels show it.


def watermark_pixels(pdf: Path, page: int) -> int:
    """Return how many pixels of page `page` have the watermark's light grey (luma 88 %), at 40 dpi."""
    out = subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", str(page), "-l", str(page), str(pdf)],
                         capture_output=True, check=True).stdout
    pixels = out[out.index(b"255\n") + 4:]  # PGM: header, then one byte per pixel
    return sum(1 for value in pixels if 218 <= value <= 230)


def diagonal_letters(pdf: Path) -> Counter:
    """Return the letters pdftotext finds only when diagonal text is kept."""
    kept = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout
    straight = subprocess.run(["pdftotext", "-nodiag", str(pdf), "-"], capture_output=True, check=True).stdout
    return Counter(kept.decode("utf-8")) - Counter(straight.decode("utf-8"))


@needs_pdftotext
def test_draft_has_watermark_on_every_page(draft_pdf, final_pdf):
    pages = len(pypdf.PdfReader(draft_pdf).pages)
    assert pages >= 2
    for page in range(1, pages + 1):
        assert watermark_pixels(draft_pdf, page) > 3 * watermark_pixels(final_pdf, min(page, 2)) + 200


def test_final_has_no_watermark(final_pdf):
    assert not any("DRAFT" in page.extract_text() for page in pypdf.PdfReader(final_pdf).pages)


@needs_pdftotext
@pytest.mark.parametrize("lang, label, text", [("en", "DRAFT", None), ("km", "សេចក្ដីព្រាង", KHMER)])
def test_watermark_letters_are_not_text(renderer, tmp_path, lang, label, text):
    # copied or read aloud, a draft's text holds no letter of its watermark, not even rotated pieces
    out = tmp_path / f"{lang}.pdf"
    changes = {"lang": lang, "labels": {**LABELS, "draft": label}}
    if text:
        changes["body"] = (para("body[0]", text),)
    write_pdf(statement(**changes), TEMPLATES, out, renderer=renderer)
    assert diagonal_letters(out) == Counter()
    assert label not in raw_text(out)
    assert "DRAFT" not in "".join(page.extract_text() for page in pypdf.PdfReader(out).pages)


@needs_pdftotext
def test_watermark_draws_the_document_language_label(renderer, tmp_path):
    drawn = {}
    for label in ("DRAFT", "ฉบับร่าง"):
        out = tmp_path / f"{len(label)}.pdf"
        write_pdf(statement(lang="th", labels={**LABELS, "draft": label}), TEMPLATES, out, renderer=renderer)
        drawn[label] = watermark_pixels(out, 2)
    assert drawn["DRAFT"] != drawn["ฉบับร่าง"]


def test_templates_without_watermark_drawing_keep_the_text_watermark(renderer, tmp_path):
    # an organisation's own templates written before watermark.typ existed still print their watermark
    own = tmp_path / "own"
    shutil.copytree(TEMPLATES, own)
    (own / "watermark.typ").unlink()
    out = tmp_path / "own.pdf"
    write_pdf(statement(), own, out, renderer=renderer)
    assert all("DRAFT" in page.extract_text() for page in pypdf.PdfReader(out).pages)


# ---------------------------------------------------------------- metadata and standards


def test_metadata_title_author_language(final_pdf):
    reader = pypdf.PdfReader(final_pdf)
    meta = reader.metadata
    assert meta.title == statement().title_plain
    assert meta.author == "Mekong Migration Network"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_pdf_ua_and_pdf_a_markers_and_tags(final_pdf):
    reader = pypdf.PdfReader(final_pdf)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part(>|=\")1", xmp)
    assert re.search(r"pdfaid:part(>|=\")2", xmp)
    assert re.search(r"pdfaid:conformance(>|=\")A", xmp)
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])


def test_creation_date_is_the_statement_date(final_pdf):
    meta = pypdf.PdfReader(final_pdf).metadata
    assert meta.creation_date.date().isoformat() == "2017-11-22"


def structure(pdf: Path) -> list[str]:
    """Return the structure types of a tagged PDF in document order."""
    kinds: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if "/S" in node:
            kinds.append(str(node["/S"]))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            if kid is not None and hasattr(kid, "get_object"):
                walk(kid)

    walk(pypdf.PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
    return kinds


def test_title_is_the_first_heading_at_level_one(final_pdf):
    headings = [kind for kind in structure(final_pdf) if re.fullmatch(r"/H\d", kind)]
    assert headings[0] == "/H1"
    assert headings.count("/H1") == 1
    assert set(headings) == {"/H1", "/H2"}


def test_recommendations_and_footnotes_are_tagged(final_pdf):
    kinds = structure(final_pdf)
    assert kinds.count("/LI") >= 5 + 2  # five recommendations, two signatories
    assert "/Note" in kinds or "/FENote" in kinds
    assert "/Link" in kinds


def test_no_standards_compiles_untagged_metadata_free(renderer, tmp_path):
    out = tmp_path / "plain.pdf"
    write_pdf(statement(), TEMPLATES, out, pdf_standard="none", renderer=renderer)
    xmp = pypdf.PdfReader(out).trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "pdfuaid" not in xmp and "pdfaid" not in xmp


def test_unknown_standard_is_a_clear_error(renderer, tmp_path):
    with pytest.raises(PdfRenderError, match="unknown PDF standard x-9"):
        write_pdf(statement(), TEMPLATES, tmp_path / "x.pdf", pdf_standard="ua-1,x-9", renderer=renderer)


# ---------------------------------------------------------------- scripts


@needs_pdftotext
@pytest.mark.parametrize("name, text", [("thai", THAI), ("burmese", BURMESE), ("lao", LAO), ("vietnamese", VIETNAMESE)])
def test_script_text_comes_back(final_pdf, name, text):
    extracted = "".join(raw_text(final_pdf).split())
    assert "".join(text.split()) in extracted


@needs_pdftotext
def test_khmer_text_comes_back(final_pdf):
    extracted = "".join(raw_text(final_pdf).split())
    assert KHMER in extracted


def test_fonts_are_embedded_packaged_families(final_pdf):
    reader = pypdf.PdfReader(final_pdf)
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    for family in ("NotoSerif", "NotoSans-", "NotoSansThai", "NotoSansMyanmar", "NotoSansKhmer", "NotoSansLao"):
        assert any(name.startswith(family) for name in names), (family, names)


# ---------------------------------------------------------------- safety


@needs_pdftotext
def test_markup_in_user_text_prints_literally(final_pdf):
    text = all_text(final_pdf)
    assert HOSTILE in text
    assert "root:" not in text  # /etc/passwd was not read


@needs_pdftotext
def test_markup_in_user_text_changes_no_layout(renderer, tmp_path):
    """A hostile paragraph lays out like a harmless one: same pages, lines and tags."""
    harmless = "x" * len(HOSTILE)

    def render(text: str) -> tuple:
        body = list(statement().body)
        body[9] = para("body[9]", text)
        out = tmp_path / "layout.pdf"
        write_pdf(statement(body=tuple(body), draft=False), TEMPLATES, out, renderer=renderer)
        pages = [page.replace(text, "PARAGRAPH") for page in pages_text(out)]
        return pages, structure(out)

    hostile_pages, hostile_tags = render(HOSTILE)
    harmless_pages, harmless_tags = render(harmless)
    assert any("PARAGRAPH" in page for page in hostile_pages)
    assert hostile_pages == harmless_pages
    assert hostile_tags == harmless_tags


@needs_pdftotext
def test_markup_everywhere_prints_literally(renderer, tmp_path):
    out = tmp_path / "hostile.pdf"
    hostile = statement(
        draft=False,
        title=para("title", HOSTILE),
        title_plain=HOSTILE,
        place="#place",
        date_text="$x$",
        contacts=(Contact("contacts[0]", "<b>*Name*</b>", name_local="#emph[x]", email="a_b@example.org"),),
        signatories=(Signatory("signatories[0]", runs("@ref <label>"), "= Country"),),
    )
    write_pdf(hostile, TEMPLATES, out, renderer=renderer)
    text = all_text(out)
    for literal in (HOSTILE, "#place, $x$", "<b>*Name*</b> (#emph[x])", "@ref <label> (= Country)"):
        assert literal in text


# ---------------------------------------------------------------- files and errors


def test_output_is_replaced_atomically_and_failure_leaves_old_file(renderer, tmp_path, monkeypatch):
    out = tmp_path / "statement.pdf"
    out.write_bytes(b"%PDF-old")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "statement.typ").write_text('#let d = json(bytes(sys.inputs.data))\n#panic("template is broken")\n')
    with pytest.raises(PdfRenderError) as raised:
        write_pdf(statement(), broken, out, renderer=renderer)
    message = str(raised.value)
    assert "\n" not in message and "Traceback" not in message
    assert "template is broken" in message
    assert out.read_bytes() == b"%PDF-old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "statement.pdf"]

    write_pdf(statement(), TEMPLATES, out, renderer=renderer)
    assert out.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "statement.pdf"]


def test_missing_template_kind_is_a_clear_error(renderer, tmp_path):
    empty = tmp_path / "templates"
    empty.mkdir()
    with pytest.raises(PdfRenderError, match="no Typst template for kind 'statement'"):
        write_pdf(statement(), empty, tmp_path / "x.pdf", renderer=renderer)
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_profile_font_is_a_clear_error(renderer, tmp_path):
    profile = dataclasses.replace(PROFILE, body_font="Comic Sans MS")
    with pytest.raises(PdfRenderError, match="font Comic Sans MS is not installed"):
        write_pdf(statement(profile=profile), TEMPLATES, tmp_path / "x.pdf", renderer=renderer)


def test_templates_cannot_read_outside_their_root(renderer, tmp_path):
    sneaky = tmp_path / "sneaky"
    sneaky.mkdir()
    (sneaky / "statement.typ").write_text('#read("' + str(ROOT / "templates/mmn/profile.yaml") + '")\n')
    with pytest.raises(PdfRenderError):
        write_pdf(statement(), sneaky, tmp_path / "x.pdf", renderer=renderer)
    (sneaky / "statement.typ").write_text('#read("../mmn/profile.yaml")\n')
    with pytest.raises(PdfRenderError):
        write_pdf(statement(), sneaky, tmp_path / "y.pdf", renderer=renderer)


def test_logo_missing_from_profile_still_renders(renderer, tmp_path):
    out = tmp_path / "nologo.pdf"
    write_pdf(statement(profile=dataclasses.replace(PROFILE, logo=None)), TEMPLATES, out, renderer=renderer)
    assert len(pypdf.PdfReader(out).pages) >= 2


def test_output_file_is_readable_by_others(renderer, tmp_path):
    out = tmp_path / "mode.pdf"
    write_pdf(statement(), TEMPLATES, out, renderer=renderer)
    assert os.stat(out).st_mode & 0o044 == 0o044


def test_links_other_than_web_mail_and_phone_print_as_text(renderer, tmp_path):
    out = tmp_path / "links.pdf"
    body = (
        para("body[0]", Run("web", link="https://example.org/a"), " ", Run("mail", link="mailto:a@example.org")),
        para("body[1]", Run("script", link="javascript:alert(1)"), " ", Run("file", link="file:///etc/passwd")),
    )
    write_pdf(statement(body=body, draft=False), TEMPLATES, out, renderer=renderer)
    uris = {
        annot.get_object()["/A"]["/URI"] for page in pypdf.PdfReader(out).pages for annot in page.get("/Annots", []) if "/A" in annot.get_object()
    }
    assert {"https://example.org/a", "mailto:a@example.org"} <= uris
    assert not any(u.startswith(("javascript:", "file:")) for u in uris)


def test_edited_templates_are_picked_up_by_a_running_renderer(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    with PdfRenderer() as fresh:
        write_pdf(statement(draft=False), templates, tmp_path / "a.pdf", renderer=fresh)
        statement_typ = templates / "statement.typ"
        statement_typ.write_text(statement_typ.read_text(encoding="utf-8") + "\nEdited template.\n", encoding="utf-8")
        os.utime(statement_typ, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
        write_pdf(statement(draft=False), templates, tmp_path / "b.pdf", renderer=fresh)
    assert "Edited template." not in "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "a.pdf").pages)
    assert "Edited template." in "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "b.pdf").pages)


def test_one_renderer_serves_several_template_folders(renderer, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(TEMPLATES, other)
    statement_typ = other / "statement.typ"
    statement_typ.write_text(statement_typ.read_text(encoding="utf-8") + "\nOther organisation.\n", encoding="utf-8")
    write_pdf(statement(draft=False), TEMPLATES, tmp_path / "a.pdf", renderer=renderer)
    write_pdf(statement(draft=False), other, tmp_path / "b.pdf", renderer=renderer)

    def text(pdf: Path) -> str:
        return "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)

    assert "Other organisation." not in text(tmp_path / "a.pdf")
    assert "Other organisation." in text(tmp_path / "b.pdf")


def test_a_template_written_for_sys_inputs_still_gets_the_document(renderer, tmp_path):
    """Templates read data.json and view.json at their root; an older one reading sys.inputs still works."""
    older = tmp_path / "older"
    older.mkdir()
    (older / "statement.typ").write_text(
        '#let d = json(bytes(sys.inputs.data))\n#let view = json(bytes(sys.inputs.view))\n'
        '#d.title_plain | #view.short_title\n', encoding="utf-8")
    out = tmp_path / "older.pdf"
    write_pdf(statement(), older, out, renderer=renderer, pdf_standard="none")
    text = flat("".join(page.extract_text() for page in pypdf.PdfReader(out).pages))
    assert f"{statement().title_plain} | {short_title(statement())}" in text


def test_the_house_templates_read_the_document_from_files():
    """A new sys.inputs makes Typst lay out the whole document again, so the house templates never read it."""
    from mmnpress.render.pdf import new_build

    build = new_build(TEMPLATES, everything=False)
    try:
        assert not build.reads_sys_inputs
    finally:
        build.remove()


@needs_pdftotext
def test_a_new_title_reaches_the_metadata_and_every_running_header(tmp_path):
    """The title sits in styles Typst keeps between builds; a running renderer must still show the new one."""
    with PdfRenderer() as fresh:
        write_pdf(statement(), TEMPLATES, tmp_path / "a.pdf", renderer=fresh)
        title = "A new title for the ASEAN Consensus statement, long enough to be cut short in the running header"
        retitled = statement(title=para("title", title), title_plain=title)
        write_pdf(retitled, TEMPLATES, tmp_path / "b.pdf", renderer=fresh)
    reader = pypdf.PdfReader(tmp_path / "b.pdf")
    assert reader.metadata.title == retitled.title_plain
    pages = pages_text(tmp_path / "b.pdf")
    assert len(pages) > 1 and all(short_title(retitled) in flat(page) for page in pages[1:])
    assert not any(short_title(statement()) in flat(page) for page in pages)


def test_text_without_combining_marks_skips_the_repair_of_clusters(renderer, tmp_path, monkeypatch):
    """Only a cluster with marks can read back twice, so a Latin-only PDF is left as Typst wrote it."""
    from mmnpress.render import pdftext

    repaired = []
    monkeypatch.setattr(pdftext, "repair", lambda pdf: repaired.append(pdf) or pdf)
    latin = statement(body=(para("body[0]", LOREM), para("body[1]", VIETNAMESE)),
                      contacts=statement().contacts[:1])
    write_pdf(latin, TEMPLATES, tmp_path / "latin.pdf", renderer=renderer)
    assert repaired == []
    write_pdf(statement(body=(para("body[0]", "Thai: ", Run(THAI, lang="th")),)), TEMPLATES, tmp_path / "thai.pdf",
              renderer=renderer)
    assert len(repaired) == 1


# ---------------------------------------------------------------- the real statement


@needs_pdftotext
def test_the_asean_consensus_statement(renderer, tmp_path):
    from mmnpress.pipeline.assemble import assemble
    from mmnpress.pipeline.resolve import Options, resolve

    source = ROOT / "statements" / "2017-11-22-asean-consensus.yaml"
    if not source.is_file():
        pytest.skip("the example statement is not in this checkout")
    resolved = resolve(source, Options())
    document = assemble(resolved, Options())
    out = tmp_path / "asean.pdf"
    write_pdf(document, template_dir(resolved, "pdf"), out, renderer=renderer)
    pages = pages_text(out)
    first = flat(pages[0])
    assert "Mekong Migration Network Statement" in first
    assert "1 Task Force on ASEAN Migrant Workers (TF-AMW)" in first
    assert "2 Ibid., 9." in first
    text = flat(" ".join(pages))
    assert "3 Mauro Testaverde" in text
    assert "5. Uphold the Principle of Non-discrimination – " in text
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_same_document_gives_the_same_bytes(renderer):
    """Builds are reproducible: the creation date is the statement's date."""
    first = renderer.render(statement(), TEMPLATES)
    with PdfRenderer() as other:
        second = other.render(statement(), TEMPLATES)
    assert first == second


def test_build_folders_are_removed(tmp_path):
    with PdfRenderer() as fresh:
        write_pdf(statement(), TEMPLATES, tmp_path / "a.pdf", renderer=fresh)
        folders = [build.folder for build in fresh._builds.values()]
        assert folders and all(folder.is_dir() for folder in folders)
    assert not any(folder.exists() for folder in folders)


@needs_pdftotext
def test_the_thai_translation(renderer, tmp_path):
    from mmnpress.pipeline.assemble import assemble
    from mmnpress.pipeline.resolve import Options, resolve

    source = ROOT / "statements" / "2017-11-22-asean-consensus.th.yaml"
    if not source.is_file():
        pytest.skip("the Thai translation is not in this checkout")
    resolved = resolve(source, Options())
    document = assemble(resolved, Options())
    out = tmp_path / "th.pdf"
    write_pdf(document, template_dir(resolved, "pdf"), out, renderer=renderer)
    reader = pypdf.PdfReader(out)
    assert reader.trailer["/Root"]["/Lang"] == "th"
    page_of = document.labels["page_of"].replace("{page}", "1").replace("{total}", str(len(reader.pages)))
    assert page_of in pages_text(out)[0]
    assert "".join(document.date_text.split()) in "".join(raw_text(out).split())


# ---------------------------------------------------------------- speed


COLD_RUN = """
import sys, time
from pathlib import Path
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
start = time.perf_counter()
from test_pdf import TEMPLATES, statement
from mmnpress.render.pdf import PdfRenderer
renderer = PdfRenderer()
out = Path(sys.argv[2])
start = time.perf_counter()
renderer.render(statement(), TEMPLATES)
first = time.perf_counter() - start
start = time.perf_counter()
renderer.render(statement(draft=False, date_text="23 November 2017"), TEMPLATES)
second = time.perf_counter() - start
print(first, second)
"""


def test_second_compile_with_the_same_renderer_is_fast(tmp_path):
    """A fresh process pays for fonts once; the next document reuses them."""
    done = subprocess.run([sys.executable, "-c", COLD_RUN, str(ROOT), str(tmp_path)], capture_output=True, text=True, check=True)
    first, second = map(float, done.stdout.split())
    assert first < 2.0  # generous for slow CI; about 0.1 s measured on the development machine
    assert second < first


def test_a_pdf_needing_more_memory_than_is_free_is_one_problem_and_nothing_is_written(project, cli, monkeypatch):
    """Only a real shortage of memory refuses a PDF (simulated: the machine cannot be made short of memory in a test)."""
    from conftest import MINIMAL, write_statement

    monkeypatch.setattr("mmnpress.render.pdf.free_memory_mib", lambda: 100)
    path = write_statement(project, "long.yaml", MINIMAL.replace("First paragraph.", "A long paragraph. " * 10))
    result = cli("build", str(path), "--to", "docx,pdf")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:1:1: a PDF of ")
    assert "MiB of memory to lay out, and 100 MiB are free" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not Path("build").exists()
    assert cli("build", str(path), "--to", "docx").exit_code == 0


@pytest.mark.slow
def test_a_statement_of_over_half_a_million_characters_builds_as_a_pdf_with_a_progress_line(project, cli):
    import yaml
    from conftest import MINIMAL, write_statement
    from pypdf import PdfReader

    data = yaml.safe_load(MINIMAL)
    data["body"] = [f"Paragraph {n}: migrant workers in the Mekong region need portable social protection, "
                    f"fair recruitment and access to justice wherever they work.[@tfamw2009, {n % 300 + 1}]" for n in range(4000)]
    path = write_statement(project, "long.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    result = cli("build", str(path), "--to", "pdf")
    assert result.exit_code == 0, result.stderr
    assert f"laying out {path} as a PDF: " in result.stderr and "characters, about " in result.stderr
    reader = PdfReader(project / "build/long.pdf")
    assert len(reader.pages) > 100
    assert "Paragraph 3999: migrant workers" in "".join(page.extract_text() for page in reader.pages[-5:])
