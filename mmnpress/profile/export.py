"""The organisation profile as a JSON Schema (draft 2020-12) and as the key table of docs/FORMAT.md.

Both are made from `PROFILE`. Editors that use the YAML language server
read the schema to complete keys and flag mistakes while typing: `mmnpress
schema --profile` prints it, and `init` keeps a copy in the project's
.mmnpress/ folder, named on the profile's first line (`SCHEMA_LINE`). As for
statements, only keywords that draft-07 has too are used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..schema_json import DIALECT, refresh
from . import PROFILE, walk

SCHEMA_FILE = Path(".mmnpress") / "profile.schema.json"
# The first line of templates/<name>/profile.yaml: the schema, two folders up.
SCHEMA_LINE = f"# yaml-language-server: $schema=../../{SCHEMA_FILE.as_posix()}\n"


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of a profile file."""
    return {"$schema": DIALECT, "title": "mmnpress organisation profile", **PROFILE.json_schema()}


def json_text() -> str:
    """Return the JSON Schema as the text `mmnpress schema --profile` prints."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def write_for_project(root: Path) -> Path:
    """Write (or refresh) the project's copy of the profile's JSON Schema; return its path."""
    return refresh(root / SCHEMA_FILE, json_text())


def markdown_table() -> str:
    """Return the profile key table of docs/FORMAT.md."""
    lines = ["| Key | Type | Default | Description |", "|---|---|---|---|"]
    for path, option in walk():
        default = f"`{option.default}`" if isinstance(option.default, str) and option.default else ""
        lines.append(f"| `{path}` | {option.type_name} | {default} | {option.doc} |")
    return "\n".join(lines) + "\n"
