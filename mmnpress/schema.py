"""The statement format, declared once.

Every key a statement may hold is one `Field` below, in the spirit of mkdocs'
``config_options``: its value type, the kinds it applies to, whether it is
inline Markdown, whether it may be empty, and a one-line description.
Fields are declared in reading order: the text stage reads the texts of the
top-level keys, and of the keys inside each mapping, in this order, which
decides footnote numbers.

What reads this table: validation and the order of texts (`model`), Word
bookmark names and their decoding (`paths`), review's Markdown-or-plain
choice, lint's empty-section warnings, the render model's text fields
(`assemble`), the JSON Schema (`schema_json`), the skeletons' tests and the field
table in docs/FORMAT.md, and the document's outline (`outline`): each field
declares the sections it prints as (`Part`), which every writer walks.
Adding a text field is one entry here with its parts and, for a heading,
its label in the i18n catalog; the house templates of every format show it
without an edit. A record's fields (a recommendation, a signatory, a
contact) are declared here once, and the model's and the render model's
records are made from them (`record_type`); so are the top-level text
attributes of `model.Statement` and `document.Document` (`text_fields`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

KINDS = ("statement", "press-release", "position-paper")
STATUSES = ("draft", "final")
QUOTE_STYLES = ("typographic", "as-typed")
RELEASES = ("immediate", "embargoed")
SIGNATORY_ORDERS = ("country", "name", "as-listed")
DEFAULT_SIGNATORY_ORDER = "as-listed"  # as typed, each with its country beside it: what a reviewer's edit of a country maps back from

EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ().\-/]{4,24}[0-9]$")
LANG_TAG = re.compile(r"^[a-zA-Z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
NOTE_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
FOLDER = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

# Value types. Scalars:
TEXT = "text"  # inline Markdown, one paragraph
PLAIN = "plain"  # a single value printed as typed
CHOICE = "choice"  # one of `choices`
LANGUAGE = "language"  # a BCP 47 tag the toolkit knows
DATE = "date"  # YYYY-MM-DD
MOMENT = "datetime"  # ISO 8601 date and time with a UTC offset
FOLDER_NAME = "folder"  # a folder name under templates/
PATH = "path"  # a file path or a name
EMAIL_ADDRESS = "email"
# Collections:
PATHS = "paths"  # one path or a list of them
PHONES = "phones"  # one phone number or a list of them
LANGUAGES = "languages"  # a list of BCP 47 tags
TEXTS = "texts"  # a list of paragraphs
BLOCKS = "blocks"  # a list of paragraphs, or mappings with one of `fields` (body)
MAPPING = "mapping"  # a mapping of `fields`
RECORDS = "records"  # a list of mappings of `fields`
NOTES = "notes"  # a mapping of note labels to texts
DIGESTS = "digests"  # a mapping of field paths to short hashes of their text

MARKDOWN_TYPES = (TEXT, TEXTS, BLOCKS, NOTES)
COLLECTION_TYPES = (PATHS, PHONES, LANGUAGES, TEXTS, BLOCKS, MAPPING, RECORDS, NOTES, DIGESTS)
DIGEST = re.compile(r"^[0-9a-f]{10}$")

# What a section of the outline holds (`Part.holds`, `document.Section.holds`); every writer handles each once:
LINE = "line"  # a line the build derives (kind line, date line, end mark), printed as it is
TITLE = "title"  # the title, a level-1 heading
SUBTITLE = "subtitle"  # the line under the title
LEAD = "lead"  # a lead paragraph (the summary)
PARAGRAPHS = "paragraphs"  # paragraphs, headings and quotes (body, closing, notes to editors)
PARAGRAPH = "paragraph"  # one paragraph under a heading (About)
NUMBERED = "recommendations"  # an introduction and numbered recommendations
SIGNERS = "signatories"  # the signatories, with their countries
PEOPLE = "contacts"  # the contact block
REFERENCES = "references"  # the reference list of an author-date style

# What an empty value (a blank text, [] or {}) is:
EMPTY_ERROR = "error"  # a problem: the statement does not build
EMPTY_WARNING = "warning"  # it builds, but `check` warns (lint rule empty-section)
EMPTY_FINE = "fine"


@dataclass(frozen=True)
class Part:
    """A section of the document's outline that a field prints as.

    `holds` says what it holds (LINE, PARAGRAPHS, ...), `key` names the
    render model's field with its content when that is not the field's own key
    (a derived line), `heading` the label key of its heading, `kinds` the
    statement kinds that print it. The outline lists the parts of every field
    in the schema's reading order.
    """

    holds: str
    key: str = ""
    heading: str = ""
    kinds: tuple[str, ...] = KINDS


@dataclass(frozen=True)
class Field:
    """One key of the statement format and what its value must be."""

    key: str
    type: str
    doc: str
    required: bool = False
    kinds: tuple[str, ...] = KINDS
    empty: str = EMPTY_FINE
    choices: tuple[str, ...] = ()
    default: str | None = None
    fields: tuple[Field, ...] = ()  # the keys of a mapping, or of each mapping in a list
    noun: str = ""  # how messages name one such mapping: "a contact"
    bookmarked: bool = False  # a Word draft wraps it in a bookmark, so review maps changes back
    only_when: tuple[str, str] | None = None  # (key, value): given exactly when that key has that value
    translate: bool = False  # plain text in the document's language that translators translate (a place, a role)
    hint: str = ""  # what translators must know of its length or use
    parts: tuple[Part, ...] = ()  # the sections of the outline it prints as, in order

    @property
    def markdown(self) -> bool:
        """Tell whether the value is inline Markdown (or holds only Markdown texts)."""
        return self.type in MARKDOWN_TYPES

    @property
    def translatable(self) -> bool:
        """Tell whether translators translate it: it is, or holds, text in the document's language (Markdown, or plain marked translate)."""
        return self.markdown or self.translate or any(f.translatable for f in self.fields)

    def child(self, key: str) -> Field | None:
        """Return the field of `key` inside this mapping, or None."""
        return next((f for f in self.fields if f.key == key), None)

    def keys(self) -> tuple[str, ...]:
        """Return the keys this mapping takes, in reading order."""
        return tuple(f.key for f in self.fields)


