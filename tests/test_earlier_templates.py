"""Templates an organisation wrote against the variables of earlier versions still build, to the same text.

tests/fixtures/earlier_templates/ holds the house Typst templates and the
generated Word templates as they were before the document's outline: they
name `release_line`, `labels.position_paper`, `about_heading`,
`labels.notes_to_editors`, `d.place` and `d.date_text`, and lay the sections
out themselves. Kept as an organisation's own templates, they must give the
text the house templates give today.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.docx_reader import paragraphs
from tests.snapshots import pdf_text

EARLIER = Path(__file__).resolve().parent / "fixtures" / "earlier_templates"
EXAMPLES = ("2017-11-22-asean-consensus.yaml", "2018-01-22-garment-workshops.yaml", "2018-06-01-sez-garment-workers.yaml")


@pytest.fixture(scope="module")
def earlier_builds(tmp_path_factory):
    """Build the examples with the earlier templates as the organisation's own; return a function giving a statement's outputs."""
    from mmnpress.build import Request, build
    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("earlier")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    for template in EARLIER.iterdir():
        shutil.copyfile(template, root / "templates" / "mmn" / template.name)
    found = {}

    def built(name: str) -> dict[str, Path]:
        if name not in found:
            with pytest.MonkeyPatch.context() as patch:
                patch.chdir(root)
                result = build(Request(Path("statements") / name, out_dir=root / "build"))
            found[name] = {path.suffix: path for path in result.outputs}
        return found[name]

    return built


@pytest.mark.parametrize("name", EXAMPLES)
def test_an_earlier_typst_template_gives_the_same_pdf_text(name, built_examples, earlier_builds):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    # earlier templates print a draft's watermark as text (they have no watermark.typ): pdftotext reads its
    # rotated letters as lines of their own ("DR", "AF", "T") among blank ones, and they change the order in which
    # it reads a page's blocks; apart from those, every line is the same
    assert _without_watermark(pdf_text(earlier_builds(name)[".pdf"])) == _without_watermark(pdf_text(built_examples(name).pdf))


def _without_watermark(text: str) -> list[str]:
    """Return the lines of `text` that hold more than a piece of the DRAFT watermark, sorted."""
    return sorted(line for line in text.split("\n") if line.strip() not in "DRAFT")


# The earlier Word templates of a press release and a position paper name every variable a statement's did.
@pytest.mark.parametrize("name", EXAMPLES[1:])
def test_an_earlier_word_template_gives_the_same_text(name, built_examples, earlier_builds):
    earlier = [(p.style.name, p.text) for p in paragraphs(earlier_builds(name)[".docx"])]
    today = [(p.style.name, p.text) for p in paragraphs(built_examples(name).docx)]
    assert earlier == today
