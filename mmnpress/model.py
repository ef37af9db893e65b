"""The statement model, checked against FORMAT.md from a tree of nodes.

`validate` turns the located node tree of `source.load` into a `Statement`,
collecting every problem with the position of the offending key or value.
Text fields stay as typed (inline Markdown) in `Text` objects that remember
their YAML path and node; the text stage parses them later, all at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Collector, display_path
from .source import Node

KINDS = ("statement", "press-release", "position-paper")
STATUSES = ("draft", "final")
RELEASES = ("immediate", "embargoed")
TOP_KEYS = (
    "kind", "lang", "title", "subtitle", "date", "place", "status", "organisation",
    "release", "embargo", "summary", "body", "recommendations", "closing",
    "notes_to_editors", "signatories", "about", "contacts", "notes", "references",
    "csl", "extends",
)
CONTACT_KEYS = ("name", "name_local", "role", "email", "phone", "languages")
EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ().\-/]{4,24}[0-9]$")
LANG_TAG = re.compile(r"^[a-zA-Z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
NOTE_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass
class Text:
    """A text field as typed, with its YAML path and node for positions."""

    source: str
    path: str
    node: Node
    style: str = "paragraph"


@dataclass
class RecommendationIn:
    """A recommendation as typed."""

    path: str
    title: Text
    text: Text


@dataclass
class SignatoryIn:
    """A signatory as typed."""

    path: str
    name: Text
    country: str = ""


@dataclass
class ContactIn:
    """A contact as typed."""

    path: str
    name: str
    name_local: str = ""
    role: str = ""
    email: str = ""
    phones: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass
class Located:
    """A plain value (a path, a style name) with the node it came from."""

    value: str
    node: Node


@dataclass
class Statement:
    """A validated statement, ready for the text stage."""

    file: Path
    kind: str
    lang: str
    title: Text
    date: dt.date
    body: list[Text]
    subtitle: Text | None = None
    place: str = ""
    status: str = "draft"
    organisation: Located | None = None
    release: str = "immediate"
    embargo: dt.datetime | None = None
    summary: Text | None = None
    recommendations_intro: Text | None = None
    recommendations: list[RecommendationIn] = field(default_factory=list)
    closing: list[Text] = field(default_factory=list)
    notes_to_editors: list[Text] = field(default_factory=list)
    signatories: list[SignatoryIn] = field(default_factory=list)
    about: Text | None = None
    contacts: list[ContactIn] = field(default_factory=list)
    notes: dict[str, Text] = field(default_factory=dict)
    references: list[Located] = field(default_factory=list)
    csl: Located | None = None
    extends: Located | None = None
    root: Node | None = None
    sources: list[Path] = field(default_factory=list)  # the file and every file it extends

    def texts(self) -> list[Text]:
        """Return every text field in reading order (the footnote order)."""
        texts = [self.title, self.subtitle, self.summary, *self.body, self.recommendations_intro]
        for item in self.recommendations:
            texts += [item.title, item.text]
        texts += [*self.closing, *self.notes_to_editors]
        texts += [s.name for s in self.signatories]
        texts.append(self.about)
        return [t for t in texts if t is not None]


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
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else f"; {where} takes: {', '.join(allowed)}"
                self.error(key_node, f"unknown key '{key}'{hint}")

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
    check.unknown_keys(root, TOP_KEYS, "a statement")
    kind = check.choice(check.require(root, "kind"), "kind", KINDS, "statement")
    statement = Statement(
        file=root.file,
        kind=kind,
        lang=_lang(check, check.require(root, "lang")),
        title=check.text(check.require(root, "title"), "title") or Text("", "title", root),
        date=_date(check, check.require(root, "date")),
        body=_body(check, check.require(root, "body")),
        root=root,
    )
    _optional_fields(check, root, statement)
    check.problems.raise_if_any()
    return statement


def _optional_fields(check: _Checker, root: Node, st: Statement) -> None:
    st.subtitle = check.text(root.get("subtitle"), "subtitle")
    st.summary = check.text(root.get("summary"), "summary")
    st.about = check.text(root.get("about"), "about")
    st.place = check.scalar(root.get("place"), "'place'") or ""
    st.status = check.choice(root.get("status"), "status", STATUSES, "draft")
    st.release = check.choice(root.get("release"), "release", RELEASES, "immediate")
    st.embargo = _embargo(check, root, st.release)
    st.organisation = _slug(check, root.get("organisation"), "organisation")
    st.closing = _text_list(check, root.get("closing"), "closing")
    st.notes_to_editors = _text_list(check, root.get("notes_to_editors"), "notes_to_editors")
    st.recommendations_intro, st.recommendations = _recommendations(check, root.get("recommendations"))
    st.signatories = _signatories(check, root.get("signatories"))
    st.contacts = _contacts(check, root.get("contacts"))
    st.notes = _notes(check, root.get("notes"))
    st.references = _paths(check, root.get("references"), "references")
    st.csl = _located(check, root.get("csl"), "csl")
    st.extends = _located(check, root.get("extends"), "extends")


def _lang(check: _Checker, node: Node | None) -> str:
    value = check.scalar(node, "'lang'")
    if value is None:
        return "en"
    from .i18n import is_known_language

    if not LANG_TAG.match(value) or not is_known_language(value):
        check.error(node, f"'lang' must be a BCP 47 language tag such as en, th, my, km, lo, vi (got '{value}')")
        return "en"
    return value


def _date(check: _Checker, node: Node | None) -> dt.date:
    value = check.scalar(node, "'date'")
    if value is None:
        return dt.date(1970, 1, 1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        check.error(node, f"'date' must be a real date written YYYY-MM-DD (got '{value}')")
        return dt.date(1970, 1, 1)


def _embargo(check: _Checker, root: Node, release: str) -> dt.datetime | None:
    node = root.get("embargo")
    if node is None:
        if release == "embargoed":
            check.error(root.key_node("release") or root, "'embargo' is required when release is embargoed")
        return None
    value = check.scalar(node, "'embargo'")
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        check.error(node, f"'embargo' must be a date and time like 2017-11-22T09:00:00+07:00 (got '{value}')")
        return None
    if moment.tzinfo is None:
        check.error(node, "'embargo' must carry a UTC offset, e.g. 2017-11-22T09:00:00+07:00")
        return None
    if release != "embargoed":
        check.error(node, "'embargo' is given but 'release' is not 'embargoed'")
    return moment


def _slug(check: _Checker, node: Node | None, key: str) -> Located | None:
    value = check.scalar(node, f"'{key}'")
    if value is None:
        return None
    if not SLUG.match(value):
        check.error(node, f"'{key}' must be a folder name under templates/ (lower-case letters, digits, - and _)")
        return None
    return Located(value, node)


def _located(check: _Checker, node: Node | None, key: str) -> Located | None:
    value = check.scalar(node, f"'{key}'")
    return Located(value, node) if value is not None else None


def _paths(check: _Checker, node: Node | None, key: str) -> list[Located]:
    if node is None:
        return []
    nodes = node.items if node.kind == "seq" else [node]
    found = (_located(check, item, key) for item in nodes)
    return [item for item in found if item is not None]


def _body(check: _Checker, node: Node | None) -> list[Text]:
    blocks = []
    items = check.sequence(node, "body")
    if node is not None and node.kind == "seq" and not items:
        check.error(node, "'body' needs at least one paragraph")
    for index, item in enumerate(items):
        block = _body_block(check, item, f"body[{index}]")
        if block:
            blocks.append(block)
    return blocks


def _body_block(check: _Checker, item: Node, path: str) -> Text | None:
    if item.kind != "map":
        return check.text(item, path)
    check.unknown_keys(item, ("heading", "quote"), "a body block")
    if len(item.entries) != 1:
        check.error(item, f"'{path}' must be a paragraph, or one of heading: or quote:")
        return None
    style = next(iter(item.entries))
    return check.text(item.get(style), f"{path}.{style}", style) if style in ("heading", "quote") else None


def _text_list(check: _Checker, node: Node | None, key: str) -> list[Text]:
    texts = (check.text(item, f"{key}[{i}]") for i, item in enumerate(check.sequence(node, key)))
    return [t for t in texts if t is not None]


def _recommendations(check: _Checker, node: Node | None) -> tuple[Text | None, list[RecommendationIn]]:
    node = check.mapping(node, "recommendations")
    if node is None:
        return None, []
    check.unknown_keys(node, ("intro", "items"), "recommendations")
    intro = check.text(node.get("intro"), "recommendations.intro")
    items = []
    for index, item in enumerate(check.sequence(check.require(node, "items"), "recommendations.items")):
        path = f"recommendations.items[{index}]"
        if check.mapping(item, path) is None:
            continue
        check.unknown_keys(item, ("title", "text"), "a recommendation")
        title = check.text(check.require(item, "title"), f"{path}.title")
        text = check.text(check.require(item, "text"), f"{path}.text")
        if title and text:
            items.append(RecommendationIn(path, title, text))
    return intro, items


def _signatories(check: _Checker, node: Node | None) -> list[SignatoryIn]:
    result = []
    for index, item in enumerate(check.sequence(node, "signatories")):
        path = f"signatories[{index}]"
        if check.mapping(item, path) is None:
            continue
        check.unknown_keys(item, ("name", "country"), "a signatory")
        name = check.text(check.require(item, "name"), f"{path}.name")
        country = check.scalar(item.get("country"), f"'{path}.country'") or ""
        if name:
            result.append(SignatoryIn(path, name, country))
    return result


def _contacts(check: _Checker, node: Node | None) -> list[ContactIn]:
    result = []
    for index, item in enumerate(check.sequence(node, "contacts")):
        path = f"contacts[{index}]"
        if check.mapping(item, path) is None:
            continue
        check.unknown_keys(item, CONTACT_KEYS, "a contact")
        contact = _contact(check, item, path)
        if contact:
            result.append(contact)
    return result


def _contact(check: _Checker, item: Node, path: str) -> ContactIn | None:
    name = check.scalar(check.require(item, "name"), f"'{path}.name'")
    email = check.scalar(item.get("email"), f"'{path}.email'") or ""
    if email and not EMAIL.match(email):
        check.error(item.get("email"), f"'{email}' is not an email address")
    return ContactIn(
        path=path,
        name=name or "",
        name_local=check.scalar(item.get("name_local"), f"'{path}.name_local'") or "",
        role=check.scalar(item.get("role"), f"'{path}.role'") or "",
        email=email,
        phones=_phones(check, item.get("phone"), path),
        languages=_languages(check, item.get("languages"), path),
    ) if name else None


def _phones(check: _Checker, node: Node | None, path: str) -> tuple[str, ...]:
    if node is None:
        return ()
    nodes = node.items if node.kind == "seq" else [node]
    phones = []
    for item in nodes:
        value = check.scalar(item, f"'{path}.phone'")
        if value is not None and not PHONE.match(value):
            check.error(item, f"'{value}' is not a phone number; write it like +66 53 283 259")
        elif value is not None:
            phones.append(value)
    return tuple(phones)


def _languages(check: _Checker, node: Node | None, path: str) -> tuple[str, ...]:
    from .i18n import is_known_language

    codes = []
    for item in check.sequence(node, f"{path}.languages"):
        value = check.scalar(item, f"'{path}.languages'")
        if value is not None and not (LANG_TAG.match(value) and is_known_language(value)):
            check.error(item, f"'{value}' is not a language code such as th, en, my, km")
        elif value is not None:
            codes.append(value)
    return tuple(codes)


def _notes(check: _Checker, node: Node | None) -> dict[str, Text]:
    node = check.mapping(node, "notes")
    if node is None:
        return {}
    notes = {}
    for label, (key_node, value) in node.entries.items():
        if not NOTE_LABEL.match(label):
            check.error(key_node, f"note label '{label}' may hold only letters, digits, '-', '_' and '.'")
            continue
        text = check.text(value, f"notes.{label}")
        if text:
            notes[label] = text
    return notes
