"""Burmese, Khmer, Lao and Vietnamese translations of the seed statement, read back from DOCX and PDF.

Expected texts come from the statement files, the label catalogs (`labels`) and
`format_date`, so the tests check that what was written is what comes back.

pdftotext reads a PDF back through its ActualText spans and ToUnicode map
(render/pdftext.py repairs what Typst writes there). Lines are compared with
all whitespace removed and must match from the start of a line, so a
repeated first cluster ("မဲမဲခေါင်") cannot hide inside a substring match.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import subprocess
import unicodedata

import pytest
import yaml

from mmnpress.i18n import format_date, labels, language_names, place_separator, with_digits
from tests.conftest import REPO
from tests.docx_reader import W, paragraphs, part_text

LANGS = ("my", "km", "lo", "vi")
WORD_TAGS = {"my": "my-MM", "km": "km-KH", "lo": "lo-LA", "vi": "vi-VN"}
# Letters only the document language uses: Burmese, Khmer, Lao script; Vietnamese letters with marks.
SCRIPT = {
    "my": re.compile("[\u1000-\u109f]"),
    "km": re.compile("[\u1780-\u17ff]"),
    "lo": re.compile("[\u0e80-\u0eff]"),
    "vi": re.compile("[\u00c0-\u024f\u1ea0-\u1ef9]"),
}
DATE = dt.date(2017, 11, 22)
CITATION = re.compile(r"\[@[^\]]*\]")


def _stem(lang: str) -> str:
    return f"2017-11-22-asean-consensus.{lang}"


def _statement(lang: str) -> dict:
    return yaml.safe_load((REPO / "statements" / f"{_stem(lang)}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(built_examples):
    """Return a function giving the session's DOCX or PDF of the translation into `lang`."""
    return lambda lang, to: getattr(built_examples(f"{_stem(lang)}.yaml"), to)


def _plain(markdown: str) -> str:
    """Return a text field as Word shows it: citations become footnote marks, emphasis loses its stars."""
    return CITATION.sub("", markdown).replace("*", "")


def _contact_name(contact: dict) -> str:
    return f"{contact['name']} ({contact['name_local']})" if contact.get("name_local") else contact["name"]


