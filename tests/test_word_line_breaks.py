"""Lines of the Word file end between words in Thai, Burmese, Khmer and Lao.

LibreOffice opens each translation's DOCX and lays it out; the view cursor
gives every line of every body paragraph as laid out. Each line that ends
between two letters of these scripts (no space there) must end where ICU's
dictionary segmentation ends a word, as the PDF's lines do
(`test_pdf_text.test_every_line_ends_between_words`).
"""

from __future__ import annotations

import json

import libreoffice
import pytest
from test_pdf_text import word_boundaries

from mmnpress.render.pdfbreaks import UNSPACED

STEM = "2017-11-22-asean-consensus"
office = libreoffice.office
pytestmark = [pytest.mark.slow, libreoffice.needs_uno]


def _junctions(lines: list[str]) -> list[int]:
    """Return the offsets in the joined paragraph where a line ends between two letters of these scripts."""
    junctions, at = [], 0
    joined = "".join(lines)
    for line in lines[:-1]:
        at += len(line)
        if UNSPACED.match(joined[at - 1]) and UNSPACED.match(joined[at]):
            junctions.append(at)
    return junctions


@pytest.mark.parametrize("lang", ["th", "my", "km", "lo"])
def test_every_word_line_ends_between_words(office, built_examples, lang):
    docx = built_examples(f"{STEM}.{lang}.yaml").docx
    paragraphs = json.loads(libreoffice.run_script(office, "uno_lines.py", str(docx)).stdout)
    assert sum(len(lines) > 1 for lines in paragraphs) >= 5  # the body does wrap
    broken, checked = [], 0
    for lines in paragraphs:
        joined, boundaries = "".join(lines), word_boundaries("".join(lines))
        for at in _junctions(lines):
            checked += 1
            if at not in boundaries:
                broken.append(joined[at - 10:at] + "|" + joined[at:at + 10])
    assert checked >= 5, checked  # lines do end between letters of the script
    assert not broken, broken
