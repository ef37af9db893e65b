"""The statement format as a JSON Schema (draft 2020-12), made from `schema`.

Editors that use the YAML language server (VS Code, Neovim, ...) read it to
complete keys and flag mistakes while typing; `mmnpress schema` prints it and
`mmnpress new` keeps a copy in the project for the skeleton's first line.

It says what `check` says about the shape of one file: keys, types, choices,
patterns, empty values. What needs more than the file (a language the
toolkit has no data for, citation keys, bibliography files, a date such as
2021-02-30) is left to `check`. A translation (a file with `extends`) gives
only some keys, so the required keys and the embargo rule apply only to
files without `extends`. Only keywords that draft-07 has too are used, with
the same meaning there, since the YAML language server validates with draft-07.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import schema
from .schema import Field

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = Path(".mmnpress") / "statement.schema.json"
# A scalar the loader reads as typed: YAML may resolve 2017 or yes to a number or a boolean.
SCALAR = {"type": ["string", "number", "boolean"]}
STRING = {"type": "string"}
NOT_BLANK = r"\S"
MOMENT = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$"
DAY = r"^\d{4}-\d{2}-\d{2}$"


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema of a statement file."""
    root = _mapping(schema.STATEMENT)
    del root["required"]  # a translation inherits them
    return {
        "$schema": DIALECT,
        "title": "mmnpress statement",
        **root,
        "if": {"required": ["extends"]},
        "else": {"required": list(schema.REQUIRED_KEYS), "allOf": _conditions(schema.STATEMENT)},
    }


def json_text() -> str:
    """Return the JSON Schema as the text `mmnpress schema` prints."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def write_for_project(root: Path) -> Path:
    """Write (or refresh) the project's copy of the JSON Schema; return its path."""
    return refresh(root / SCHEMA_FILE, json_text())


def refresh(path: Path, text: str) -> Path:
    """Write `text` to `path` unless it holds that already (a schema file an editor reads); return the path."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def _value(item: Field) -> dict[str, Any]:
    """Return the JSON Schema of one field's value, with its description."""
    described = {"description": _description(item)}
    return {**described, **_TYPES[item.type](item)}


def _description(item: Field) -> str:
    notes = [", ".join(item.kinds) + " only"] if item.kinds != schema.KINDS else []
    notes += ["inline Markdown"] if item.markdown else []
    return f"{item.doc} ({'; '.join(notes)})" if notes else item.doc


def _text(item: Field) -> dict[str, Any]:
    return {**SCALAR, "pattern": NOT_BLANK} if item.empty == schema.EMPTY_ERROR else dict(SCALAR)


def _list(items: dict[str, Any], item: Field) -> dict[str, Any]:
    found = {"type": "array", "items": items}
    return {**found, "minItems": 1} if item.empty == schema.EMPTY_ERROR else found


def _one_or_list(one: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [one, {"type": "array", "items": one}]}


def _mapping(item: Field) -> dict[str, Any]:
    found = {
        "type": "object",
        "properties": {f.key: _value(f) for f in item.fields},
        "additionalProperties": False,
        "required": [f.key for f in item.fields if f.required],
    }
    return found if found["required"] else {k: v for k, v in found.items() if k != "required"}


def _blocks(item: Field) -> dict[str, Any]:
    styles = [{**_mapping(Field(f.key, schema.MAPPING, f.doc, fields=(f,))), "required": [f.key]} for f in item.fields]
    paragraph = {"description": _description(Field("", schema.TEXT, "A paragraph.")), **_text(Field("", schema.TEXT, "", empty=schema.EMPTY_ERROR))}
    return _list({"anyOf": [paragraph, *styles]}, item)


def _notes(item: Field) -> dict[str, Any]:
    return {
        "type": "object",
        "propertyNames": {"pattern": schema.NOTE_LABEL.pattern},
        "additionalProperties": _text(Field("", schema.TEXT, "", empty=schema.EMPTY_ERROR)),
    }


def _conditions(item: Field) -> list[dict[str, Any]]:
    """Return the if/then rules of fields given exactly when another key has a value."""
    rules = []
    for f in item.fields:
        if f.only_when:
            key, wanted = f.only_when
            rules.append({
                "if": {"required": [key], "properties": {key: {"const": wanted}}},
                "then": {"required": [f.key]},
                "else": {"not": {"required": [f.key]}},
            })
    return rules


_TYPES = {
    schema.TEXT: _text,
    schema.PLAIN: lambda item: dict(SCALAR),
    schema.CHOICE: lambda item: {"enum": list(item.choices), **({"default": item.default} if item.default else {})},
    schema.LANGUAGE: lambda item: {**STRING, "pattern": schema.LANG_TAG.pattern},
    schema.DATE: lambda item: {**STRING, "pattern": DAY, "format": "date"},
    schema.MOMENT: lambda item: {**STRING, "pattern": MOMENT, "format": "date-time"},
    schema.FOLDER_NAME: lambda item: {**STRING, "pattern": schema.FOLDER.pattern},
    schema.PATH: lambda item: dict(STRING),
    schema.EMAIL_ADDRESS: lambda item: {**STRING, "pattern": schema.EMAIL.pattern},
    schema.PATHS: lambda item: _one_or_list(dict(STRING)),
    schema.PHONES: lambda item: _one_or_list({**STRING, "pattern": schema.PHONE.pattern}),
    schema.LANGUAGES: lambda item: _list({**STRING, "pattern": schema.LANG_TAG.pattern}, item),
    schema.TEXTS: lambda item: _list(_text(Field("", schema.TEXT, "", empty=schema.EMPTY_ERROR)), item),
    schema.BLOCKS: _blocks,
    schema.MAPPING: _mapping,
    schema.RECORDS: lambda item: _list(_mapping(item), item),
    schema.NOTES: _notes,
    schema.DIGESTS: lambda item: {"type": "object", "additionalProperties": {**STRING, "pattern": schema.DIGEST.pattern}},
}
