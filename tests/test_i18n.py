"""Tests of mmnpress.i18n: label catalogs, dates, language names, scripts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from mmnpress.i18n import (
    LABEL_KEYS,
    LOCALE_DIR,
    english_labels,
    format_date,
    format_embargo,
    is_known_language,
    labels,
    language_name,
    language_names,
    script_language,
)
from mmnpress.i18n.catalog import _translations

ENGLISH = {
    "inquiries": "For inquiries about this statement, please contact:",
    "inquiries_paper": "For inquiries about this paper, please contact:",
    "media_contacts": "Media contacts",
    "immediate_release": "FOR IMMEDIATE RELEASE",
    "embargoed_until": "EMBARGOED UNTIL",
    "notes_to_editors": "Notes to editors",
    "about": "About {name}",
    "tel": "Tel.",
    "email": "Email",
    "page_of": "Page {page} of {total}",
    "draft": "DRAFT",
    "recommendations": "Recommendations",
    "signed_by": "Signed by",
    "signatory_count": "Endorsed by {organisations} organisations from {countries} countries",
    "signatory_count_one_country": "Endorsed by {organisations} organisations from one country",
    "signatory_count_no_country": "Endorsed by {organisations} organisations",
    "end_mark": "\u2013 ENDS \u2013",
    "references": "References",
    "statement": "Statement",
    "press_release": "Press release",
    "position_paper": "Position paper",
    "languages": "Languages",
    "notes": "Notes",
    "back_to_text": "Back to text",
    "read_online": "Read online",
    "download_pdf": "Download PDF version here",
    "download_docx": "Download Word version",
    "older_posts": "Older posts",
    "newer_posts": "Newer posts",
    "search": "Search",
    "no_results": "No results",
    "statements": "Statements",
    "press_releases": "Press releases",
    "position_papers": "Position papers",
    "page_not_found": "Page not found",
    "skip_to_content": "Skip to content",
    "also_in": "Also in:",
}

THAI = {
    "inquiries": "สอบถามรายละเอียดเพิ่มเติมเกี่ยวกับแถลงการณ์ฉบับนี้ กรุณาติดต่อ:",
    "inquiries_paper": "สอบถามรายละเอียดเพิ่มเติมเกี่ยวกับเอกสารฉบับนี้ กรุณาติดต่อ:",
    "media_contacts": "ผู้ติดต่อสำหรับสื่อมวลชน",
    "immediate_release": "เผยแพร่ทันที",
    "embargoed_until": "ห้ามเผยแพร่ก่อน",
    "notes_to_editors": "หมายเหตุถึงบรรณาธิการ",
    "about": "เกี่ยวกับ {name}",
    "tel": "โทร.",
    "email": "อีเมล",
    "page_of": "หน้า {page} จาก {total}",
    "draft": "ฉบับร่าง",
    "recommendations": "ข้อเสนอแนะ",
    "signed_by": "ลงนามโดย",
    "signatory_count": "ลงนามรับรองโดย {organisations} องค์กรจาก {countries} ประเทศ",
    "signatory_count_one_country": "ลงนามรับรองโดย {organisations} องค์กรจาก 1 ประเทศ",
    "signatory_count_no_country": "ลงนามรับรองโดย {organisations} องค์กร",
    "end_mark": "\u2013 จบ \u2013",
    "references": "เอกสารอ้างอิง",
    "statement": "แถลงการณ์",
    "press_release": "ข่าวประชาสัมพันธ์",
    "position_paper": "เอกสารแสดงจุดยืน",
    "languages": "ภาษา",
    "notes": "หมายเหตุ",
    "back_to_text": "กลับไปยังเนื้อความ",
    "read_online": "อ่านออนไลน์",
    "download_pdf": "ดาวน์โหลดฉบับ PDF ที่นี่",
    "download_docx": "ดาวน์โหลดฉบับ Word",
    "older_posts": "เรื่องก่อนหน้า",
    "newer_posts": "เรื่องถัดไป",
    "search": "ค้นหา",
    "no_results": "ไม่พบผลการค้นหา",
    "statements": "แถลงการณ์",
    "press_releases": "ข่าวประชาสัมพันธ์",
    "position_papers": "เอกสารแสดงจุดยืน",
    "page_not_found": "ไม่พบหน้าที่ต้องการ",
    "skip_to_content": "ข้ามไปยังเนื้อหา",
    "also_in": "ภาษาอื่น:",
}

LANGS = ("en", "th", "my", "km", "lo", "vi")
NON_LATIN = ("th", "my", "km", "lo")
NOV_22 = dt.date(2017, 11, 22)
ICT = dt.timezone(dt.timedelta(hours=7))
EMBARGO = dt.datetime(2017, 11, 22, 9, 0, tzinfo=ICT)
PLACEHOLDER = re.compile(r"\{\w+\}")


def read_catalog(lang: str):
    """Parse the shipped catalog of `lang`."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "mmnpress.po"
    with path.open("rb") as fh:
        return read_po(fh)


