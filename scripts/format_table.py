"""Rewrite the field table of docs/FORMAT.md from mmnpress/schema.py.

Run from the repository: ``python scripts/format_table.py``. tests/test_schema.py
fails while the table in FORMAT.md differs from what this writes.
"""

from __future__ import annotations

from pathlib import Path

from mmnpress.schema import markdown_table

FORMAT = Path(__file__).resolve().parent.parent / "docs" / "FORMAT.md"
START, END = "<!-- fields: start -->\n", "<!-- fields: end -->"


def main() -> None:
    """Replace the text between the markers with the generated table."""
    text = FORMAT.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    FORMAT.write_text(head + START + markdown_table() + END + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