# --- DOCX -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_build_writes_docx_and_pdf(built, lang):
    assert built(lang, "docx").read_bytes()[:2] == b"PK"
    assert built(lang, "pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize("lang", LANGS)
def test_docx_reads_back_in_the_document_language(built, lang):
    st = _statement(lang)
    paras = paragraphs(built(lang, "docx"))
    by_style: dict[str, list[str]] = {}
    for p in paras:
        by_style.setdefault(p.style.name, []).append(p.text)
    texts = [p.text for p in paras]

    assert by_style["Title"] == [st["title"]]
    assert by_style["Date Line"] == [f"{st['place']}{place_separator(lang)}{format_date(DATE, lang)}"]
    assert by_style["Contact Heading"] == [labels(lang).text["inquiries"]]
    assert by_style["Contact Heading English"] == [labels("en").text["inquiries"]]
    assert labels(lang).text["about"].format(name="MMN") in by_style["Heading 2"]
    items = st["recommendations"]["items"]
    assert len(items) == 5
    assert by_style["Recommendation"] == [f"{item['title']} \u2013 {_plain(item['text'])}" for item in items]
    # Every paragraph of the translation, word for word (citations are footnote marks in Word).
    for block in st["body"] + st["closing"] + [st["recommendations"]["intro"]]:
        assert _plain(block) in texts
    for contact in st["contacts"]:
        assert _contact_name(contact) in by_style["Contact"]
        assert contact["role"] in by_style["Contact"]
        assert f"{labels(lang).text['languages']}: {language_names(contact['languages'], lang)}" in by_style["Contact"]


@pytest.mark.parametrize("lang", LANGS)
def test_docx_runs_carry_their_language(built, lang):
    path = built(lang, "docx")
    tag = WORD_TAGS[lang]
    styles = part_text(path, "word/styles.xml")
    assert f'<w:lang w:val="{tag}" w:eastAsia="{tag}" w:bidi="{tag}"/>' in styles, "the document default language"
    seen = 0
    for paragraph in paragraphs(path):
        for run in paragraph.runs:
            text = run.text.strip()
            lang_el = run._r.find(f"{W}rPr/{W}lang")
            if lang_el is None or not text:
                continue
            value = lang_el.get(W + "val")
            if re.search("[\u0e00-\u0e7f]", text):  # Omsin Boonlert's Thai name in the Vietnamese contacts
                assert value == "th-TH", text
            elif SCRIPT[lang].search(text):
                assert value == tag, text
                seen += 1
            elif lang != "vi" and text.isascii() and text.isalpha():
                assert value == "en-GB", text
    assert seen > 20


def test_burmese_is_unicode_not_zawgyi(built):
    text = "\n".join(p.text for p in paragraphs(built("my", "docx")))
    assert not re.search("[\u1060-\u1097]", text), "Zawgyi puts stacked consonants in the Shan/Mon/Karen range"
    assert not re.search(r"(^|[\s(“])\u1031", text, re.M), "Zawgyi stores the e-vowel before its consonant"
    assert "ဥက္ကဋ္ဌ" in text and "ရွှေ့ပြောင်း" in text  # stacked consonants; medials wa + ha + dot below


def test_vietnamese_docx_is_nfc(built):
    text = "\n".join(p.text for p in paragraphs(built("vi", "docx")))
    assert unicodedata.is_normalized("NFC", text)
    assert "Đồng thuận" in text and "Thúc đẩy Quyền" in text and "lần thứ 31" in text  # stacked marks: ồ, ẩ, ề, ầ


def test_khmer_docx_keeps_subscript_consonants(built):
    st = _statement("km")
    text = "\n".join(p.text for p in paragraphs(built("km", "docx")))
    for word in ("ប្រមុខរដ្ឋ", "បទប្បញ្ញត្តិ", "មន្ត្រីស្រាវជ្រាវ", "ស្ត្រីមានផ្ទៃពោះ", "ឈៀងម៉ៃ ២២ វិច្ឆិកា ២០១៧"):
        assert word in text, word
    source = "".join(_plain(block) for block in st["body"])
    assert text.count("\u17d2") >= source.count("\u17d2") > 100  # every coeng of the body survives


# --- PDF ------------------------------------------------------------------------------------------


def _pdftotext(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return _raw_text(path)


@functools.cache
def _raw_text(path) -> str:
    # -raw keeps content order: each contact column stays together, and a label that ends in
    # " -" (Burmese) is not taken for a hyphenated word and joined to the next line.
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pdf_lines(built, lang: str) -> str:
    """Return the PDF's lines with all whitespace removed (pdftotext spaces Lao clusters), joined by newlines."""
    text = _pdftotext(built(lang, "pdf"))
    return "\n".join("".join(line.split()) for line in text.splitlines())


def _reads_back(lines: str, expected: str, *, whole_line: bool = True) -> bool:
    """Tell whether `expected` starts a line of `lines` (and ends one), allowing line breaks anywhere."""
    # A zero-width space (CLDR's Khmer list pattern has one) is a break hint: Typst draws no glyph for it.
    body = "\n?".join(re.escape(c) for c in "".join(expected.replace("\u200b", "").split()))
    return re.search(rf"(?:^|\n){body}" + (r"(?:\n|$)" if whole_line else ""), lines) is not None


def _expected(lang: str, key: str) -> tuple[str, bool]:
    """Return the text `key` stands for in the PDF of `lang`, and whether it fills whole lines."""
    st, lab = _statement(lang), labels(lang).text
    items = st["recommendations"]["items"]
    contacts = st["contacts"]
    date_line = f"{st['place']}{place_separator(lang)}{format_date(DATE, lang)}"
    table = {
        "title block": (f"www.mekongmigration.org {st['title']} {st['subtitle']} {date_line}", True),
        "subtitle": (st["subtitle"], True),
        "dateline": (date_line, True),
        "heading": (lab["inquiries"], True),
        "heading en": (labels("en").text["inquiries"], True),
        "about": (lab["about"].format(name="MMN"), True),
        "page 1": (f"Mekong Migration Network {lab['page_of'].format(page=with_digits('1', lang), total='')}", False),
        **{f"recommendation {n}": (f"{n}. {item['title']} \u2013", False) for n, item in enumerate(items, 1)},
        **{f"name {n}": (_contact_name(c), True) for n, c in enumerate(contacts, 1)},
        **{f"role {n}": (c["role"], True) for n, c in enumerate(contacts, 1)},
        **{f"languages {n}": (f"{lab['languages']}: {language_names(c['languages'], lang)}", True) for n, c in enumerate(contacts, 1)},
    }
    return table[key]


ALL_KEYS = (
    "title block", "dateline", "heading", "heading en", "about", "page 1",
    *(f"recommendation {n}" for n in range(1, 6)),
    *(f"{field} {n}" for field in ("name", "role", "languages") for n in (1, 2)),
)

@pytest.mark.parametrize("lang", LANGS)
def test_pdf_reads_back_with_pdftotext(built, lang):
    lines = _pdf_lines(built, lang)
    for key in ALL_KEYS:
        expected, whole_line = _expected(lang, key)
        assert _reads_back(lines, expected, whole_line=whole_line), f"{key}: {expected}"


def test_khmer_pdf_keeps_latin_text(built):
    lines = _pdf_lines(built, "km")
    expected, whole_line = _expected("km", "heading en")
    assert _reads_back(lines, expected, whole_line=whole_line)
    for text in ("+85293692244", "+66(53)283259", "TaskForceonASEANMigrantWorkers(TF-AMW)"):
        assert text in lines, text


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_declares_its_language(built, lang):
    from pypdf import PdfReader

    reader = PdfReader(built(lang, "pdf"))
    assert str(reader.trailer["/Root"].get("/Lang")).startswith(lang)
