"""Write a statement's signatories to CSV or XLSX for partners and funders; check a hand-written list.

Every cell that starts with =, +, -, @, a tab or a carriage return gets a
leading apostrophe, so no spreadsheet runs it as a formula (CSV injection,
as OWASP describes it).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import InputError, MmnpressError, Problem, display_path
from .countries import country_name, suggestion
from .duplicates import find, named
from .listed import Listed, listed, statement_root

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADERS = ("Name", "Country", "Country code")


def neutralised(cell: str) -> str:
    """Return `cell` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def rows(signatories: list[Listed]) -> list[tuple[str, str, str]]:
    """Return the export's rows: name, country in English (as typed when unknown), ISO code; neutralised."""
    return [tuple(neutralised(cell) for cell in (s.name, country_name(s.code, "en") if s.code else s.country, s.code or ""))
            for s in signatories]


def export_file(statement: Path, out: Path) -> int:
    """Write the signatories of `statement` to `out` (.csv or .xlsx); return how many."""
    from ..files import write_atomically

    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise MmnpressError(f"mmnpress: -o must name a .csv or .xlsx file (got {display_path(out)})")
    found = listed(statement_root(statement))
    table = [HEADERS, *rows(found)]
    write_atomically(out, _csv(table) if suffix == ".csv" else _xlsx(table))
    return len(found)


def _csv(table: list[tuple[str, ...]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(table)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def _xlsx(table: list[tuple[str, ...]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Signatories"
    for row in table:
        sheet.append(list(row))
    for cell in (c for line in sheet.iter_rows() for c in line):
        cell.data_type = "s"  # never a formula, whatever the text
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check_list(statement: Path) -> str:
    """Return a line saying the list is clean; raise `InputError` with every duplicate and unknown country."""
    name = display_path(statement)
    found = listed(statement_root(statement))
    problems = []
    repeats, _ = find([named(s.name, s.code) for s in found])
    for match in repeats:
        here, kept = found[match.index], found[match.kept]
        problems.append(Problem(name, here.line, here.column, f"duplicate signatory {here.name!r} of line {kept.line} {kept.name!r}"))
    for signatory in found:
        if signatory.country and not signatory.code:
            guess = suggestion(signatory.country)
            problems.append(Problem(name, signatory.line, signatory.column, f"unknown country {signatory.country!r} of {signatory.name!r}"
                                    + (f" (did you mean {guess}?)" if guess else "")))
    if problems:
        raise InputError(problems)
    return f"{name}: {len(found)} signatories, no duplicates, every country known"
