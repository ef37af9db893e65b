"""The value types of profile keys, in the manner of mkdocs' ``config_options``.

Each key of the profile is one `Option` object: its value type, its default
and a one-line description. An option checks the located node of its value
(`validate`), reporting every problem at the node's FILE:LINE:COLUMN, and
describes itself as JSON Schema (`json_schema`) and in a word for the table
of docs/FORMAT.md (`type_name`). `Section` holds further options (a mapping
such as ``colours:``), so sections nest as deep as a profile needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..addresses import line_problem, sender_address
from ..errors import Collector, display_path
from ..files import inside, resolved
from ..pipeline.model import is_language, unknown_key
from ..pipeline.source import Node
from ..schema import LANG_TAG

SCALAR = {"type": ["string", "number", "boolean"]}  # YAML may read 2017 or yes as a number or a boolean
STRING = {"type": "string"}
DEFAULT_KEY = "default"  # in a per-language mapping: the value for every language not listed


@dataclass
class Check:
    """Where a profile is checked: its folder, and the problems found so far."""

    folder: Path
    problems: Collector = field(default_factory=Collector)
    word_problems: Collector = field(default_factory=Collector)  # what stops only Word files (a letterhead not found)

    def error(self, node: Node, message: str) -> None:
        """Record a problem at `node`."""
        self.problems.add(display_path(node.file), node.line, node.column, message)


class Option:
    """One key of the profile: a value type, a default and a description."""

    type_name = "text"

    def __init__(self, doc: str, default: Any = None) -> None:
        self.doc = doc
        self.default = default

    def validate(self, node: Node | None, key: str, check: Check) -> Any:
        """Return the value of `node` (the default when it is missing or null), recording what is wrong with it."""
        if node is None or node.is_null():
            return self.default
        return self.run(node, key, check)

    def run(self, node: Node, key: str, check: Check) -> Any:
        """Return the value of a given `node`."""
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        """Return the JSON Schema of the value, with its description and default."""
        described = {"description": self.doc, **({"default": self.default} if isinstance(self.default, str) else {})}
        return {**described, **self.value_schema()}

    def value_schema(self) -> dict[str, Any]:
        """Return the JSON Schema of the value alone."""
        return dict(SCALAR)

    def options(self) -> dict[str, Option]:
        """Return the options nested in this one, by key (none but in a section)."""
        return {}


class Text(Option):
    """A single value, printed as typed; `one_line` ones (names reach mail headers and window titles) hold no line break."""

    def __init__(self, doc: str, default: Any = None, one_line: bool = False) -> None:
        super().__init__(doc, default)
        self.one_line = one_line

    def run(self, node: Node, key: str, check: Check) -> Any:
        value = self.scalar(node, key, check)
        if value and self.one_line and (problem := line_problem(value)):
            check.error(node, f"'{key}' {problem}")
            return self.default
        return self.default if value is None else value

    def scalar(self, node: Node, key: str, check: Check) -> str | None:
        """Return the text of a single value; None, with a problem recorded, for a list or a mapping."""
        if node.kind != "scalar":
            check.error(node, f"'{key}' must be a single value")
            return None
        return node.value


class Choice(Text):
    """One of a few words."""

    type_name = "choice"

    def __init__(self, doc: str, choices: tuple[str, ...]) -> None:
        super().__init__(doc, choices[0])
        self.choices = choices

    def run(self, node: Node, key: str, check: Check) -> Any:
        value = self.scalar(node, key, check)
        if value is None:
            return self.default
        if value not in self.choices:
            check.error(node, f"'{key}' must be one of {', '.join(self.choices)}, not {value!r}")
            return self.default
        return value

    def value_schema(self) -> dict[str, Any]:
        return {"enum": list(self.choices)}


class Pattern(Text):
    """A single value of a given form: a colour, an email address."""

    def __init__(self, doc: str, pattern: re.Pattern, what: str, default: str | None = None, type_name: str = "text") -> None:
        super().__init__(doc, default)
        self.pattern, self.what, self.type_name = pattern, what, type_name

    def run(self, node: Node, key: str, check: Check) -> Any:
        value = self.scalar(node, key, check)
        if not value:
            return self.default
        if not self.pattern.match(value):
            check.error(node, f"'{key}' must be {self.what}, not {value!r}")
            return self.default
        return value

    def value_schema(self) -> dict[str, Any]:
        return {**STRING, "pattern": self.pattern.pattern}


class WebAddress(Text):
    """An http(s) address pattern: it must hold the placeholder `required` and may hold only those in `allowed`."""

    type_name = "address pattern"

    def __init__(self, doc: str, required: str, allowed: tuple[str, ...], example: str) -> None:
        super().__init__(doc, "")
        self.required, self.allowed, self.example = required, allowed, example

    def run(self, node: Node, key: str, check: Check) -> Any:
        value = self.scalar(node, key, check)
        if not value:
            return self.default
        holds = "{" + self.required + "}"
        if not value.startswith(("https://", "http://")) or holds not in value:
            check.error(node, f"'{key}' must be an http(s) address holding {holds}, e.g. {self.example}")
            return self.default
        placeholders = "|".join(re.escape("{" + name + "}") for name in self.allowed)
        if set("{}") & set(re.sub(placeholders, "", value)):
            check.error(node, f"'{key}' may hold only {' and '.join('{' + name + '}' for name in self.allowed)}")
            return self.default
        return value

    def value_schema(self) -> dict[str, Any]:
        return {**STRING, "pattern": "^https?://.*\\{" + self.required + "\\}"}


class File(Text):
    """A file in the organisation's folder, named relative to it; its value is the resolved path."""

    type_name = "file"

    def __init__(self, doc: str, suffixes: tuple[str, ...] = (), what: str = "", inspect=None, missing_stops_word_only: bool = False) -> None:
        super().__init__(doc)
        self.suffixes, self.what = suffixes, what
        self.inspect = inspect  # (path) -> problems of its content, found before any engine reads it (an image too large)
        self.missing_stops_word_only = missing_stops_word_only  # a file only Word files use: missing, it stops only them

    def run(self, node: Node, key: str, check: Check) -> Any:
        name = self.scalar(node, key, check)
        if not name:
            return None
        path = check.folder / name
        if self.suffixes and path.suffix.lower() not in self.suffixes:
            check.error(node, f"{key} must be {self.what} ({', '.join(self.suffixes)}): {name}")
        elif not inside(path, check.folder):
            check.error(node, f"{key} must lie in {display_path(check.folder)}: {name}")
        elif not path.is_file():
            (check.word_problems if self.missing_stops_word_only else check.problems).add(
                display_path(node.file), node.line, node.column, f"{key} not found: {display_path(path)}")
        else:
            for problem in self.inspect(path) if self.inspect else ():
                check.error(node, f"'{key}': {problem}")
            return resolved(path)
        return None

    def value_schema(self) -> dict[str, Any]:
        return dict(STRING)