def _text(key: str, doc: str, **options) -> Field:
    return Field(key, TEXT, doc, empty=EMPTY_ERROR, bookmarked=True, **options)


def _plain(key: str, doc: str, **options) -> Field:
    return Field(key, PLAIN, doc, **options)


RECOMMENDATION = (
    _text("title", "The bold lead-in of the recommendation.", required=True),
    _text("text", "What is recommended.", required=True),
)
SIGNATORY = (
    _text("name", "The signing organisation or person.", required=True),
    _plain("country", "Where the signatory is based: an ISO 3166 code (MM) or a name in any statement language.", bookmarked=True,
           translate=True),
)
CONTACT = (
    _plain("name", "The person's name.", required=True, bookmarked=True),
    _plain("name_local", "The name in its own script, e.g. Thai.", bookmarked=True),
    _plain("role", "The person's role.", bookmarked=True, translate=True),
    Field("email", EMAIL_ADDRESS, "An email address.", bookmarked=True),
    Field("phone", PHONES, "A phone number, or a list of them, like +66 53 283 259.", bookmarked=True),
    Field("languages", LANGUAGES, "The languages this person can be contacted in (BCP 47 codes)."),
)
BODY_BLOCKS = (
    _text("heading", "A sub-heading block."),
    _text("quote", "A quoted passage."),
)

