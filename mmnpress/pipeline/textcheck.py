"""Find text that Markdown will not read as its writer meant: every Markdown check of the text stage.

Errors, before pandoc sees a statement (`check_markdown`): unknown note labels
and citation keys, and text pandoc would crawl on (brackets nested too deep,
backtick runs of many lengths, thousands of unclosed autolinks).

Warnings, for `mmnpress check`:
- an opening `[` before a citation that is never closed, or a closing `]`
  after one that was never opened: pandoc then prints the brackets and the
  key as typed (`[@key, p. 12` comes out as "[(key?), p. 12");
- Markdown left in the output: `^[`, `[^` or `[@` that pandoc did not turn
  into a note or a citation, or a note pandoc read as superscript text
  (`^[note][^label]` prints "[note][" raised, then "label]").

Each warning is (offset in its source, message); the caller places it.
"""

from __future__ import annotations

import difflib
import re

from ..document import Note, Run
from ..errors import Collector, display_path
from .model import Statement, Text
from .source import locate

_NOTE_REF = re.compile(r"\[\^([^\]\s\[^]+)\]")  # no [ or ^ in a label: linear, not quadratic, in "[^a" * n
_CITE_KEY = re.compile(r"(?<![\w\\])@\{?([\w][\w:.#$%&+?<>~/-]*\w|\w)")
# pandoc's Markdown reader takes exponential time in nested or unclosed
# brackets and parentheses: 10 levels take seconds, 12 take minutes.
MAX_BRACKET_DEPTH = 4
_BRACKETS = re.compile(r"\\.|[\[\]()]", re.DOTALL)
# pandoc looks for the closing run of every run of backticks: runs of many
# different lengths, or thousands of unclosed autolinks, take it half a minute.
MAX_BACKTICK_LENGTHS = 16
MAX_UNCLOSED_AUTOLINKS = 200
_BACKTICKS = re.compile(r"`+")
_AUTOLINK_OPEN = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:")


_BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)
_CITATION = re.compile(r"(?<![\w\\])@\{?\w")
LEFTOVERS = ("^[", "[^", "[@")


def check_markdown(statement: Statement, known_keys: set[str], problems: Collector) -> None:
    """Report what the text stage cannot take: unknown note labels and citation keys, brackets nested too deep."""
    _check_note_labels(statement, problems)
    _check_citation_keys(statement, known_keys, problems)
    _check_brackets(statement, problems)
    _check_slow_markdown(statement, problems)


def _check_note_labels(statement: Statement, problems: Collector) -> None:
    """Report every `[^label]` that names no entry under `notes:`."""
    for text in [*statement.texts(), *statement.notes.values()]:
        for match in _NOTE_REF.finditer(text.source):
            if match.group(1) not in statement.notes:
                _report_at(problems, text, match.group(0), f"unknown note label '{match.group(1)}'; add it under notes:")


def used_note_labels(statement: Statement) -> set[str]:
    """Return the note labels referred to from any text field."""
    return {m.group(1) for t in statement.texts() for m in _NOTE_REF.finditer(t.source)}


def _check_citation_keys(statement: Statement, known: set[str], problems: Collector) -> None:
    """Report every citation key that no bibliography defines."""
    for text in [*statement.texts(), *statement.notes.values()]:
        for key in cited_keys(text.source):
            if key not in known:
                hint = "" if known or statement.references else "; the statement has no references file"
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else hint
                _report_at(problems, text, "@" + key, f"unknown citation key '{key}'{hint}")


def cited_keys(source: str) -> list[str]:
    """Return the citation keys written in a text field, in order."""
    return [m.group(1) for m in _CITE_KEY.finditer(source)]


def _check_brackets(statement: Statement, problems: Collector) -> None:
    """Report text whose brackets and parentheses nest deeper than pandoc can parse quickly."""
    for text in [*statement.texts(), *statement.notes.values()]:
        offset = _too_deep(text.source)
        if offset is not None:
            message = (f"brackets and parentheses nest (or stay open) more than {MAX_BRACKET_DEPTH} deep; "
                       "close them, or write \\[ and \\( for literal ones")
            _report_at(problems, text, text.source[offset:].split("\n")[0][:30], message)


def _check_slow_markdown(statement: Statement, problems: Collector) -> None:
    """Report runs of backticks of too many lengths and too many unclosed <scheme: autolinks (pandoc crawls on them)."""
    for text in [*statement.texts(), *statement.notes.values()]:
        runs = list(_BACKTICKS.finditer(text.source))
        lengths = {len(run.group()) for run in runs}
        if len(lengths) > MAX_BACKTICK_LENGTHS:
            message = (f"runs of backticks of {len(lengths)} different lengths (at most {MAX_BACKTICK_LENGTHS}); "
                       "close each code span with as many backticks as opened it, or write \\` for a literal one")
            _report_at(problems, text, runs[0].group(), message)
        opened = list(_AUTOLINK_OPEN.finditer(text.source))
        if len(opened) - text.source.count(">") > MAX_UNCLOSED_AUTOLINKS:
            message = (f"{len(opened)} links opened with < and not closed with > (at most {MAX_UNCLOSED_AUTOLINKS}); "
                       "close them, or write \\< for a literal one")
            _report_at(problems, text, opened[0].group(), message)