class MailAddress(Text):
    """An email address; its value is ASCII (an internationalised domain in its IDNA form), fit for a mail header."""

    type_name = "email"

    def run(self, node: Node, key: str, check: Check) -> Any:
        value = self.scalar(node, key, check)
        if not value:
            return self.default
        try:
            return sender_address(value)
        except ValueError as error:
            check.error(node, f"'{key}': {error}")
            return self.default


class Paragraph(Text):
    """A paragraph of inline Markdown; its value is the node, so later messages can point into it."""

    type_name = "Markdown"

    def run(self, node: Node, key: str, check: Check) -> Any:
        return node if self.scalar(node, key, check) is not None else None


class Section(Option):
    """A mapping of further keys, each an option; its value is a dict of their values."""

    type_name = "mapping"

    def __init__(self, doc: str, options: dict[str, Option], noun: str = "", required: tuple[str, ...] = (),
                 refused: dict[str, str] | None = None) -> None:
        super().__init__(doc)
        self._options, self.noun = options, noun
        self.required = required  # keys that must be given when the section is
        self.refused = refused or {}  # keys that must never be given, with why (a password)

    def options(self) -> dict[str, Option]:
        return self._options

    def validate(self, node: Node | None, key: str, check: Check) -> Any:
        if node is None or node.is_null():
            return {name: option.validate(None, _joined(key, name), check) for name, option in self._options.items()}
        return self.run(node, key, check)

    def run(self, node: Node, key: str, check: Check) -> Any:
        if node.kind != "map":
            check.error(node, f"'{key}' must be a mapping of keys ({', '.join(self._options)})")
            return self.validate(None, key, check)
        for name, (key_node, _) in node.entries.items():
            if name in self.refused:
                check.error(key_node, self.refused[name])
            elif name not in self._options:
                check.error(key_node, unknown_key(name, tuple(self._options), self.noun or f"'{key}'"))
        for name in self.required:
            if node.get(name) is None or node.get(name).is_null():
                check.error(node, f"'{key}' needs '{name}:' ({self._options[name].doc[0].lower()}{self._options[name].doc[1:]})")
        return {name: option.validate(node.get(name), _joined(key, name), check) for name, option in self._options.items()}

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.doc, **self.value_schema()}

    def value_schema(self) -> dict[str, Any]:
        properties = {name: option.json_schema() for name, option in self._options.items()}
        schema = {"type": "object", "properties": properties, "additionalProperties": False}
        return {**schema, "required": list(self.required)} if self.required else schema