def write_po(directory: Path, lang: str, entries: str) -> None:
    """Write a catalog for `lang` under `directory` with the given entries."""
    path = directory / lang / "LC_MESSAGES" / "mmnpress.po"
    path.parent.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    path.write_text(header + entries, encoding="utf-8")


# Labels


def test_keys_and_english_text():
    assert LABEL_KEYS == tuple(ENGLISH)
    assert english_labels() == ENGLISH


def test_english_labels_is_a_copy():
    english_labels()["tel"] = "Phone"
    assert english_labels()["tel"] == "Tel."


def test_english():
    result = labels("en")
    assert result.text == ENGLISH
    assert result.missing == ()


def test_thai_exact():
    result = labels("th")
    assert result.text == THAI
    assert result.missing == ()


@pytest.mark.parametrize("tag", ["th-TH", "TH", "th_TH", "th-Thai-TH"])
def test_bcp47_tags_find_the_language_catalog(tag):
    assert labels(tag).text == THAI


@pytest.mark.parametrize("tag", ["en-GB", "en-US"])
def test_english_variants(tag):
    assert labels(tag).text == ENGLISH


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_translated_in_every_shipped_catalog(lang):
    result = labels(lang)
    assert result.missing == ()
    assert set(result.text) == set(LABEL_KEYS)


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_entries_are_complete_and_clean(lang):
    catalog = read_catalog(lang)
    for key, english in ENGLISH.items():
        message = catalog.get(english, context=key)
        assert message is not None, key
        assert message.string, key
        assert not message.fuzzy, key
        assert unicodedata.is_normalized("NFC", message.string), key
        assert PLACEHOLDER.findall(message.string) == PLACEHOLDER.findall(english), key


@pytest.mark.parametrize("lang", ["th", "my", "km", "lo", "vi"])
def test_non_english_catalogs_translate_most_keys(lang):
    text = labels(lang).text
    differ = [key for key in LABEL_KEYS if text[key] != ENGLISH[key]]
    assert len(differ) >= len(LABEL_KEYS) - 1


@pytest.mark.parametrize("lang", NON_LATIN)
def test_translations_are_written_in_the_language_script(lang):
    text = labels(lang).text
    assert all(script_language(text[key]) == lang for key in LABEL_KEYS)


def test_vietnamese_uses_precomposed_diacritics():
    text = labels("vi").text
    assert text["recommendations"] == "Khuyến nghị"
    assert text["press_release"] == "Thông cáo báo chí"
    assert "\u0301" not in "".join(text.values())  # no combining acute


def test_burmese_is_unicode_not_zawgyi():
    text = "".join(labels("my").text.values())
    # Zawgyi stores the e-vowel and medial ra before their consonant and
    # reuses the Myanmar Extended range for glyph variants.
    assert not re.search("(^|[^\u1000-\u1021\u103b-\u103e])\u1031", text)
    assert not re.search("(^|[^\u1000-\u1021])\u103c", text)
    assert not re.search("[\u1050-\u109f]", text)
    assert labels("my").text["statement"] == "ထုတ်ပြန်ချက်"


