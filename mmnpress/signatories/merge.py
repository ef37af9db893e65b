"""Add the new signatories of a form's export to a statement, keeping every hand edit, comment and key order.

Signatories already listed (under any spelling `duplicates` recognises)
are left alone; rows repeating an earlier row are reported with the row
kept; rows identical but for case and spaces are merged silently. The file
is edited as `review apply` edits it: only the added lines are new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, display_path
from .cleaning import Cleaned, Entry, as_markdown, clean
from .duplicates import exact_key, find, named
from .listed import Listed, listed, statement_root
from .reading import read_table


@dataclass
class Outcome:
    """What an import found and did."""

    statement: Path
    export: str  # the export's name in messages
    cleaned: Cleaned
    added: list[Entry] = field(default_factory=list)
    present: list[tuple[Entry, Listed]] = field(default_factory=list)
    repeats: list[tuple[Entry, Entry]] = field(default_factory=list)  # (the repeat, the entry kept)
    merged: int = 0  # identical rows merged silently
    encoding: str = ""
    written: bool = False


def import_signatories(export: Path, statement: Path, mapping: tuple[str, ...] = (), write: bool = True) -> Outcome:
    """Read `export` and add its new signatories to `statement` (unless `write` is false); return what was found."""
    from ..files import write_atomically

    table = read_table(export, mapping)
    cleaned = clean(table)
    if cleaned.problems:
        raise InputError(cleaned.problems)
    root = statement_root(statement)
    known = listed(root)
    outcome = Outcome(statement, table.name, cleaned, encoding=table.encoding)
    entries = _without_identical(cleaned.entries, outcome)
    repeats, present = find([named(e.name, e.code) for e in entries], [named(k.name, k.code) for k in known])
    outcome.repeats = [(entries[m.index], entries[m.kept]) for m in repeats]
    outcome.present = [(entries[m.index], known[m.kept]) for m in present]
    matched = {m.index for m in repeats} | {m.index for m in present}
    outcome.added = [e for i, e in enumerate(entries) if i not in matched]
    if write and outcome.added:
        write_atomically(statement, _edited(statement, outcome.added).encode("utf-8"))
        outcome.written = True
    return outcome


def _without_identical(entries: list[Entry], outcome: Outcome) -> list[Entry]:
    """Return the entries with the ones identical to an earlier one (but for case and spaces) left out, counted."""
    seen, kept = set(), []
    for entry in entries:
        key = (exact_key(entry.name), entry.code or exact_key(entry.country))
        if key in seen:
            outcome.merged += 1
            continue
        seen.add(key)
        kept.append(entry)
    return kept


def _edited(statement: Path, added: list[Entry]) -> str:
    """Return the statement's text with `added` at the end of its signatories, checked to load and validate."""
    from .. import schema
    from ..pipeline.model import validate
    from ..pipeline.source import load, pending
    from ..review.yamledit import Append, edited_text

    keys = schema.TOP_KEYS
    after = keys[keys.index("signatories") + 1:]
    items = [_record(entry) for entry in added]
    _, text = edited_text(statement, [], appends=[Append("signatories", items, after)])
    with pending({statement.resolve(): text.encode("utf-8")}):
        validate(load(statement))
    return text


def _record(entry: Entry) -> dict:
    """Return the YAML mapping of a new signatory: the name as Markdown, the country as its ISO code (as typed when unknown)."""
    record = {"name": _string(as_markdown(entry.name))}
    country = entry.code or entry.country
    if country:
        record["country"] = _string(country)
    return record


def _string(value: str):
    """Return `value` quoted when YAML would read it as something else than this text (NO, 1990, true)."""
    import yaml
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    try:
        plain = yaml.safe_load(f"k: {value}")["k"] == value
    except yaml.YAMLError:
        plain = False
    return value if plain else DoubleQuotedScalarString(value)


def report(outcome: Outcome, dry_run: bool) -> str:
    """Return the import's report: every duplicate with the row kept, what was left out, then the counts."""
    cleaned, lines = outcome.cleaned, []
    name = display_path(outcome.statement)
    if outcome.encoding:
        lines.append(f"read as {outcome.encoding} (not UTF-8): check the names below")
    lines += cleaned.notes
    for entry, kept in outcome.repeats:
        lines.append(f"{outcome.export}:{entry.line}: duplicate {entry.name!r} of line {kept.line} {kept.name!r}: kept line {kept.line}")
    for entry, there in outcome.present:
        if exact_key(entry.name) != exact_key(there.name):
            lines.append(f"{outcome.export}:{entry.line}: {entry.name!r} is already listed as {there.name!r} ({name}:{there.line})")
    if cleaned.without_consent:
        lines.append(f"left out {len(cleaned.without_consent)} without consent: lines {_lines(cleaned.without_consent)}")
    if cleaned.without_name:
        lines.append(f"left out {len(cleaned.without_name)} without a name: lines {_lines(cleaned.without_name)}")
    counts = f"added {len(outcome.added)}, already present {len(outcome.present)}, duplicates {len(outcome.repeats) + outcome.merged}"
    lines.append(f"{name}: {counts}" + (" (dry run: nothing written)" if dry_run else ""))
    return "\n".join(lines) + "\n"


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:20])
    return shown + (f" and {len(numbers) - 20} more" if len(numbers) > 20 else "")
