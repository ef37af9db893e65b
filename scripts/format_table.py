"""Rewrite the generated tables of docs/FORMAT.md: statement fields (mmnpress/schema.py),
build options (mmnpress/options.py) and profile keys (mmnpress/profile/).

Run from the repository: ``python scripts/format_table.py``. tests/test_schema.py,
tests/test_options.py and tests/test_profile_schema.py fail while a table in
FORMAT.md differs from what this writes.
"""

from __future__ import annotations

from pathlib import Path

from mmnpress import options, schema
from mmnpress.profile import export

FORMAT = Path(__file__).resolve().parent.parent / "docs" / "FORMAT.md"
TABLES = {"fields": schema.markdown_table, "options": options.markdown_table, "profile": export.markdown_table}  # marker name: what writes the table


def main() -> None:
    """Replace the text between each pair of markers with its generated table."""
    text = FORMAT.read_text(encoding="utf-8")
    for name, table in TABLES.items():
        text = replaced(text, name, table())
    FORMAT.write_text(text, encoding="utf-8")


def replaced(text: str, name: str, table: str) -> str:
    """Return `text` with `table` between the markers `<!-- NAME: start -->` and `<!-- NAME: end -->`."""
    start, end = f"<!-- {name}: start -->\n", f"<!-- {name}: end -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return head + start + table + end + tail


if __name__ == "__main__":
    main()