class OneOrNamed(Option):
    """A `Section` given once, or several of them by name (`wordpress: {url: ...}` or `wordpress: {main: {url: ...}, ...}`).

    One is told from several by its first required key; its value is a dict by name, `single` naming the one.
    """

    def __init__(self, doc: str, item: Section, single: str) -> None:
        super().__init__(doc, {})
        self.item, self.single = item, single
        self.type_name = "mapping, or mappings by name"

    def options(self) -> dict[str, Option]:
        return self.item.options()

    def run(self, node: Node, key: str, check: Check) -> Any:
        if node.kind != "map":
            check.error(node, f"'{key}' must be a mapping of keys ({', '.join(self.item.options())}), or such mappings by name")
            return {}
        if not node.entries or any(name in self.item.options() or name in self.item.refused for name in node.entries):
            return {self.single: self.item.run(node, key, check)}
        return {name: self.item.validate(value, _joined(key, name), check) for name, (_, value) in node.entries.items()}

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.doc, **self.value_schema()}

    def value_schema(self) -> dict[str, Any]:
        one = self.item.value_schema()
        return {"anyOf": [one, {"type": "object", "additionalProperties": one}]}


class Names(Option):
    """One name or a list of them (tags), each one of `choices` when given; its value is a tuple."""

    def __init__(self, doc: str, default: tuple[str, ...] = (), choices: tuple[str, ...] = ()) -> None:
        super().__init__(doc, default)
        self.choices = choices
        self.type_name = f"list of: {', '.join(choices)}" if choices else "list of names"

    def run(self, node: Node, key: str, check: Check) -> Any:
        items = [node] if node.kind == "scalar" else node.items if node.kind == "seq" else None
        if items is None or any(item.kind != "scalar" for item in items):
            check.error(node, f"'{key}' must be a list of names")
            return self.default
        names = []
        for item in items:
            name = str(item.value).strip()
            if self.choices and name not in self.choices:
                check.error(item, f"'{key}': '{name}' is not one of {', '.join(self.choices)}")
            elif name:
                names.append(name)
        return tuple(dict.fromkeys(names))

    def value_schema(self) -> dict[str, Any]:
        name = {**STRING, "enum": list(self.choices)} if self.choices else dict(STRING)
        return {"anyOf": [name, {"type": "array", "items": name}]}


class ServerAddress(Text):
    """A server's address: https, or http on this machine only (a password sent over plain http crosses the network readable)."""

    type_name = "address"

    def run(self, node: Node, key: str, check: Check) -> Any:
        from urllib.parse import urlsplit

        value = (self.scalar(node, key, check) or "").rstrip("/")
        parts = urlsplit(value)
        if not value or parts.scheme not in ("http", "https") or not parts.hostname:
            check.error(node, f"'{key}' must be the site's address, e.g. https://example.org")
        elif parts.scheme == "http" and not is_loopback(parts.hostname):
            check.error(node, f"'{key}' must use https (the password would cross the network readable): {value}")
        else:
            return value
        return self.default

    def value_schema(self) -> dict[str, Any]:
        return {**STRING, "pattern": "^https?://"}


def is_loopback(host: str) -> bool:
    """Tell whether `host` is this machine (localhost, 127.0.0.0/8, ::1)."""
    import ipaddress

    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Shorthand(Section):
    """A section that may be given as one value instead: the value of its first key (``letterhead: x.docx``)."""

    def __init__(self, doc: str, options: dict[str, Option], noun: str = "") -> None:
        super().__init__(doc, options, noun)
        self.type_name = f"{next(iter(options.values())).type_name}, or mapping"

    def run(self, node: Node, key: str, check: Check) -> Any:
        first, *rest = self._options.items()
        if node.kind == "map" and node.get(first[0]) is None:
            check.error(node, f"'{key}' needs '{first[0]}:' ({first[1].doc[0].lower()}{first[1].doc[1:]})")
        if node.kind != "scalar":
            return super().run(node, key, check)
        values = {first[0]: first[1].validate(node, key, check)}
        return {**values, **{name: option.validate(None, _joined(key, name), check) for name, option in rest}}

    def value_schema(self) -> dict[str, Any]:
        name, first = next(iter(self._options.items()))
        return {"anyOf": [first.value_schema(), {**super().value_schema(), "required": [name]}]}


