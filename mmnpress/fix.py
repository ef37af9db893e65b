"""Convert the Zawgyi runs of statement files to Unicode: `mmnpress fix --zawgyi`.

Each file is read through the statement loader, with its guards, and written
back through the same round trip as `review apply`: comments, key order and
the folding of long values are kept and only the Zawgyi runs are replaced
(`unicode.zawgyi` finds and converts them).
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .pipeline.source import load
from .review.yamledit import FieldEdit, edited_text
from .unicode.zawgyi import zawgyi_runs


def fix_files(paths: list[Path]) -> dict[Path, tuple[str, str, list[str]]]:
    """Return `fix_file` of each path; raise `InputError` with the problems of every file that cannot be read."""
    results, problems = {}, []
    for path in paths:
        try:
            results[path] = fix_file(path)
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    return results


def fix_file(path: Path) -> tuple[str, str, list[str]]:
    """Return the file's text before and after converting its Zawgyi runs, and the YAML paths of the values changed.

    The file is read through the statement loader, with its guards.
    Comments, key order and the folding of long values are kept (the same
    round trip as `review apply`); only the Zawgyi runs are replaced.
    """
    edits = [FieldEdit(where, value, runs) for where, value in _strings(load(path), "") if (runs := zawgyi_runs(value))]
    if not edits:
        text = path.read_text(encoding="utf-8")
        return text, text, []
    before, after = edited_text(path, edits)
    return before, after, [edit.path for edit in edits]


def _strings(node, path: str):
    """Yield (YAML path, text) for every string value at or below `node` (a `source.Node`)."""
    if node.kind == "scalar" and node.tag.endswith(":str"):
        yield path, node.value
    for key, (_, value) in node.entries.items():
        yield from _strings(value, f"{path}.{key}" if path else key)
    for index, item in enumerate(node.items):
        yield from _strings(item, f"{path}[{index}]")
