"""Hazards of what a reviewer types, round 3: line-breaking characters, Markdown
specials and a huge insertion, through `review apply` on the real command line.

Each reviewed file is made from a draft the real pipeline built; what was
applied is read back as the next `review apply`, `check` and `build` read it.
"""

from __future__ import annotations

import random
import string
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import yaml
from lxml import etree, html

from mmnpress.review.read import LINE_BREAKS
from tests.hostile.helpers import assert_clean_failure, assert_fast, assert_no_traceback, mmnpress
from tests.review.drafts import Reviewer

SEED = "statements/2017-11-22-asean-consensus.yaml"
DRAFT = "build/2017-11-22-asean-consensus.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _draft(project: Path, to: str = "docx") -> Path:
    run = mmnpress("build", "--to", to, SEED, cwd=project)
    assert run.status == 0, run.stderr
    return project / DRAFT


def _body(project: Path) -> list[str]:
    return yaml.load((project / SEED).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["body"]


# ---- line separators and other line-breaking characters ----------------------------------

BREAKS = {"U+2028": "\u2028", "U+2029": "\u2029", "NEL": "\x85", "CR": "\r", "CR LF": "\r\n", "LF": "\n"}


@pytest.mark.parametrize("name", list(BREAKS))
def test_line_break_in_an_insertion_becomes_a_space_and_reads_back(project, name):
    reviewer = Reviewer(_draft(project))
    reviewer.insert_after("body[1]", "actively", f" and{BREAKS[name]}openly", "Alice Reviewer")
    reviewer.save(project / "first.docx")
    first = mmnpress("review", "apply", "first.docx", cwd=project)
    assert first.status == 0, first.stderr + first.stdout
    assert "actively and openly engaged" in _body(project)[1]
    text = (project / SEED).read_text(encoding="utf-8")
    assert not LINE_BREAKS.search(text.replace("\n", "")) and "\u2029" not in text
    # the next apply on the same statement reads what the first wrote
    reviewer = Reviewer(_draft(project))
    reviewer.insert_after("body[1]", "wherever", " it was", "Bob Reviewer")
    reviewer.save(project / "second.docx")
    second = mmnpress("review", "apply", "second.docx", cwd=project)
    assert_no_traceback(second)
    assert second.status == 0, second.stderr + second.stdout
    assert "actively and openly engaged" in _body(project)[1] and "wherever it was possible" in _body(project)[1]
    assert mmnpress("check", SEED, cwd=project).status == 0


def test_writer_refuses_what_the_next_apply_could_not_read(project):
    """A raw U+2028 in a folded scalar is text to PyYAML and a line break to ruamel: the writer's check reads with both."""
    from mmnpress.review import ReviewError
    from mmnpress.review.yamledit import FieldEdit, edited_text

    old = _body(project)[1]
    at = old.index("actively") + len("actively")
    with pytest.raises(ReviewError, match="did not read back"):
        edited_text(project / SEED, [FieldEdit("body[1]", old, [(at, at, " and\u2028openly")])])


# ---- Markdown specials print as typed ----------------------------------------------------

TYPED = r"[@smith] ^[note] [^1] *a* _b_ `c` back\slash <i>x</i> &amp; ~d~ 2^3^ $x$ \\ @ref"


def _printed_texts(project: Path) -> tuple[str, str]:
    """Return the text of the built Word file and of the built web page."""
    with zipfile.ZipFile(project / DRAFT) as archive:
        parts = [etree.fromstring(archive.read(name)) for name in ("word/document.xml", "word/footnotes.xml")]
    word = "\n".join("".join(p.itertext(W + "t")) for part in parts for p in part.iter(W + "p"))
    web = html.parse(str(project / "build/2017-11-22-asean-consensus.html")).getroot().text_content()
    return word, web


@pytest.mark.parametrize("how", ["insert", "replace", "footnote", "title", "plain field"])
def test_markdown_specials_typed_by_a_reviewer_print_as_typed(project, how):
    before = (project / SEED).read_text(encoding="utf-8").split("\n")
    reviewer = Reviewer(_draft(project))
    if how == "insert":
        reviewer.insert_after("body[1]", "actively", f" {TYPED}", "Alice Reviewer")
    elif how == "title":
        reviewer.insert_after("title", "cautiously", f" {TYPED}", "Alice Reviewer")
    elif how == "plain field":
        reviewer.insert_after("contacts[1].role", "Research", f" {TYPED}", "Alice Reviewer")
    elif how == "replace":
        reviewer.replace("body[1]", "actively", TYPED, "Alice Reviewer")
    else:
        reviewer.insert_footnote("body[1]", "actively", escape(TYPED), "Alice Reviewer")  # the helper writes XML text
    reviewer.save(project / "reviewed.docx")
    applied = mmnpress("review", "apply", "reviewed.docx", cwd=project)
    assert applied.status == 0, applied.stderr + applied.stdout
    after = (project / SEED).read_text(encoding="utf-8").split("\n")
    kept = [line for line in before if line in after]
    assert len(before) - len(kept) <= 4, [line for line in before if line not in after]  # only the edited value's lines
    checked = mmnpress("check", SEED, cwd=project)
    assert checked.status == 0 and "warning" not in checked.stdout, checked.stdout
    built = mmnpress("build", "--to", "docx,html", SEED, cwd=project)
    assert built.status == 0, built.stderr
    for printed in _printed_texts(project):
        assert TYPED in " ".join(printed.split()), printed


# ---- a huge insertion --------------------------------------------------------------------


def test_ten_megabyte_insertion_is_answered_at_once(project):
    reviewer = Reviewer(_draft(project))
    words = random.Random(9).choices(["".join(random.Random(n).choices(string.ascii_lowercase, k=n % 9 + 2)) for n in range(5000)], k=2_000_000)
    text = " " + " ".join(words)[:10_000_000]  # compresses little, as real prose: no zip bomb
    anchor = reviewer.isolate("body[1]", "actively")
    for start in range(0, len(text), 100_000):  # runs of 100,000 characters, as a word processor splits a paste
        anchor = reviewer.insert_at(anchor, text[start:start + 100_000], "Alice Reviewer")
    reviewer.save(project / "huge.docx")
    before = (project / SEED).read_bytes()
    run = mmnpress("review", "apply", "huge.docx", cwd=project)
    assert_fast(run, 10)
    assert_clean_failure(run, positioned=False, expect="more than a statement may hold")
    assert len(run.lines) == 1, run.lines
    assert (project / SEED).read_bytes() == before