def test_placeholders_fill_in_every_language():
    for lang in LANGS:
        text = labels(lang).text
        assert "MMN" in text["about"].format(name="MMN")
        page = text["page_of"].format(page=2, total=3)
        assert "2" in page and "3" in page


@pytest.mark.parametrize("tag", ["xx", "", "../th", "th/../th"])
def test_unknown_language_falls_back_to_english(tag):
    result = labels(tag)
    assert result.text == ENGLISH
    assert result.missing == LABEL_KEYS


def test_language_without_catalog_falls_back_to_english():
    result = labels("fr")
    assert result.text == ENGLISH
    assert result.missing == LABEL_KEYS


def test_fallback_for_missing_empty_fuzzy_stale_and_broken_entries(tmp_path):
    write_po(
        tmp_path,
        "th",
        'msgctxt "tel"\nmsgid "Tel."\nmsgstr "โทร."\n\n'
        'msgctxt "email"\nmsgid "Email"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgctxt "draft"\nmsgid "DRAFT"\nmsgstr "ร่าง"\n\n'
        'msgctxt "statement"\nmsgid "Old statement"\nmsgstr "แถลงการณ์"\n\n'
        'msgctxt "about"\nmsgid "About {name}"\nmsgstr "เกี่ยวกับ {ชื่อ}"\n\n'
        'msgctxt "page_of"\nmsgid "Page {page} of {total}"\n'
        'msgstr "หน้า {page} จาก {total}"\n',
    )
    result = labels("th-TH", localedir=tmp_path)
    assert result.text["tel"] == "โทร."
    assert result.text["page_of"] == "หน้า {page} จาก {total}"
    for key in ("email", "draft", "statement", "about"):
        assert result.text[key] == ENGLISH[key]
    assert result.missing == tuple(k for k in LABEL_KEYS if k not in ("tel", "page_of"))


def test_region_catalog_wins_over_language_catalog(tmp_path):
    write_po(tmp_path, "en", 'msgctxt "tel"\nmsgid "Tel."\nmsgstr "Tel."\n')
    write_po(tmp_path, "en_GB", 'msgctxt "tel"\nmsgid "Tel."\nmsgstr "Telephone"\n')
    assert labels("en-GB", localedir=tmp_path).text["tel"] == "Telephone"
    assert labels("en-US", localedir=tmp_path).text["tel"] == "Tel."


def test_labels_are_frozen_and_independent():
    first = labels("th")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.missing = ()
    first.text["tel"] = "changed"
    assert labels("th").text["tel"] == "โทร."


def test_catalog_is_read_once():
    labels("km")
    hits = _translations.cache_info().hits
    labels("km-KH")
    assert _translations.cache_info().hits == hits + 1


def test_template_lists_every_key():
    with (LOCALE_DIR.parent / "mmnpress.pot").open("rb") as fh:
        template = read_po(fh)
    ids = {(m.context, m.id) for m in template if m.id}
    assert ids == set(ENGLISH.items())


# Dates


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "22 November 2017"),
        ("en-US", "22 November 2017"),
        ("en-GB", "22 November 2017"),
        ("th", "22 พฤศจิกายน 2560"),
        ("th-TH", "22 พฤศจิกายน 2560"),
        ("my", "၂၀၁၇ နိုဝင်ဘာ ၂၂"),
        ("km", "២២ វិច្ឆិកា ២០១៧"),
        ("lo", "22 ພະຈິກ 2017"),
        ("vi", "22 tháng 11, 2017"),
        ("xx", "22 November 2017"),
    ],
)
def test_format_date(lang, expected):
    assert format_date(NOV_22, lang) == expected


