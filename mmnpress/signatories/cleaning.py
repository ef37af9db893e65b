"""Turn the rows of an export into signatories: trimmed, NFC, Zawgyi converted, consent checked.

A row is left out (and counted) when its consent column says no or is
empty, or when it has no name. The signatory's name is the organisation's
when the form asks for one, else the person's. A name or country that
would start a spreadsheet formula is refused: it is no organisation's name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import Problem
from .countries import country_code, suggestion
from .reading import Table

# Answers that withhold consent, after `answer_key`; any other non-empty answer gives it
# (a ticked Google Forms checkbox exports its label: "I endorse this statement").
REFUSALS = frozenset({
    "no", "n", "false", "0", "not", "decline", "declined", "i do not agree", "i don t agree", "disagree", "unchecked", "off",
    "ไม่", "ไม่ใช่", "ไม่ยินยอม", "ไม่เห็นด้วย", "မဟုတ်", "မဟုတ်ပါ", "သဘောမတူ", "သဘောမတူပါ", "ទេ", "មិនយល់ព្រម", "ទេ មិនយល់ព្រម",
    "ບໍ່", "ບໍ່ເຫັນດີ", "ບໍ່ຍິນຍອມ", "không", "không đồng ý",
})
FORMULA = re.compile(r"^(=|[+\-@]\s*[A-Za-z_.]+\s*\()")  # what a spreadsheet would run: =..., +SUM(, @cmd(, -HYPERLINK(
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>@^~$])")


@dataclass(frozen=True)
class Entry:
    """One signatory read from a row: its line in the export, name, country as typed and its ISO code."""

    line: int
    name: str
    country: str = ""
    code: str | None = None


@dataclass
class Cleaned:
    """The signatories of an export, what was left out, and what to tell the user."""

    entries: list[Entry] = field(default_factory=list)
    without_consent: list[int] = field(default_factory=list)  # lines
    without_name: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # located lines: Zawgyi converted, unknown countries
    problems: list[Problem] = field(default_factory=list)  # what stops the import


def tidy(text: str) -> str:
    """Return `text` in NFC with its spaces (no-break and ideographic too) trimmed and folded to one."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def answer_key(text: str) -> str:
    """Return an answer lower-cased, its punctuation as spaces, for comparing with REFUSALS."""
    text = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in tidy(text).casefold())
    return " ".join(text.split())


def consents(answer: str) -> bool:
    """Tell whether a consent column's answer gives consent: not empty and not a refusal."""
    key = answer_key(answer)
    return bool(key) and key not in REFUSALS


def clean(table: Table) -> Cleaned:
    """Return the signatories of `table`'s rows, in order, with what was dropped, converted and refused."""
    from ..unicode.zawgyi import is_zawgyi, to_unicode

    result = Cleaned()
    for index, line in enumerate(table.lines):
        if "consent" in table.columns and not consents(table.cell(index, "consent")):
            result.without_consent.append(line)
            continue
        name = tidy(_name(table, index))
        if not name:
            result.without_name.append(line)
            continue
        country = tidy(table.cell(index, "country"))
        for value, field_name in ((name, "name"), (country, "country")):
            if FORMULA.match(value):
                column = table.columns.get(field_name, table.columns.get("organisation", 0)) + 1
                result.problems.append(Problem(table.name, line, column, f"a formula, not a {field_name}: {value[:60]!r}"))
        if is_zawgyi(name):
            name = tidy(to_unicode(name))
            result.notes.append(f"{table.name}:{line}: converted from Zawgyi to Unicode: {name}")
        code = country_code(country) if country else None
        if country and not code:
            guess = suggestion(country)
            result.notes.append(f"{table.name}:{line}: unknown country {country!r} kept as typed" + (f" (did you mean {guess}?)" if guess else ""))
        result.entries.append(Entry(line, name, country, code))
    return result


def _name(table: Table, index: int) -> str:
    """Return the signatory's name in a row: the organisation, else the name, else first and last name."""
    for field_name in ("organisation", "name"):
        value = table.cell(index, field_name)
        if value.strip():
            return value
    return f"{table.cell(index, 'first_name')} {table.cell(index, 'last_name')}"


def as_markdown(name: str) -> str:
    """Return a name as inline Markdown that prints it as typed (`@`, `*`, `_`, brackets escaped)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", name)


def from_markdown(text: str) -> str:
    """Return the name a Markdown text of `as_markdown` prints."""
    return re.sub(r"\\([\\`*_\[\]<>@^~$])", r"\1", text)
