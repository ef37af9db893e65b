"""Property: any Unicode in any text field builds and reads back, or fails cleanly.

Statements arrive from partners writing in many scripts. Hypothesis writes
statements whose text fields hold RTL marks, combining marks, emoji, Thai,
Burmese, Khmer, Lao, Vietnamese and the characters Typst and Markdown treat
specially, builds them in-process (DOCX and PDF) and checks what a reader
gets back.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from mmnpress.build import Request, build
from mmnpress.errors import InputError, MmnpressError
from mmnpress.pipeline.resolve import Options
from mmnpress.unicode.zawgyi import is_zawgyi
from tests.hostile.helpers import assert_positioned_lines

REPO = Path(__file__).resolve().parents[2]
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:?'\"()-/%#${}=+"
VIETNAMESE = "ăâêôơưđĂÂÊÔƠƯĐạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
THAI = "กขคงจฉชซญดตถทนบปผพฟภมยรลวศษสหอฮะัาำิีึืุูเแโใไ่้๊๋็์"
BURMESE = "ကခဂဃငစဆဇဈညတထဒဓနပဖဗဘမယရလဝသဟဠအါာိီုူေဲံ့း်ျြွှ"
KHMER = "កខគឃងចឆជឈញដឋឌឍណតថទធនបផពភមយរលវសហឡអាិីឹឺុូួើឿៀេែៃោៅំះ់៉៊្"
LAO = "ກຂຄງຈຊຍດຕຖທນບປຜຝພຟມຢຣລວສຫອຮະັາຳິີຶືຸູົຼຽເແໂໃໄ່້໊໋"
MARKS = "\u200e\u200f\u0301\u0308\u200b"
EMOJI = "😀🌏✊🏽"
# Characters that mean something to Markdown (or are entities) are left out of
# the exact-text property; the second property throws them in.
READABLE = LATIN + VIETNAMESE + THAI + BURMESE + KHMER + LAO + MARKS
SPECIAL = "*_`[]^@\\<>~|&!#$\x01\x07\x1b\u2028\ufeff" + "#import \"x\" #read(\"/etc/passwd\") = $x$ <l> @r {{ 7*7 }}"
FIELDS = ("title", "body", "item_title", "item_text", "closing", "contact", "role")
_names = itertools.count()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("unicode")
    for name in ("templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    (root / "statements").mkdir()
    return root


def _statement(project: Path, values: dict[str, str]) -> Path:
    data = {
        "kind": "statement", "lang": "en", "date": "2021-03-04", "organisation": "mmn", "status": "final",
        "quotes": "as-typed",  # the text must read back exactly as typed
        "title": values["title"],
        "body": [values["body"]],
        "recommendations": {"items": [{"title": values["item_title"], "text": values["item_text"]}]},
        "closing": [values["closing"]],
        "contacts": [{"name": values["contact"], "role": values["role"]}],
    }
    path = project / "statements" / f"u{next(_names)}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _build(project: Path, path: Path, formats: tuple[str, ...] = ("docx", "pdf")):
    request = Request(path, formats, project / "out", Options())
    return build(request)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    return _normal("\n".join(p.text for p in document.paragraphs))


def _pandoc_text(path: Path) -> str:
    import pypandoc

    return _normal(pypandoc.convert_file(str(path), "plain", extra_args=["--wrap=none"]))


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    else:
        from pypdf import PdfReader

        out = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return "".join(out.split())


def _latin_words(text: str) -> list[str]:
    """Return the runs of plain Latin letters and digits: what every PDF reader extracts faithfully."""
    words, current = [], ""
    for char in text:
        if char.isascii() and char.isalnum():
            current += char
        else:
            words.append(current)
            current = ""
    return [w for w in [*words, current] if len(w) >= 3]


readable = st.text(alphabet=st.sampled_from(READABLE), min_size=1, max_size=30)
special = st.text(alphabet=st.sampled_from(READABLE + EMOJI + SPECIAL), min_size=0, max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries({name: readable for name in FIELDS}))
def test_any_script_reads_back_from_docx_and_pdf(project, values):
    path = _statement(project, values)
    try:
        result = _build(project, path)
    except InputError as error:
        # only an empty field, or Burmese letters in an order only Zawgyi writes, may be refused, at its place
        assert all("is empty" in p.message or "Zawgyi" in p.message for p in error.problems), error.lines()
        assert any(not v.strip() or is_zawgyi(v) for v in values.values())
        return
    docx, pdf = result.outputs
    read, seen_by_pandoc, printed = _docx_text(docx), _pandoc_text(docx), _pdf_text(pdf)
    for name, value in values.items():
        expected = _normal(value)
        assert expected in read, (name, value)
        assert expected in seen_by_pandoc or name in ("title",), (name, value)  # pandoc puts the title in metadata
        for word in _latin_words(value):
            assert word in printed, (name, word)
    with zipfile.ZipFile(docx) as archive:
        etree.fromstring(archive.read("word/document.xml"))  # well-formed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.fixed_dictionaries({name: special for name in FIELDS}))
def test_markdown_and_typst_specials_build_or_fail_cleanly(project, values):
    path = _statement(project, values)
    try:
        _build(project, path)
    except InputError as error:
        assert_positioned_lines(error.lines())
    except MmnpressError as error:
        assert len(error.lines()) == 1 and "internal error" not in error.lines()[0]


def test_emoji_no_packaged_font_has_are_refused_at_their_place(project):
    values = {name: f"Solidarity {EMOJI} {name}" for name in FIELDS}
    path = _statement(project, values)
    for formats in (("docx",), ("pdf",)):
        with pytest.raises(InputError) as refused:
            _build(project, path, formats)
        assert_positioned_lines(refused.value.lines())
        assert len(refused.value.problems) == 4 * len(FIELDS)  # 😀 🌏 ✊ 🏽 in each field
        assert all("no packaged font has" in p.message for p in refused.value.problems)
    assert not (project / "out" / f"{path.stem}.docx").exists()
