"""The statement model, checked against the format that `schema` declares.

`validate` turns the located node tree of `source.load` into a `Statement`,
collecting every problem with the position of the offending key or value.
It walks the schema: unknown keys, required keys, value types and empty
values all come from there; the checks for each value type live here.
Text fields stay as typed (inline Markdown) in `Text` objects that remember
their YAML path and node; the text stage parses them later, all at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import Collector, display_path
from ..schema import EMAIL, LANG_TAG, NOTE_LABEL, PHONE, Field
from ..unicode.chars import odd_characters
from .source import Node


@dataclass
class Text:
    """A text field as typed, with its YAML path and node for positions."""

    source: str
    path: str
    node: Node
    style: str = "paragraph"


# The records of the schema's lists as typed: the YAML path, then each field (a text as `Text`, kept for the text stage).
_RECORD_TYPES = {schema.TEXT: (Text | None, None), schema.PLAIN: (str, ""), schema.EMAIL_ADDRESS: (str, ""),
                 schema.PHONES: (tuple[str, ...], ()), schema.LANGUAGES: (tuple[str, ...], ())}
RecommendationIn = schema.record_type("RecommendationIn", schema.RECOMMENDATION, _RECORD_TYPES, __name__, "A recommendation as typed.")
SignatoryIn = schema.record_type("SignatoryIn", schema.SIGNATORY, _RECORD_TYPES, __name__, "A signatory as typed.")
ContactIn = schema.record_type("ContactIn", schema.CONTACT, _RECORD_TYPES, __name__, "A contact as typed.")


@dataclass
class Located:
    """A plain value (a path, a style name) with the node it came from."""

    value: str
    node: Node


@dataclass
@schema.text_fields({schema.TEXT: (Text | None, None), schema.TEXTS: (list[Text], []), schema.BLOCKS: (list[Text], [])},
                    required={schema.TEXT: Text, schema.BLOCKS: list[Text]})
class Statement:
    """A validated statement, ready for the text stage; its text fields (a `Text`, or a list of them) come from the schema."""

    file: Path
    kind: str
    lang: str
    date: dt.date
    place: str = ""
    status: str = "draft"
    quotes: str = "typographic"
    organisation: Located | None = None
    release: str = "immediate"
    embargo: dt.datetime | None = None
    recommendations_intro: Text | None = None
    recommendations: list[RecommendationIn] = field(default_factory=list)
    signatories: list[SignatoryIn] = field(default_factory=list)
    signatories_by: str = "country"
    contacts: list[ContactIn] = field(default_factory=list)
    notes: dict[str, Text] = field(default_factory=dict)
    references: list[Located] = field(default_factory=list)
    csl: Located | None = None
    extends: Located | None = None
    translated_from: dict[str, str] = field(default_factory=dict)  # path -> short hash of the original's text
    root: Node | None = None
    sources: list[Path] = field(default_factory=list)  # the file and every file it extends

    def texts(self) -> list[Text]:
        """Return every text field in the schema's reading order (the footnote order), named notes left out."""
        found: list[Text] = []
        for item in schema.STATEMENT.fields:
            if item.type != schema.NOTES:
                found += _texts_in(self._value(item.key), item)
        return found

    def _value(self, key: str) -> Any:
        """Return the value of a top-level key; recommendations are kept as their intro and items."""
        if key == "recommendations":
            return {"intro": self.recommendations_intro, "items": self.recommendations}
        return getattr(self, key)


# The classes that hold one mapping of a list, by the schema path of the list.
RECORDS = {"recommendations.items": RecommendationIn, "signatories": SignatoryIn, "contacts": ContactIn}


def _texts_in(value: Any, item: Field) -> list[Text]:
    """Return the texts in `value` (of the field `item`), in the order the schema lists its keys."""
    if isinstance(value, Text):
        return [value]
    if isinstance(value, list | tuple):
        return [text for one in value for text in _texts_in(one, item)]
    if isinstance(value, dict):
        return [text for child in item.fields for text in _texts_in(value.get(child.key), child)]
    if type(value) in RECORDS.values():
        return [text for child in item.fields for text in _texts_in(getattr(value, child.key), child)]
    return []


def unknown_key(key: str, allowed: tuple[str, ...], where: str) -> str:
    """Return the message for `key`, not one of `allowed` in `where` ("a contact"): the closest allowed key, else all of them."""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; {where} takes: {', '.join(allowed)}"
    shown = key.encode("ascii", "backslashreplace").decode("ascii")
    return f"unknown key '{shown}'{odd_characters(key)}{hint}"


