"""Text copied from the PDF is the text typed, in every Mekong language.

Ten phrases per language are taken from the translation's YAML and must come
back verbatim from pdftotext (which honours /ActualText, as Acrobat and
screen readers do): no cluster repeated, no space inserted. A line break of
the page may fall anywhere inside a phrase. The second extractor's figures
(pdfminer.six, which reads ToUnicode only) are in the issue's closing note.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import pytest
import yaml

from mmnpress.render import pdftext

LANGS = ("th", "my", "km", "lo", "vi")
CITATION = re.compile(r"\[@[^\]]*\]")
CLAUSE_END = re.compile(r"[“”\"().,;:\[\]။၊។៕]")

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")


def _source(project, lang: str) -> tuple[dict, str]:
    path = project / "statements" / f"2017-11-22-asean-consensus.{lang}.yaml"
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text), text


def _texts(statement: dict) -> list[str]:
    """Return the prose fields of a translation with citations and emphasis marks taken out."""
    fields = [statement["title"], statement["subtitle"], *statement["body"], *statement.get("closing", [])]
    fields += [item["text"] for item in statement["recommendations"]["items"]]
    return [CITATION.sub(" ", field).replace("*", "") for field in fields]


def phrases(statement: dict, count: int = 10) -> list[str]:
    """Return `count` phrases of at least 15 characters spread over the statement, in its own script."""
    found: list[str] = []
    for text in _texts(statement):
        for clause in CLAUSE_END.split(text):
            words: list[str] = []
            for word in clause.split():
                if word.isascii() or any(c.isdigit() for c in word):
                    words = []
                    continue
                words.append(word)
                if len(" ".join(words)) >= 15:
                    if " ".join(words) not in found:
                        found.append(" ".join(words))
                    words = []
    assert len(found) >= count, found
    step = len(found) // count
    return found[::step][:count]


def found_verbatim(text: str, phrase: str) -> bool:
    """Tell whether `phrase` is in `text`, its spaces as any whitespace and a line break allowed anywhere."""
    pattern = "\n?".join(r"\s+" if c == " " else re.escape(c) for c in phrase)
    return re.search(pattern, text) is not None


def repeated_clusters(text: str) -> set[str]:
    """Return the grapheme clusters of two or more characters that follow themselves in `text`."""
    from icu4py.breakers import CharacterBreaker

    clusters = list(CharacterBreaker(text, "en"))
    return {a for a, b in zip(clusters, clusters[1:], strict=False) if a == b and len(a) > 1}


def _pdftotext(path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pdfs(built_examples):
    """Return the project folder and the five example translations built to PDF."""
    files = {lang: built_examples(f"2017-11-22-asean-consensus.{lang}.yaml").pdf for lang in LANGS}
    return built_examples("2017-11-22-asean-consensus.th.yaml").root, files


@pytest.mark.parametrize("mode", [(), ("-raw",)], ids=["reading-order", "raw"])
@pytest.mark.parametrize("lang", LANGS)
def test_ten_phrases_come_back_exactly_as_typed(pdfs, lang, mode):
    project, files = pdfs
    statement, _ = _source(project, lang)
    text = _pdftotext(files[lang], *mode)
    missing = [phrase for phrase in phrases(statement) if not found_verbatim(text, phrase)]
    assert not missing, missing


@pytest.mark.parametrize("lang", LANGS)
def test_no_cluster_repeats_that_the_source_does_not_repeat(pdfs, lang):
    project, files = pdfs
    _, source = _source(project, lang)
    english = (project / "statements" / "2017-11-22-asean-consensus.yaml").read_text(encoding="utf-8")
    assert repeated_clusters(_pdftotext(files[lang])) <= repeated_clusters(source + english)


@pytest.mark.parametrize("lang", LANGS)
def test_a_repaired_pdf_needs_no_repair(pdfs, lang):
    _, files = pdfs
    built = files[lang].read_bytes()
    assert pdftext.repair(built) is built


UNSPACED_LANGS = ("th", "my", "km", "lo")


def _joined_lines(text: str) -> tuple[str, list[int]]:
    """Join lines broken between two letters of scripts without spaces; return the text and those junctions."""
    from mmnpress.render.pdfbreaks import UNSPACED

    joined, junctions = "", []
    for line in text.splitlines():
        line = line.strip()
        if joined and line and UNSPACED.match(joined[-1]) and UNSPACED.match(line[0]):
            junctions.append(len(joined))
        elif joined:
            joined += "\n"
        joined += line
    return joined, junctions


def word_boundaries(text: str) -> set[int]:
    """Return the offsets where ICU's dictionary segmentation ends a word."""
    from icu4py.breakers import WordBreaker

    ends, at = set(), 0
    for word in WordBreaker(text, "root"):  # segments() counts UTF-16 units; the words are strings
        at += len(word)
        ends.add(at)
    return ends


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


@pytest.mark.parametrize("lang", UNSPACED_LANGS)
def test_every_line_ends_between_words(pdfs, lang):
    """A line that ends inside running text (no space, no paragraph end there in the source) ends at a word boundary."""
    project, files = pdfs
    statement, _ = _source(project, lang)
    source = "\n".join(" ".join(s.split()) for s in _strings(statement))
    joined, junctions = _joined_lines(_pdftotext(files[lang]))
    inside_text = [j for j in junctions if joined[j - 8:j] + joined[j:j + 8] in source]
    assert len(inside_text) >= 5, len(inside_text)  # lines do break between letters of the script
    boundaries = word_boundaries(joined)
    broken = [joined[j - 12:j] + "|" + joined[j:j + 12] for j in inside_text if j not in boundaries]
    assert not broken, broken


@pytest.mark.parametrize("lang", LANGS)
def test_readers_without_actualtext_repeat_no_cluster_either(pdfs, lang):
    """pypdf reads ToUnicode only: each glyph maps to what it draws, so no cluster comes back twice.

    Its text is not yet the typed text: Burmese and Khmer vowels drawn before
    their consonant come first, and Lao's split sara am is read as its pieces.
    """
    import pypdf

    project, files = pdfs
    _, source = _source(project, lang)
    english = (project / "statements" / "2017-11-22-asean-consensus.yaml").read_text(encoding="utf-8")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(files[lang]).pages)
    assert repeated_clusters(text) <= repeated_clusters(source + english)


@pytest.mark.parametrize("role", ["\u102d000", "\u0e34\u102d000", "\u17b6 \u0eb4 x"])
def test_a_mark_typed_without_its_letter_reads_back_once(project, role):
    """A mark with no letter before it is drawn on a dotted circle, two glyphs Typst maps to that one mark."""
    from mmnpress.build import Request, build
    from mmnpress.pipeline.resolve import Options
    from tests.conftest import MINIMAL

    statement = project / "statements" / "mark.yaml"
    statement.write_text(MINIMAL + f"contacts:\n  - name: Nobody\n    role: \"{role}\"\n", encoding="utf-8")
    result = build(Request(statement, ("pdf",), project / "out", Options()))
    text = "".join(_pdftotext(result.outputs[0]).split())
    assert "".join(role.split()) in text
    marks = {char for char in role if unicodedata.category(char) in ("Mn", "Mc")}
    assert {char: text.count(char) for char in marks} == {char: role.count(char) for char in marks}  # none doubled