def test_thai_date_uses_buddhist_era_and_thai_months():
    assert format_date(dt.date(2024, 1, 1), "th") == "1 มกราคม 2567"
    assert format_date(dt.date(2000, 12, 31), "th") == "31 ธันวาคม 2543"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "22 November 2017, 09:00 (UTC+07:00)"),
        ("th", "22 พฤศจิกายน 2560 09:00 น. (UTC+07:00)"),
        ("my", "၂၀၁၇ နိုဝင်ဘာ ၂၂ ၉:၀၀ (UTC+၀၇:၀၀)"),
        ("km", "២២ វិច្ឆិកា ២០១៧ ០៩:០០ (UTC+០៧:០០)"),
        ("lo", "22 ພະຈິກ 2017, 9:00 (UTC+07:00)"),
        ("vi", "09:00 22 tháng 11, 2017 (UTC+07:00)"),
    ],
)
def test_format_embargo(lang, expected):
    assert format_embargo(EMBARGO, lang) == expected


def test_embargo_keeps_wall_clock_time_and_signs_offset():
    yangon = dt.datetime(
        2017, 11, 22, 21, 5, tzinfo=dt.timezone(dt.timedelta(hours=6.5))
    )
    assert format_embargo(yangon, "en") == "22 November 2017, 21:05 (UTC+06:30)"
    west = dt.timezone(-dt.timedelta(hours=3, minutes=30))
    assert format_embargo(EMBARGO.replace(tzinfo=west), "en").endswith("(UTC-03:30)")
    utc = EMBARGO.replace(tzinfo=dt.UTC)
    assert format_embargo(utc, "en").endswith("09:00 (UTC+00:00)")


def test_embargo_time_is_24_hour():
    evening = EMBARGO.replace(hour=21)
    assert format_embargo(evening, "en") == "22 November 2017, 21:00 (UTC+07:00)"
    assert format_embargo(evening, "km") == "២២ វិច្ឆិកា ២០១៧ ២១:០០ (UTC+០៧:០០)"


def test_embargo_without_offset_is_an_error():
    with pytest.raises(ValueError, match="offset"):
        format_embargo(dt.datetime(2017, 11, 22, 9, 0), "en")


# Language names


def test_language_names():
    assert language_names(["th", "en"], "en") == "Thai and English"
    assert language_names(["th", "en"], "th") == "ไทยและอังกฤษ"
    assert language_names(["th", "my", "en"], "en") == "Thai, Burmese, and English"
    assert language_names(["km"], "en") == "Khmer"
    assert language_names([], "en") == ""


def test_language_names_unknown_code_and_unknown_document_language():
    assert language_names(["th", "qqq"], "en") == "Thai and qqq"
    assert language_names(["th", "en"], "xx") == "Thai and English"


def test_language_name():
    assert language_name("th", "en") == "Thai"
    assert language_name("my", "en") == "Burmese"
    assert language_name("en", "th") == "อังกฤษ"
    assert language_name("en-GB", "en") == "British English"
    assert language_name("zh-Hant-TW", "en") == "Traditional Chinese"
    assert language_name("th-TH", "en") == "Thai"
    assert language_name("xx", "en") == "xx"


@pytest.mark.parametrize(
    "code", ["th", "th-TH", "my", "km", "lo", "vi", "en-GB", "shn", "zh-Hant-TW", "TH"]
)
def test_known_languages(code):
    assert is_known_language(code)


@pytest.mark.parametrize(
    "code", ["xx", "tha", "en-XX", "und", "", "th TH", "english", "zh-Hanx", "en--GB"]
)
def test_unknown_languages(code):
    assert not is_known_language(code)


# Scripts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ออมสิน บุญเลิศ", "th"),
        ("Omsin Boonlert (ออมสิน)", "th"),
        ("မြန်မာ", "my"),
        ("ខ្មែរ", "km"),
        ("ລາວ", "lo"),
        ("Tiếng Việt", None),
        ("Mekong Migration Network", None),
        ("", None),
        ("123 – …", None),
        ("ก ខ្មែរភាសា", "km"),
    ],
)
def test_script_language(text, expected):
    assert script_language(text) == expected
