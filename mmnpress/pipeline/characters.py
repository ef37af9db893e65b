"""Find characters that no output can show right: the build refuses a statement that has them.

- a character no packaged font has (`fonts.coverage`): a PDF/A file cannot
  hold it, another PDF would print a box;
- Burmese typed in the Zawgyi encoding, which Unicode fonts show as broken text.

`resolve` reports them as errors before anything is built; `check` reports
them through `resolve` too, each where it is typed.
"""

from __future__ import annotations

import unicodedata

from ..errors import Collector, display_path
from .model import Statement
from .source import Node, locate, walk


def check_characters(statement: Statement, problems: Collector) -> None:
    """Report every character no packaged font has, then every Burmese text typed in Zawgyi."""
    _unshowable_characters(statement, problems)
    _zawgyi_encoded(statement, problems)


def text_values(statement: Statement) -> list[Node]:
    """Return every string value of the statement and of the files it extends (not the keys) that is not ASCII."""
    keys = {id(key) for node in walk(statement.root) for key, _ in node.entries.values()}
    return [node for node in walk(statement.root) if node.kind == "scalar" and id(node) not in keys and not node.value.isascii()]


def _unshowable_characters(statement: Statement, problems: Collector) -> None:
    """Report characters no packaged font has: a PDF/A file cannot hold them, a PDF without would print boxes."""
    from ..fonts.coverage import unshowable

    for node in text_values(statement):
        for char in sorted(unshowable(set(node.value)), key=node.value.index):
            _add_at(problems, node, char, _unshowable_message(char))


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


def _add_at(problems: Collector, node: Node, needle: str, message: str) -> None:
    """Add a problem placed where `needle` is typed in the value of `node`."""
    line, column = locate(node, needle)
    problems.add(display_path(node.file), line, column, message)
