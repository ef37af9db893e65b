"""Find characters that no output can show right: the build refuses a statement that has them.

- a character a PDF cannot hold: one PDF/A forbids (U+FEFF, private use,
  noncharacters; typed or written as an escape), or one no packaged font has
  (`fonts.coverage`): a PDF/A file cannot hold it, another PDF would print a box;
- Burmese typed in the Zawgyi encoding, which Unicode fonts show as broken text.

`resolve` reports them as errors before anything is built; `check` reports
them through `resolve` too, each where it is typed.
"""

from __future__ import annotations

import unicodedata

from ..errors import Collector, display_path
from .model import Statement
from .source import Node, file_lines, locate, walk


def check_characters(statement: Statement, problems: Collector) -> None:
    """Report every character no packaged font has, then every Burmese text typed in Zawgyi."""
    _unshowable_characters(statement, problems)
    _zawgyi_encoded(statement, problems)


def text_values(statement: Statement) -> list[Node]:
    """Return every string value of the statement and of the files it extends (not the keys) that is not ASCII."""
    keys = {id(key) for node in walk(statement.root) for key, _ in node.entries.values()}
    return [node for node in walk(statement.root) if node.kind == "scalar" and id(node) not in keys and not node.value.isascii()]


def _unshowable_characters(statement: Statement, problems: Collector) -> None:
    """Report characters a PDF cannot hold: those PDF/A forbids (typed or written as an escape such as "\\uFEFF")
    and those no packaged font has (a PDF/A file cannot hold them, a PDF without would print boxes)."""
    from ..fonts.coverage import unshowable
    from ..unicode.chars import not_in_pdf

    for node in text_values(statement):
        chars = set(node.value)
        forbidden = {char: reason for char in chars if (reason := not_in_pdf(char))}
        for char in sorted(forbidden.keys() | unshowable(chars - forbidden.keys()), key=node.value.index):
            _add_at(problems, node, char, forbidden.get(char) or _unshowable_message(char), typed=_escapes(char))


def _escapes(char: str) -> tuple[str, str]:
    """Return how `char` is typed as an escape of a double-quoted YAML string, in capitals and in small letters."""
    form = f"\\U{ord(char):08X}" if ord(char) > 0xFFFF else f"\\u{ord(char):04X}"
    return form, form[:2] + form[2:].lower()


def _unshowable_message(char: str) -> str:
    """Return what to do about `char`: install the East Asian fonts when they would show it, else replace it."""
    from .. import fonts
    from ..unicode.scripts import is_east_asian

    name = unicodedata.name(char, "unnamed character")
    message = f"no packaged font has {char} (U+{ord(char):04X} {name}), so the PDF cannot show it"
    if is_east_asian(char) and not fonts.cjk_installed():
        return f"{message}; install the Chinese, Japanese and Korean fonts: {fonts.CJK_INSTALL}"
    return f"{message}; remove or replace it"


def _zawgyi_encoded(statement: Statement, problems: Collector) -> None:
    """Report Burmese typed in Zawgyi, which Unicode fonts show as broken text."""
    from ..unicode import zawgyi

    message = "this Burmese is typed in the Zawgyi encoding, not Unicode; convert the file with: mmnpress fix --zawgyi {}"
    for node in text_values(statement):
        if run := zawgyi.first_zawgyi(node.value):
            _add_at(problems, node, run, message.format(display_path(node.file)))


def _add_at(problems: Collector, node: Node, needle: str, message: str, typed: tuple[str, ...] = ()) -> None:
    """Add a problem placed where `needle` is typed in the value of `node`, or else the first of its forms `typed` (an escape)."""
    lines = file_lines(node.file)
    for form in (needle, *typed):
        line, column = locate(node, form)
        if lines[line - 1][column - 1:].startswith(form):
            break
    else:
        line, column = node.line, node.column
    problems.add(display_path(node.file), line, column, message)