STATEMENT = Field("", MAPPING, "A statement, position paper or press release.", noun="a statement", fields=(
    Field("kind", CHOICE, "What the document is.", required=True, choices=KINDS,
          parts=(Part(LINE, key="kind_line", kinds=("press-release", "position-paper")),)),
    Field("lang", LANGUAGE, "The document language, a BCP 47 tag: en, th, my, km, lo, vi.", required=True),
    _text("title", "The title.", required=True, parts=(Part(TITLE),),
          hint="Also the email subject and the ninjs headline: keep it under 120 characters."),
    _text("subtitle", "A line under the title.", parts=(Part(SUBTITLE),)),
    # a press release prints its date in the dateline that starts its first paragraph
    Field("date", DATE, "The date printed on the document, YYYY-MM-DD.", required=True,
          parts=(Part(LINE, key="date_line", kinds=("statement", "position-paper")),)),
    _plain("place", "Where it was issued; press releases print it in capitals in the dateline.", translate=True,
           hint="One place name, as the dateline prints it."),
    Field("status", CHOICE, "A draft prints a DRAFT watermark.", choices=STATUSES, default="draft"),
    Field("quotes", CHOICE, "Straight quotes typed in the text print as curly quotes, or as typed.",
          choices=QUOTE_STYLES, default="typographic"),
    Field("organisation", FOLDER_NAME, "The organisation profile under templates/ (optional when there is one)."),
    Field("release", CHOICE, "When the press may publish it.", kinds=("press-release",), choices=RELEASES, default="immediate"),
    Field("embargo", MOMENT, "The embargo, with a UTC offset; given exactly when release is embargoed.",
          kinds=("press-release",), only_when=("release", "embargoed")),
    _text("summary", "A lead paragraph.", parts=(Part(LEAD),),
          hint="Also the web page's description and the ninjs summary: one or two sentences."),
    Field("body", BLOCKS, "The paragraphs; a block may instead be a heading: or a quote:.", required=True,
          empty=EMPTY_ERROR, fields=BODY_BLOCKS, noun="a body block", bookmarked=True, parts=(Part(PARAGRAPHS),)),
    Field("recommendations", MAPPING, "Numbered recommendations.", noun="recommendations", bookmarked=True, parts=(
        Part(NUMBERED, heading="recommendations", kinds=("position-paper",)),
        Part(NUMBERED, kinds=("statement", "press-release")),
    ), fields=(
        _text("intro", "The paragraph that leads into the recommendations."),
        Field("items", RECORDS, "The recommendations.", required=True, empty=EMPTY_WARNING,
              fields=RECOMMENDATION, noun="a recommendation", bookmarked=True),
    )),
    Field("closing", TEXTS, "Paragraphs after the recommendations.", empty=EMPTY_WARNING, bookmarked=True,
          parts=(Part(PARAGRAPHS), Part(LINE, key="end_mark", kinds=("press-release",)))),
    Field("notes_to_editors", TEXTS, "Paragraphs after the end mark of a press release.",
          kinds=("press-release",), empty=EMPTY_WARNING, bookmarked=True, parts=(Part(PARAGRAPHS, heading="notes_to_editors"),)),
    Field("signatories", RECORDS, "The signatories of a joint statement.", empty=EMPTY_WARNING,
          fields=SIGNATORY, noun="a signatory", bookmarked=True, parts=(Part(SIGNERS, heading="signed_by"),)),
    Field("signatories_by", CHOICE, "How the signatories print: under their countries, by name, or as listed; "
          "the profile's `signatories_by` (as-listed) when not given.", choices=SIGNATORY_ORDERS),
    _text("about", "The boilerplate about the organisation; overrides the profile's.", parts=(Part(PARAGRAPH, heading="about"),)),
    Field("contacts", RECORDS, "The contact block.", empty=EMPTY_WARNING, fields=CONTACT, noun="a contact", bookmarked=True,
          parts=(Part(PEOPLE, heading="media_contacts", kinds=("press-release",)),
                 Part(PEOPLE, heading="inquiries_paper", kinds=("position-paper",)),
                 Part(PEOPLE, heading="inquiries", kinds=("statement",)))),
    Field("notes", NOTES, "Named footnotes, used as [^label] in text.", empty=EMPTY_WARNING),
    Field("references", PATHS, "Bibliography files relative to this file: CSL-JSON, CSL-YAML or BibTeX.", empty=EMPTY_WARNING,
          parts=(Part(REFERENCES, heading="references"),)),
    Field("csl", PATH, "A CSL style name or a path to a .csl file; Chicago notes when not given."),
    Field("extends", PATH, "Translations: the original, whose keys this file inherits unless it gives them."),
    Field("translated_from", DIGESTS, "Translations: a short hash of the original's text of each translated field, "
          "by path (body.3); written by translate import, read by check."),
))

TOP_KEYS = STATEMENT.keys()
REQUIRED_KEYS = tuple(f.key for f in STATEMENT.fields if f.required)


def walk(parent: Field = STATEMENT, path: str = "") -> Iterator[tuple[str, Field]]:
    """Yield every field below `parent` with its YAML path, in reading order.

    A path names list items with ``[]``: ``recommendations.items[].title``.
    """
    for child in parent.fields:
        here = f"{path}.{child.key}" if path else child.key
        yield here, child
        below = f"{here}[]" if child.type in (RECORDS, BLOCKS) else here
        yield from walk(child, below)