class _Checker:
    """Walk the node tree once, recording problems and building values."""

    def __init__(self, root: Node):
        self.root = root
        self.problems = Collector()

    def error(self, node: Node, message: str) -> None:
        self.problems.add(display_path(node.file), node.line, node.column, message)

    def unknown_keys(self, node: Node, allowed: tuple[str, ...], where: str) -> None:
        for key, (key_node, _) in node.entries.items():
            if key not in allowed:
                self.error(key_node, unknown_key(key, allowed, where))

    def require(self, node: Node, key: str) -> Node | None:
        value = node.get(key)
        if value is None:
            self.error(node, f"missing required key '{key}'")
        return value

    def scalar(self, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        if node.kind != "scalar" or node.is_null():
            self.error(node, f"{what} must be a single value")
            return None
        return node.value

    def text(self, node: Node | None, path: str, style: str = "paragraph") -> Text | None:
        value = self.scalar(node, f"'{path}' (text)")
        if value is None:
            return None
        if not value.strip():
            self.error(node, f"'{path}' is empty")
            return None
        return Text(value, path, node, style)

    def choice(self, node: Node | None, key: str, options: tuple[str, ...], default: str) -> str:
        value = self.scalar(node, f"'{key}'")
        if value is None:
            return default
        if value not in options:
            self.error(node, f"'{key}' must be one of: {', '.join(options)} (got '{value}')")
            return default
        return value

    def sequence(self, node: Node | None, what: str) -> list[Node]:
        if node is None:
            return []
        if node.kind != "seq":
            self.error(node, f"'{what}' must be a list")
            return []
        return node.items

    def mapping(self, node: Node | None, what: str) -> Node | None:
        if node is None:
            return None
        if node.kind != "map":
            self.error(node, f"'{what}' must be a mapping of keys")
            return None
        return node


def validate(root: Node) -> Statement:
    """Check the node tree against the format and return the statement.

    Raises `InputError` with every problem found.
    """
    check = _Checker(root)
    values = _fields(check, root, schema.STATEMENT, "")
    check.problems.raise_if_any()
    recommendations = values.pop("recommendations") or {"intro": None, "items": []}
    return Statement(
        file=root.file, root=root, recommendations_intro=recommendations["intro"],
        recommendations=recommendations["items"], **values,
    )


def _fields(check: _Checker, node: Node, parent: Field, path: str) -> dict[str, Any]:
    """Check the keys of the mapping `node` against `parent`'s fields; return their values."""
    check.unknown_keys(node, parent.keys(), parent.noun)
    values = {}
    for item in parent.fields:
        child = check.require(node, item.key) if item.required else node.get(item.key)
        values[item.key] = CHECKS[item.type](check, child, f"{path}.{item.key}" if path else item.key, item)
    for item in parent.fields:
        if item.only_when:
            _only_when(check, node, item, values)
    return values


def _only_when(check: _Checker, node: Node, item: Field, values: dict[str, Any]) -> None:
    """Report a field given without its condition, or its condition without it."""
    key, wanted = item.only_when
    given = node.get(item.key)
    if given is None and values[key] == wanted:
        check.error(node.key_node(key) or node, f"'{item.key}' is required when {key} is {wanted}")
    elif given is not None and values[item.key] is not None and values[key] != wanted:
        check.error(given, f"'{item.key}' is given but '{key}' is not '{wanted}'")


def _text(check: _Checker, node: Node | None, path: str, item: Field) -> Text | None:
    return check.text(node, path)


def _plain(check: _Checker, node: Node | None, path: str, item: Field) -> str:
    return check.scalar(node, f"'{path}'") or ""


def _choice(check: _Checker, node: Node | None, path: str, item: Field) -> str:
    return check.choice(node, path, item.choices, item.default or item.choices[0])


def _lang(check: _Checker, node: Node | None, path: str, item: Field) -> str:
    value = check.scalar(node, f"'{path}'")
    if value is None:
        return "en"
    if not is_language(value):
        check.error(node, f"'{path}' must be a BCP 47 language tag such as en, th, my, km, lo, vi (got '{value}')")
        return "en"
    return value


def is_language(code: str) -> bool:
    """Tell whether `code` is a BCP 47 tag of a language the toolkit knows."""
    from ..i18n import is_known_language

    return bool(LANG_TAG.match(code)) and is_known_language(code)


def _date(check: _Checker, node: Node | None, path: str, item: Field) -> dt.date:
    value = check.scalar(node, f"'{path}'")
    if value is None:
        return dt.date(1970, 1, 1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        check.error(node, f"'{path}' must be a real date written YYYY-MM-DD (got '{value}')")
        return dt.date(1970, 1, 1)


def _moment(check: _Checker, node: Node | None, path: str, item: Field) -> dt.datetime | None:
    value = check.scalar(node, f"'{path}'")
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        check.error(node, f"'{path}' must be a date and time like 2017-11-22T09:00:00+07:00 (got '{value}')")
        return None
    if moment.tzinfo is None:
        check.error(node, f"'{path}' must carry a UTC offset, e.g. 2017-11-22T09:00:00+07:00")
        return None
    return moment


def _folder(check: _Checker, node: Node | None, path: str, item: Field) -> Located | None:
    value = check.scalar(node, f"'{path}'")
    if value is None:
        return None
    if not schema.FOLDER.match(value):
        check.error(node, f"'{path}' must be a folder name under templates/ (lower-case letters, digits, - and _)")
        return None
    return Located(value, node)


def _located(check: _Checker, node: Node | None, path: str, item: Field | None = None) -> Located | None:
    value = check.scalar(node, f"'{path}'")
    return Located(value, node) if value is not None else None


def _paths(check: _Checker, node: Node | None, path: str, item: Field) -> list[Located]:
    found = (_located(check, one, path) for one in _one_or_list(node))
    return [one for one in found if one is not None]


def _one_or_list(node: Node | None) -> list[Node]:
    if node is None:
        return []
    return node.items if node.kind == "seq" else [node]


def _email(check: _Checker, node: Node | None, path: str, item: Field) -> str:
    value = check.scalar(node, f"'{path}'") or ""
    if value and not EMAIL.match(value):
        check.error(node, f"'{value}' is not an email address")
    return value


def _phones(check: _Checker, node: Node | None, path: str, item: Field) -> tuple[str, ...]:
    phones = []
    for one in _one_or_list(node):
        value = check.scalar(one, f"'{path}'")
        if value is not None and not PHONE.match(value):
            check.error(one, f"'{value}' is not a phone number; write it like +66 53 283 259")
        elif value is not None:
            phones.append(value)
    return tuple(phones)


def _languages(check: _Checker, node: Node | None, path: str, item: Field) -> tuple[str, ...]:
    codes = []
    for one in check.sequence(node, path):
        value = check.scalar(one, f"'{path}'")
        if value is not None and not is_language(value):
            check.error(one, f"'{value}' is not a language code such as th, en, my, km")
        elif value is not None:
            codes.append(value)
    return tuple(codes)


def _texts(check: _Checker, node: Node | None, path: str, item: Field) -> list[Text]:
    texts = (check.text(one, f"{path}[{i}]") for i, one in enumerate(check.sequence(node, path)))
    return [t for t in texts if t is not None]


def _blocks(check: _Checker, node: Node | None, path: str, item: Field) -> list[Text]:
    items = check.sequence(node, path)
    if node is not None and node.kind == "seq" and not items and item.empty == schema.EMPTY_ERROR:
        check.error(node, f"'{path}' needs at least one paragraph")
    blocks = (_block(check, one, f"{path}[{i}]", item) for i, one in enumerate(items))
    return [b for b in blocks if b is not None]


def _block(check: _Checker, node: Node, path: str, item: Field) -> Text | None:
    if node.kind != "map":
        return check.text(node, path)
    check.unknown_keys(node, item.keys(), item.noun)
    if len(node.entries) != 1:
        styles = " or ".join(f"{key}:" for key in item.keys())
        check.error(node, f"'{path}' must be a paragraph, or one of {styles}")
        return None
    style = next(iter(node.entries))
    return check.text(node.get(style), f"{path}.{style}", style) if style in item.keys() else None


def _mapping(check: _Checker, node: Node | None, path: str, item: Field) -> dict[str, Any] | None:
    node = check.mapping(node, path)
    return _fields(check, node, item, path) if node is not None else None


def _records(check: _Checker, node: Node | None, path: str, item: Field) -> list[Any]:
    """Check a list of mappings; return one object per complete mapping."""
    make = RECORDS[re.sub(r"\[\d+\]", "", path)]
    records = []
    for index, one in enumerate(check.sequence(node, path)):
        here = f"{path}[{index}]"
        if check.mapping(one, here) is None:
            continue
        values = _fields(check, one, item, here)
        if all(values[f.key] for f in item.fields if f.required):
            records.append(make(here, **values))
    return records


def _notes(check: _Checker, node: Node | None, path: str, item: Field) -> dict[str, Text]:
    node = check.mapping(node, path)
    if node is None:
        return {}
    notes = {}
    for label, (key_node, value) in node.entries.items():
        if not NOTE_LABEL.match(label):
            check.error(key_node, f"note label '{label}' may hold only letters, digits, '-', '_' and '.'")
            continue
        text = check.text(value, f"{path}.{label}")
        if text:
            notes[label] = text
    return notes


def _digests(check: _Checker, node: Node | None, path: str, item: Field) -> dict[str, str]:
    node = check.mapping(node, path)
    if node is None:
        return {}
    digests = {}
    for where, (_, value) in node.entries.items():
        digest = check.scalar(value, f"'{path}.{where}'")
        if digest is not None and not schema.DIGEST.match(digest):
            check.error(value, f"'{path}.{where}' must be a hash of 10 hexadecimal digits, as translate import writes it")
        elif digest is not None:
            digests[where] = digest
    return digests


# How each value type of the schema is checked: (checker, node, path, field) -> value.
CHECKS: dict[str, Callable[[_Checker, Node | None, str, Field], Any]] = {
    schema.TEXT: _text,
    schema.PLAIN: _plain,
    schema.CHOICE: _choice,
    schema.LANGUAGE: _lang,
    schema.DATE: _date,
    schema.MOMENT: _moment,
    schema.FOLDER_NAME: _folder,
    schema.PATH: _located,
    schema.EMAIL_ADDRESS: _email,
    schema.PATHS: _paths,
    schema.PHONES: _phones,
    schema.LANGUAGES: _languages,
    schema.TEXTS: _texts,
    schema.BLOCKS: _blocks,
    schema.MAPPING: _mapping,
    schema.RECORDS: _records,
    schema.NOTES: _notes,
    schema.DIGESTS: _digests,
}
