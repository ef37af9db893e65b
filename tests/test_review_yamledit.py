"""Tests of the YAML round trip that `review apply` writes with: only edited values change."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmnpress.review import ReviewError
from mmnpress.review.yamledit import FieldEdit, edited_text

LAYOUT = """\
# A statement typed by hand: odd spacing, comments, plain multi-line scalars.
kind: statement   # the kind
title: A title that goes on
  over two lines in plain style
body:
- >-
  The first paragraph is folded over
  three lines by the author, who likes
  short lines.
- "A quoted paragraph
  on two lines."
- |-
  A literal paragraph.
closing:
- Closing words    # spaced comment
"""


def edit(tmp_path: Path, text: str, *fields: tuple[str, str, str, str], newline: str = "\n") -> tuple[str, str]:
    """Replace `old` with `new` in each (path, value, old, new) and return the texts before and after."""
    path = tmp_path / "s.yaml"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    edits = []
    for yaml_path, value, old, new in fields:
        at = value.index(old)
        edits.append(FieldEdit(yaml_path, value, [(at, at + len(old), new)]))
    return edited_text(path, edits)


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def test_folded_scalar_keeps_its_lines(tmp_path):
    value = "The first paragraph is folded over three lines by the author, who likes short lines."
    before, after = edit(tmp_path, LAYOUT, ("body[0]", value, "author", "writer"))
    assert changed_lines(before, after) == [
        "-   three lines by the author, who likes",
        "+   three lines by the writer, who likes",
    ]


def test_a_long_insertion_is_folded_at_the_old_width(tmp_path):
    value = "The first paragraph is folded over three lines by the author, who likes short lines."
    before, after = edit(tmp_path, LAYOUT, ("body[0]", value, "author", "author of many careful and thoughtful statements"))
    lines = after.splitlines()
    body = lines[lines.index("- >-") + 1: lines.index('- "A quoted paragraph')]
    assert len(body) == 3 and max(len(line.strip()) for line in body) <= 60  # folded, never past 60 columns of text
    assert " ".join(line.strip() for line in body) == value.replace("author", "author of many careful and thoughtful statements")


def test_reflowed_plain_and_quoted_scalars_change_only_themselves(tmp_path):
    before, after = edit(
        tmp_path, LAYOUT,
        ("title", "A title that goes on over two lines in plain style", "plain", "simple"),
        ("body[1]", "A quoted paragraph on two lines.", "quoted", "double-quoted"),
    )
    assert sorted(changed_lines(before, after)) == sorted([
        "- title: A title that goes on",
        "-   over two lines in plain style",
        "+ title: A title that goes on over two lines in simple style",
        '- - "A quoted paragraph',
        '-   on two lines."',
        '+ - "A double-quoted paragraph on two lines."',
    ])
    assert "kind: statement   # the kind" in after and "- Closing words    # spaced comment" in after


def test_literal_scalar_and_crlf(tmp_path):
    before, after = edit(tmp_path, LAYOUT, ("body[2]", "A literal paragraph.", "literal", "plainly literal"), newline="\r\n")
    assert after == before.replace("A literal paragraph.", "A plainly literal paragraph.")


def test_value_that_moved_is_refused(tmp_path):
    with pytest.raises(ReviewError, match="does not hold the text the draft was built from"):
        edit(tmp_path, LAYOUT, ("closing[0]", "Something else", "else", "new"))


def test_what_a_long_line_sheds_flows_into_the_next_line(tmp_path):
    text = ("body:\n- >-\n  One two three four five six seven eight nine ten\n  eleven twelve thirteen fourteen fifteen sixteen\n"
            "  seventeen eighteen nineteen twenty twenty-one\n  twenty-two twenty-three.\n")
    value = ("One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
             "seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three.")
    _, after = edit(tmp_path, text, ("body[0]", value, "ten", "ten and a great many more words"))
    lines = [line.strip() for line in after.splitlines()[2:]]
    assert " ".join(lines) == value.replace("ten", "ten and a great many more words")
    assert all(len(line) <= 60 for line in lines)
    assert all(len(line) > 30 for line in lines[:-1])  # no short line left behind the insertion
    assert lines[-1] == "twenty-two twenty-three."  # the last line stays as typed


def test_what_the_line_before_the_last_sheds_flows_into_the_last_line(tmp_path):
    text = ("body:\n- >-\n  Workers who lost their jobs were not paid what they are owed\n"
            "  by the factory, and the brands have not stepped in the\n  way they promised.\n")
    value = ("Workers who lost their jobs were not paid what they are owed by the factory, and the brands "
             "have not stepped in the way they promised.")
    _, after = edit(tmp_path, text, ("body[0]", value, "brands", "big international brands"))
    assert after.splitlines()[2:] == [
        "  Workers who lost their jobs were not paid what they are owed",
        "  by the factory, and the big international brands have not",
        "  stepped in the way they promised.",  # not "stepped in the" on a line of its own
    ]


def test_values_beside_an_edited_one_keep_their_lines(tmp_path):
    text = "title: A title\nbody:\n- Plain paragraph that\n  goes over two lines.\n- Edited paragraph.\n- 'Another one\n  on two lines.'\n"
    before, after = edit(tmp_path, text, ("body[1]", "Edited paragraph.", "Edited", "Changed"))
    assert changed_lines(before, after) == ["- - Edited paragraph.", "+ - Changed paragraph."]


WORDS = st.sampled_from(["in", "the", "a", "of", "workers", "brands", "factory", "stepped", "promised", "wages", "Mekong"])
SENTENCE = st.lists(WORDS, min_size=3, max_size=40).map(" ".join)


def _typed(words: str, width: int) -> list[str]:
    """Return `words` on lines of at most `width` characters, each as full as it can be."""
    lines: list[str] = []
    for word in words.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


@settings(max_examples=150, deadline=None)
@given(values=st.lists(SENTENCE, min_size=2, max_size=4), styles=st.lists(st.sampled_from(">-pq"), min_size=4, max_size=4),
       which=st.integers(0, 3), at=st.integers(0, 400), inserted=st.lists(WORDS, min_size=1, max_size=8).map(" ".join))
def test_an_insertion_changes_only_its_value_and_leaves_no_short_line(tmp_path_factory, values, styles, which, at, inserted):
    """Property: other values keep their lines byte for byte; a folded value wrapped full stays full after an insertion."""
    lines = ["body:"]
    spans = []
    for value, style in zip(values, styles, strict=False):
        typed = _typed(value, 60)
        start = len(lines)
        if style == ">-":
            lines += ["- >-", *(f"  {line}" for line in typed)]
        elif style == "q":
            lines += [f"- '{typed[0]}", *(f"  {line}" for line in typed[1:])]
            lines[-1] += "'"
        else:
            lines += [f"- {typed[0]}", *(f"  {line}" for line in typed[1:])]
        spans.append((start, len(lines)))
    which %= len(values)
    value = values[which]
    space = [i for i, c in enumerate(value) if c == " "]
    cut = space[at % len(space)]
    folder = tmp_path_factory.mktemp("fold")
    before, after = edit(folder, "\n".join(lines) + "\n", (f"body[{which}]", value, value[cut:cut + 1], f" {inserted} "))
    old, new = before.splitlines(), after.splitlines()
    grown = len(new) - len(old)
    start, end = spans[which]
    assert old[:start] == new[:start] and old[end:] == new[end + grown:]  # the other values, byte for byte
    if styles[which] == ">-":
        body = [line[2:] for line in new[start + 1:end + grown]]
        assert " ".join(body) == value[:cut] + f" {inserted} " + value[cut + 1:]
        for line, following in zip(body, body[1:], strict=False):
            assert len(line) <= 60 and len(line) + 1 + len(following.split()[0]) > 60, body  # no short line left behind