def _too_deep(source: str) -> int | None:
    """Return the offset of the first bracket that opens too deep, or None."""
    depth = 0
    for match in _BRACKETS.finditer(source):
        char = match.group()
        if char in "[(":
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                return match.start()
        elif char in "])":
            depth = max(0, depth - 1)
    return None


def _report_at(problems: Collector, text: Text, needle: str, message: str) -> None:
    line, column = locate(text.node, needle)
    problems.add(display_path(text.node.file), line, column, message)


def unbalanced_citation_brackets(text: Text) -> list[tuple[int, str]]:
    """Return (offset, message) for each `[` or `]` around a citation that has no partner."""
    source = text.source
    opened: list[int] = []
    unopened: list[int] = []
    for match in _BRACKET.finditer(source):
        if match.group() == "[":
            opened.append(match.start())
        elif match.group() == "]":
            (opened.pop() if opened else unopened.append(match.start()))
    found = []
    for offset in opened:
        if _CITATION.search(source, offset):
            found.append((offset, "this '[' before a citation is never closed: add the ']' after the citation "
                                  "(write \\[ for a bracket that is meant to print)"))
    for offset in unopened:
        if _CITATION.search(source[:offset]):
            found.append((offset, "this ']' after a citation has no '[' before it: put the citation in brackets, "
                                  "like [@key, p. 12] (write \\] for a bracket that is meant to print)"))
    return sorted(found)


def markdown_left(text: Text, rich, notes: dict[str, Text]) -> list[tuple[Text, int, str]]:
    """Return (field, offset, message) for each `^[`, `[^` or `[@` that came out of pandoc as plain text.

    Each is placed where it was typed: in `text`, or in the named note (of `notes`) that printed it.
    """
    finder = _Typed([text, *notes.values()])
    found = []
    for printed, raised in _printed(rich):
        if raised and ("[" in printed or "]" in printed):  # ^...^ is superscript: "^[a][^" became raised text
            found.append(finder.place("^" + printed, "^["))
        elif not raised:
            found += [finder.place(printed[m.start():m.start() + 12], m.group()) for m in _LEFTOVER.finditer(printed)]
    return [place for place in found if place is not None]


_LEFTOVER = re.compile("|".join(re.escape(m) for m in LEFTOVERS))
_PRINTED_ONLY = re.compile("[\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0]")  # typographic marks typed as ASCII


class _Typed:
    """Find where printed text was typed, each next leftover after the one found before it in the same field."""

    def __init__(self, fields: list[Text]):
        self.fields = fields
        self.after = {id(field): 0 for field in fields}

    def place(self, printed: str, leftover: str) -> tuple[Text, int, str] | None:
        """Return (field, offset, message) for `leftover`, found with as much of the `printed` text from it as was typed.

        None when it is nowhere typed as it prints but typed escaped (`\\[\\@`, as `review apply` writes
        what a reviewer typed): meant to print as typed.
        """
        context = _PRINTED_ONLY.split(printed)[0]
        for needle in dict.fromkeys((context, context[:len(leftover) + 4], None, leftover)):
            if needle is None:  # typed with its context, it would have been found by now
                if any(form in field.source for form in _escaped_forms(leftover) for field in self.fields):
                    return None
                continue
            for field in self.fields:
                offset = field.source.find(needle, self.after[id(field)])
                if offset >= 0:
                    self.after[id(field)] = offset + len(leftover)
                    return field, offset, _left_message(leftover)
        return self.fields[0], 0, _left_message(leftover)


def _escaped_forms(leftover: str) -> list[str]:
    """Return `leftover` typed with a backslash before one or more of its characters (`\\[@`, `[\\@`, `\\[\\@`)."""
    forms = [""]
    for char in leftover:
        forms = [form + prefix + char for form in forms for prefix in ("", "\\")]
    return [form for form in forms if "\\" in form]


def _left_message(leftover: str) -> str:
    what = "a citation" if leftover == "[@" else "a footnote"
    return (f"'{leftover}' prints as typed instead of becoming {what}; check the brackets around it "
            "(a note is ^[text], a named note [^label], a citation [@key])")


def _printed(rich):
    """Yield (text, raised) for each stretch of printed runs of one paragraph, those of footnotes too; code is left out."""
    stretch: list[Run] = []
    for inline in [*rich, None]:
        if stretch and (not isinstance(inline, Run) or inline.code or inline.sup != stretch[-1].sup):
            yield "".join(run.text for run in stretch), stretch[-1].sup
            stretch = []
        if isinstance(inline, Note):
            for paragraph in inline.paragraphs:
                yield from _printed(paragraph)
        elif isinstance(inline, Run) and not inline.code:
            stretch.append(inline)
