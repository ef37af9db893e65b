"""Each language's digits and place-date separator, read back from the Word file, the PDF and the web page.

The expected lines are written out here, not derived from the code under test:
Khmer and Burmese documents write their own digits and no Latin comma between
the place and the date; Thai and Lao write Arabic digits; English is unchanged.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

from mmnpress.i18n import digits, place_separator, with_digits
from tests.docx_reader import paragraphs

EXPECTED_DATE_LINE = {
    "km": "ឈៀងម៉ៃ ២២ វិច្ឆិកា ២០១៧",
    "my": "ချင်းမိုင်၊ ၂၀၁၇ နိုဝင်ဘာ ၂၂",
    "th": "เชียงใหม่ 22 พฤศจิกายน 2560",
    "lo": "ຊຽງໃໝ່, 22 ພະຈິກ 2017",
    "en": "Chiang Mai, 22 November 2017",
}
# The end of the PDF's first footer: "Page 1 of N", N in the language's digits.
PAGE_ONE = {"km": "ទំព័រ ១ នៃ [០-៩]+", "my": "စာမျက်နှာ ၁/[၀-၉]+", "en": "Page 1 of [0-9]+"}


def _stem(lang: str) -> str:
    return "2017-11-22-asean-consensus" + ("" if lang == "en" else f".{lang}")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Build the seed statement and its Khmer, Burmese, Thai and Lao translations to Word, PDF and a web page once."""
    import shutil

    from click.testing import CliRunner

    from mmnpress.commands.main import main
    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("numerals")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    files = [str(root / "statements" / f"{_stem(lang)}.yaml") for lang in EXPECTED_DATE_LINE]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = CliRunner().invoke(main, ["build", *files, "--to", "docx,pdf,html", "-o", str(root / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return lambda lang, suffix: root / "out" / f"{_stem(lang)}.{suffix}"


def _pdf_lines(path: Path) -> list[str]:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout.splitlines()


@pytest.mark.parametrize("lang", list(EXPECTED_DATE_LINE))
def test_date_line_in_word_pdf_and_web_page(outputs, lang):
    expected = EXPECTED_DATE_LINE[lang]
    assert [p.text for p in paragraphs(outputs(lang, "docx")) if p.style.name == "Date Line"] == [expected]
    assert expected in [line.strip() for line in _pdf_lines(outputs(lang, "pdf"))]
    page = outputs(lang, "html").read_text(encoding="utf-8")
    shown = re.search(r'<p class="date"><time datetime="2017-11-22">(.*?)</time></p>', page, re.S)
    assert shown is not None and html.unescape(shown[1]).strip() == expected


@pytest.mark.parametrize("lang", ["km", "my"])
def test_khmer_and_burmese_lines_have_no_latin_digit_or_comma(outputs, lang):
    line = EXPECTED_DATE_LINE[lang]
    assert not re.search("[0-9,]", line)
    assert any(c in digits(lang) for c in line)


@pytest.mark.parametrize("lang", list(PAGE_ONE))
def test_pdf_page_numbers_use_the_language_digits(outputs, lang):
    assert any(re.search(f"{PAGE_ONE[lang]}$", line.strip()) for line in _pdf_lines(outputs(lang, "pdf")))


def test_numerals_and_separators_are_declared_per_language():
    assert digits("km") == "០១២៣៤៥៦៧៨៩" and digits("my") == "၀၁၂၃၄၅၆၇၈၉"
    assert digits("th") == digits("lo") == digits("en") == "0123456789"
    assert with_digits("2017, 9", "km") == "២០១៧, ៩"
    # CLDR's list separators where documents write them; Khmer declared against CLDR's Latin comma.
    assert [place_separator(lang) for lang in ("en", "my", "th", "lo", "vi", "km")] == [", ", "၊ ", " ", ", ", ", ", " "]
