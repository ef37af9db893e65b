"""`mmnpress check` finds what a writer did not mean: each finding with its FILE:LINE:COLUMN."""

from __future__ import annotations

import pytest

from tests.conftest import write_statement

HEAD = """\
kind: press-release
lang: en
title: A press release
date: 2020-05-10
organisation: mmn
references: ../bibliography/mmn.json
contacts:
  - name: A Person
    phone: "+44 20 7946 0000"
body:
"""
F = "statements/s.yaml"

CASES = {
    "unclosed [ before a citation": (
        "  - An unclosed citation [@tfamw2009, p. 12 in the text.\n",
        f"{F}:11:26: warning: this '[' before a citation is never closed",
    ),
    "] after a citation without [": (
        "  - A citation @tfamw2009, p. 4] without its opening bracket.\n",
        f"{F}:11:32: warning: this ']' after a citation has no '[' before it",
    ),
    "a note read as superscript": (
        "  - A note ^[note][^label] that goes wrong.\nnotes:\n  label: The label note.\n",
        f"{F}:11:12: warning: '^[' prints as typed instead of becoming a footnote",
    ),
    "the second of two leftovers, where it was typed": (
        "  - A fine^[note] then ^[bad][^label] text.\nnotes:\n  label: The label note.\n",
        f"{F}:11:24: warning: '^[' prints as typed instead of becoming a footnote",
    ),
    "a leftover in a named note, in its notes: entry": (
        "  - A word [^label] here.\nnotes:\n  label: The label ^[note][^other] note.\n  other: The other note.\n",
        f"{F}:13:20: warning: '^[' prints as typed instead of becoming a footnote",
    ),
    "a leftover on the second line of a folded paragraph": (
        "  - >-\n    A fine^[note] first\n    and ^[x][^label] then.\nnotes:\n  label: The label note.\n",
        f"{F}:13:9: warning: '^[' prints as typed instead of becoming a footnote",
    ),
    "an unclosed named note after a quote": (
        '  - A "quoted" word [^open and [^open again.\n',
        f"{F}:11:32: warning: '[^' prints as typed instead of becoming a footnote",
    ),
    "unknown citation key": (
        "  - Cited [@tfamw2008, 9].\n",
        f"{F}:11:12: error: unknown citation key 'tfamw2008'; did you mean 'tfamw2009'?",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_each_text_finding_is_placed(project, cli, case):
    body, expected = CASES[case]
    write_statement(project, "s.yaml", HEAD + body)
    result = cli("check", F)
    assert expected in result.output, result.output
    assert result.exit_code == (2 if ": error: " in expected else 1)


def test_an_embargo_before_the_date_is_placed(project, cli):
    write_statement(project, "s.yaml", HEAD.replace("date: 2020-05-10\n", "date: 2020-05-10\nrelease: embargoed\n"
                                                    "embargo: 2020-05-01T09:00:00+07:00\n") + "  - Text.\n")
    result = cli("check", F)
    assert (f"{F}:6:10: warning: the embargo (2020-05-01T09:00:00+07:00) ends before the statement's date (2020-05-10); "
            "correct one of them") in result.output.splitlines()


def test_an_unquoted_colon_says_to_quote_the_text(project, cli):
    write_statement(project, "s.yaml", HEAD.replace("title: A press release", "title: Migration: the facts") + "  - Text.\n")
    result = cli("check", F)
    assert result.exit_code == 2
    assert result.output.startswith(f"{F}:3:17: error: YAML syntax: mapping values are not allowed")
    assert 'must be put in quotes, like title: "Migration: the facts"' in result.output


def test_balanced_citations_and_notes_say_nothing(project, cli):
    write_statement(project, "s.yaml", HEAD + "  - Fine [@tfamw2009, p. 12], a note^[Said so.] and [^label].\n"
                    "notes:\n  label: The label note.\n")
    result = cli("check", F)
    assert result.output == f"{F}: ok\n"
