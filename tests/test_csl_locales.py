"""Ibid. and the other citation terms in Burmese, Khmer and Lao, from the CSL locales mmnpress ships.

Each translation cites the same work twice in a row ([@tfamw2009] then
[@tfamw2009, 9]), so its second note is the style's "Ibid., 9."; and
Testaverde et al. is cited with "et al.".
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from lxml import etree

from mmnpress.pipeline import bibliography as cite
from tests.docx_reader import pandoc_text

TERMS = {  # ibid, et al.
    "my": ("ယင်း, 9.", "Mauro Testaverde နှင့် အခြားသူများ,"),
    "km": ("ដដែល, 9.", "Mauro Testaverde និងអ្នកដទៃទៀត,"),
    "lo": ("ບ່ອນດຽວກັນ, 9.", "Mauro Testaverde ແລະ ຄະນະ,"),
}


@pytest.mark.parametrize("lang", TERMS)
def test_repeated_citation_says_ibid_in_the_document_language(built_examples, lang):
    built = built_examples(f"2017-11-22-asean-consensus.{lang}.yaml")
    text = " ".join(pandoc_text(built.docx).split())
    ibid, et_al = TERMS[lang]
    assert ibid in text and et_al in text
    assert "Ibid" not in text and "et al." not in text
    if shutil.which("pdftotext"):
        pdf = subprocess.run(["pdftotext", str(built.pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert ibid in " ".join(pdf.split())


def test_locales_ship_inside_the_package():
    for lang in TERMS:
        assert (cite.LOCALES / f"locales-{lang}.xml").is_file()


def test_a_style_gets_the_locale_only_for_languages_that_need_one(tmp_path):
    style = cite.find_style(None, tmp_path)
    assert cite.localized_style(style, "en") == style
    assert cite.localized_style(style, "th") == style  # citeproc's own th-TH is complete
    local = cite.localized_style(style, "my-MM")
    assert local != style and cite.localized_style(style, "my") == local
    ns = {"csl": "http://purl.org/net/xbiblio/csl"}
    root = etree.parse(str(local)).getroot()
    assert root.xpath("csl:locale[@xml:lang='my']/csl:terms/csl:term[@name='ibid']/text()", namespaces=ns) == ["ယင်း"]
    assert etree.QName(root[root.index(root.find("csl:info", ns)) + 1]).localname == "locale"