class Language(Text):
    """A BCP 47 language tag the toolkit knows (en, th, my, km, lo, vi ...)."""

    type_name = "language"

    def run(self, node: Node, key: str, check: Check) -> Any:
        value = self.scalar(node, key, check)
        if value and not is_language(value):
            check.error(node, f"'{key}' must be a language tag such as en, th, my, km, lo, vi, not {value!r}")
            return self.default
        return self.default if value is None else value

    def value_schema(self) -> dict[str, Any]:
        return {**STRING, "pattern": LANG_TAG.pattern}


class Records(Option):
    """A list of mappings, each of the keys of `item` (a `Section`), all of them required; its value is a list of dicts."""

    def __init__(self, doc: str, item: Section, noun: str) -> None:
        super().__init__(doc, [])
        self.item, self.noun = item, noun
        self.type_name = f"list of {{{', '.join(item.options())}}}"

    def options(self) -> dict[str, Option]:
        return self.item.options()

    def run(self, node: Node, key: str, check: Check) -> Any:
        if node.kind != "seq":
            check.error(node, f"'{key}' must be a list of {{{': ..., '.join(self.item.options())}: ...}}")
            return []
        found = []
        for entry in node.items:
            if entry.kind != "map" or any(entry.get(name) is None for name in self.item.options()):
                check.error(entry, f"each '{key}' {self.noun} needs {' and '.join(self.item.options())}")
                continue
            problems = len(check.problems.problems)
            value = self.item.run(entry, key, check)
            if len(check.problems.problems) == problems:
                found.append(value)
        return found

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.doc, **self.value_schema()}

    def value_schema(self) -> dict[str, Any]:
        return {"type": "array", "items": {**self.item.value_schema(), "required": list(self.item.options())}}


class PerLanguage(Option):
    """A value per language: a mapping of BCP 47 tags (en, th, my ...) to values of `item`.

    With `shorthand`, a single value stands for every language, and a
    mapping must give the ``default:`` that languages it does not list use.
    Its value is a dict by language tag (``default`` included).
    """

    def __init__(self, doc: str, item: Option, shorthand: bool = False) -> None:
        super().__init__(doc, {})
        self.item, self.shorthand = item, shorthand
        self.type_name = f"{item.type_name}, or one per language" if shorthand else f"{item.type_name} per language"

    def run(self, node: Node, key: str, check: Check) -> Any:
        if self.shorthand and node.kind == "scalar":
            value = self.item.validate(node, key, check)
            return {DEFAULT_KEY: value} if value is not None else {}
        if node.kind != "map" and self.shorthand:
            check.error(node, f"'{key}' must be a single value, or one per language with {DEFAULT_KEY}: ({DEFAULT_KEY}: ..., km: ...)")
            return {}
        if node.kind != "map":
            check.error(node, f"'{key}' must be a mapping of language codes to values, like en: ... th: ...")
            return {}
        if self.shorthand and node.get(DEFAULT_KEY) is None:
            check.error(node, f"'{key}' given per language needs '{DEFAULT_KEY}:', the value for the languages it does not list")
        found = {}
        for lang, (key_node, value) in node.entries.items():
            if self._language(lang, key_node, key, check):
                found[lang] = self.item.validate(value, f"{key}.{lang}", check)
        return {lang: value for lang, value in found.items() if value is not None}

    def _language(self, lang: str, node: Node, key: str, check: Check) -> bool:
        if (self.shorthand and lang == DEFAULT_KEY) or is_language(lang):
            return True
        check.error(node, f"'{key}' takes language codes such as en, th, my, km, lo, vi{' and default' if self.shorthand else ''}, not {lang!r}")
        return False

    def json_schema(self) -> dict[str, Any]:
        return {"description": self.doc, **self.value_schema()}

    def value_schema(self) -> dict[str, Any]:
        tags = LANG_TAG.pattern if not self.shorthand else f"^{DEFAULT_KEY}$|{LANG_TAG.pattern}"
        mapping = {"type": "object", "propertyNames": {"pattern": tags}, "additionalProperties": self.item.value_schema()}
        if self.shorthand:
            return {"anyOf": [self.item.value_schema(), {**mapping, "required": [DEFAULT_KEY]}]}
        return mapping


def _joined(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name
