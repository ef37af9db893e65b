"""Hazards beyond the issue's list: text that makes pandoc's Markdown reader
take exponential time. Ten nested brackets take it seconds and twelve take
minutes (`[[[[[[[[[[[[x]]]]]]]]]]]]`, `[a](` repeated, `<[` repeated), so text
whose brackets and parentheses nest or stay open deeper than a few levels is
refused before pandoc sees it, at its position.
"""

from __future__ import annotations

import pytest

from tests.conftest import MINIMAL
from tests.hostile.helpers import assert_clean_failure, assert_fast, mmnpress

PATHOLOGICAL = {
    "nested-closed": "[" * 14 + "x" + "]" * 14,
    "unclosed": "[a " * 30,
    "link-openers": "[a](" * 300,
    "angle-brackets": "<[" * 300,
    "citations": "[@tfamw2009 " * 16,
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_brackets_refused_fast(project, name):
    text = MINIMAL.replace("First paragraph.", f"'Lead {PATHOLOGICAL[name]}'")
    (project / "statements" / "slow.yaml").write_text(text, encoding="utf-8")
    run = mmnpress("build", "--to", "docx", "statements/slow.yaml", cwd=project, timeout=60)
    assert_clean_failure(run, expect="brackets")
    assert "slow.yaml:8:" in run.stderr
    assert_fast(run, 3)


def test_ordinary_nesting_and_escaped_brackets_build(project):
    body = ("'See ^[the note (and [the report (2017)](https://example.org/a_(b)), [@tfamw2009, p. 3])] "
            "and \\[\\[\\[\\[\\[\\[\\[ literal (((( brackets'")
    text = MINIMAL.replace("First paragraph.", body)
    (project / "statements" / "fine.yaml").write_text(text, encoding="utf-8")
    run = mmnpress("build", "--to", "docx", "statements/fine.yaml", cwd=project)
    assert run.status == 0, run.stderr


def test_pandoc_time_limit_is_one_clean_line(project):
    """Other slow inputs remain (a run of 8,000 '&' takes pandoc ~13 s): the time limit ends them."""
    text = MINIMAL.replace("First paragraph.", "'" + "&" * 8000 + "'")
    (project / "statements" / "amp.yaml").write_text(text, encoding="utf-8")
    run = mmnpress("build", "--to", "docx", "statements/amp.yaml", cwd=project,
                   prelude="import mmnpress.pipeline.pandocrun as p; p.PANDOC_SECONDS = 1")
    assert_clean_failure(run, positioned=False, expect="pandoc took longer than 1 s")
    assert run.lines == ["statements/amp.yaml: pandoc took longer than 1 s on this statement's text"]
    assert run.seconds < 5
    assert not (project / "build" / "amp.docx").exists()


def test_a_pandoc_time_out_in_a_folder_build_names_its_statement(project):
    text = MINIMAL.replace("First paragraph.", "'" + "&" * 8000 + "'")
    (project / "statements" / "amp.yaml").write_text(text, encoding="utf-8")
    (project / "statements" / "fine.yaml").write_text(MINIMAL, encoding="utf-8")
    run = mmnpress("build", "--to", "html", "statements/amp.yaml", "statements/fine.yaml", cwd=project,
                   prelude="import mmnpress.pipeline.pandocrun as p; p.PANDOC_SECONDS = 1")
    assert run.status == 2, run.stderr
    assert "statements/amp.yaml: pandoc took longer than 1 s on this statement's text" in run.stderr.splitlines()
    assert (project / "build" / "fine.html").is_file() and not (project / "build" / "amp.html").exists()


def test_note_reference_scan_is_linear(project):
    """`[^a` repeated 30,000 times took the note-label check 28 s (a quadratic regex)."""
    text = MINIMAL.replace("First paragraph.", "'" + "[^a" * 30_000 + "'")
    (project / "statements" / "notes.yaml").write_text(text, encoding="utf-8")
    run = mmnpress("build", "--to", "docx", "statements/notes.yaml", cwd=project, timeout=60)
    assert_clean_failure(run, expect="brackets")
    assert_fast(run, 3)


@pytest.mark.parametrize(("text", "expect"), [
    (" x ".join("`" * length for length in range(1, 400)), "backticks of 399 different lengths"),
    ("<http://a " * 3000, "3000 links opened with <"),
])
def test_hazard16_11_markdown_pandoc_crawls_on_is_refused_at_once(project, text, expect):
    """Backtick runs of many lengths and thousands of unclosed autolinks took pandoc 27 to 38 s."""
    (project / "statements" / "slow.yaml").write_text(MINIMAL.replace("First paragraph.", "'" + text + "'"), encoding="utf-8")
    for command in ("check", "build"):
        run = mmnpress(command, "statements/slow.yaml", cwd=project, timeout=60)
        assert_clean_failure(run, expect=expect)
        assert_fast(run, 10)


def test_pandoc_out_of_memory_on_markdown_names_the_markdown(project):
    """pandoc out of its memory was blamed on "a BibTeX bibliography's @string macros" in a statement with none.

    Its heap limit is lowered to 16 MiB here, so that 20,000 emphasised words exhaust it at once.
    """
    text = MINIMAL.replace("First paragraph.", "'" + "*a* **b** " * 20_000 + "'")
    (project / "statements" / "heavy.yaml").write_text(text, encoding="utf-8")
    run = mmnpress("build", "--to", "docx", "statements/heavy.yaml", cwd=project, timeout=60,
                   prelude="import mmnpress.pipeline.text as t; t.PANDOC_SAFETY[1] = '-M16m'")
    assert_clean_failure(run, positioned=False, expect="pandoc ran out of its 16 MiB of memory reading the statement's Markdown")
    assert len(run.lines) == 1 and "BibTeX" not in run.stderr and "@string" not in run.stderr, run.lines
    assert not (project / "build" / "heavy.docx").exists()