def record_type(name: str, fields: tuple[Field, ...], types: dict[str, tuple[Any, Any]], module: str, doc: str,
                extra: tuple = ()) -> type:
    """Return the dataclass of one mapping of a list of `fields`: its YAML path, then each field, then `extra`.

    `types` gives each value type its Python type and empty value: the model
    holds a text as typed, the render model as rich text. The class is named
    `name` in `module`, where it must be bound under that name.
    """
    spec = [("path", str)]
    spec += [(f.key, types[f.type][0], dataclasses.field(default=types[f.type][1])) for f in fields]
    made = dataclasses.make_dataclass(name, [*spec, *extra], frozen=True)
    made.__module__, made.__doc__ = module, doc  # so it pickles (a PDF is laid out in a child process) and reads in help()
    return made


TEXT_TYPES = (TEXT, TEXTS, BLOCKS)  # the value types of the top-level fields that `text_fields` declares


def text_fields(types: dict[str, tuple[Any, Any]], required: dict[str, Any], placed: dict[str, str] | None = None) -> Callable[[type], type]:
    """Return a class decorator that adds one attribute per top-level text field of the statement; apply it under @dataclass.

    `types` gives each value type (TEXT, TEXTS, BLOCKS) its Python type and
    empty value, the default; `required` the type of a required field of a
    value type, which then has no default. The attributes are keyword-only.
    Each goes after the attribute `placed` names for it, else after the
    attribute of the nearest field before it in reading order, so the class's
    fields (and the data made from them) keep one order.
    """

    def add(cls: type) -> type:
        annotations = dict(cls.__dict__.get("__annotations__", {}))
        names = list(annotations)
        for item in (f for f in STATEMENT.fields if f.type in TEXT_TYPES):
            if item.key in annotations:
                raise TypeError(f"{cls.__name__}.{item.key} is declared by the schema; remove its attribute")
            names.insert(_place(item.key, names, placed or {}), item.key)
            if item.required and item.type in required:
                annotations[item.key] = required[item.type]
                setattr(cls, item.key, dataclasses.field(kw_only=True))
            else:
                annotations[item.key], empty = types[item.type]
                setattr(cls, item.key, _default(empty))
        cls.__annotations__ = {name: annotations[name] for name in names}
        return cls

    return add


def _place(key: str, names: list[str], placed: dict[str, str]) -> int:
    """Return where the attribute of `key` goes among `names`: after its `placed` one, else after its nearest forerunner."""
    if key in placed:
        return names.index(placed[key]) + 1
    keys = STATEMENT.keys()
    earlier = keys[: keys.index(key)]
    return next((names.index(k) + 1 for k in reversed(earlier) if k in names), len(names))


def _default(empty: Any) -> Any:
    """Return the keyword-only dataclass field whose default is `empty` (a fresh one per object when it is mutable)."""
    if isinstance(empty, list | dict | set):
        return dataclasses.field(default_factory=type(empty), kw_only=True)
    return dataclasses.field(default=empty, kw_only=True)


def field_at(path: str) -> Field | None:
    """Return the field a YAML path (with or without list indexes) names, or None."""
    pattern = re.sub(r"\[\d*\]", "[]", path)
    return next((f for p, f in walk() if p == pattern), None)


def path_keys() -> tuple[str, ...]:
    """Return every key that may appear in a path a Word draft bookmarks."""
    return tuple(dict.fromkeys(f.key for _, f in walk() if f.bookmarked))


def empty_warnings() -> tuple[str, ...]:
    """Return the paths of the sections that `check` warns about when empty."""
    return tuple(path for path, f in walk() if f.empty == EMPTY_WARNING)


def markdown_table() -> str:
    """Return the field table of docs/FORMAT.md, generated from the schema."""
    lines = [
        "| YAML path | Type | Required | Kinds | Markdown | When empty | Description |",
        "|---|---|---|---|---|---|---|",
    ]
    for path, f in walk():
        kind_of = f"{f.type}: {', '.join(f.choices)}" if f.choices else f.type
        cells = [
            f"`{path}`",
            kind_of,
            "yes" if f.required else "",
            "all" if f.kinds == KINDS else ", ".join(f.kinds),
            "yes" if f.markdown else "",
            _EMPTY_WORDS[f.empty] if f.type in (TEXT, *COLLECTION_TYPES) and f.type != MAPPING else "",
            f.doc,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


_EMPTY_WORDS = {EMPTY_ERROR: "error", EMPTY_WARNING: "warning", EMPTY_FINE: "allowed"}
