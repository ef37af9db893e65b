"""The render model: what every renderer (Word, PDF) receives.

Renderers never see YAML. The text stage turns every text field into rich
text, and `assemble` gathers it here together with the organisation profile,
the labels of the document language and the formatted dates.

Rich text is a tuple of inlines. An inline is either a `Run` (text with flat
formatting flags) or a `Note` (a footnote, holding paragraphs of runs).
Footnote numbers are decided by order of appearance, which is the same in
every renderer because each walks the document in the order of its fields.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from . import schema
from .schema import LEAD, LINE, NUMBERED, PARAGRAPH, PARAGRAPHS, PEOPLE, REFERENCES, SIGNERS, SUBTITLE, TITLE  # noqa: F401 - for writers

SHORT_TITLE_CHARS = 80
VIEW = {"view": True}  # the metadata of a field worked out for the page, which `to_data` leaves out



@dataclass(frozen=True)
class Run:
    """A stretch of text with one set of formatting flags."""

    text: str
    em: bool = False
    strong: bool = False
    sup: bool = False
    sub: bool = False
    strike: bool = False
    smallcaps: bool = False
    code: bool = False
    link: str | None = None
    lang: str | None = None  # None: the document language
    change: str | None = None  # a redline's tracked change: "ins" or "del"


@dataclass(frozen=True)
class Note:
    """A footnote: paragraphs of runs, numbered where it appears."""

    paragraphs: tuple[tuple[Run, ...], ...]
    change: str | None = None  # a redline's tracked change of the whole note: "ins" or "del"


Inline = Run | Note
Rich = tuple[Inline, ...]


@dataclass(frozen=True)
class Block:
    """A paragraph-level element with the YAML path it came from.

    `style` is "paragraph", "heading" or "quote".
    """

    path: str
    text: Rich
    style: str = "paragraph"
    change: str | None = None  # a redline's tracked change of the whole paragraph: "ins" or "del"


# The render records of the schema's lists: the YAML path, then each field (its text as rich text), then a redline's change.
_RECORD_TYPES = {schema.TEXT: (Rich, ()), schema.PLAIN: (str, "")}
_CHANGE = (("change", str | None, dataclasses.field(default=None)),)
Recommendation = schema.record_type("Recommendation", schema.RECOMMENDATION, _RECORD_TYPES, __name__,
                                    "One numbered recommendation: a bold lead-in and its text.", _CHANGE)
Signatory = schema.record_type("Signatory", schema.SIGNATORY, _RECORD_TYPES, __name__,
                               "A signing organisation or person.", _CHANGE)


@dataclass(frozen=True)
class SignatoryGroup:
    """Signatories printed together: under a country's name in the document language, or under no heading."""

    heading: str
    signatories: tuple[Signatory, ...]


@dataclass(frozen=True)
class Contact:
    """One person in the contact block, with display-ready strings."""

    path: str
    name: str
    name_local: str = ""
    name_local_lang: str | None = None
    role: str = ""
    email: str = ""
    phones: tuple[str, ...] = ()
    languages: str = ""  # e.g. "Thai and English", in the document language
    change: str | None = None
    marks: tuple[tuple[str, Rich], ...] = ()  # a redline: (field, its runs marked word by word) of each changed field


@dataclass(frozen=True)
class Profile:
    """The organisation's look and boilerplate, from templates/<org>/profile.yaml."""

    key: str
    name: str
    short_name: str
    website: str = ""
    address: str = ""
    logo: str | None = None  # absolute path to an image, or None
    logo_alt: str | None = None  # the logo's alternative text; None: the name; "": decorative
    primary: str = "#1F4E79"  # colours as #RRGGBB
    accent: str = "#C55A11"
    body_font: str = "Noto Serif"
    heading_font: str = "Noto Sans"
    page_url: str = ""  # where web pages are published, e.g. "https://example.org/press/{stem}.html"
    press_email: str = ""  # the sender of emailed releases
    contacts: str = "end"  # where a press release puts its media contacts: "end" or "top"
    about_position: str = "before-references"  # where a position paper puts About and contacts, or "after-references"


@dataclass(frozen=True)
class Section:
    """One section of the document in reading order: what it holds, where its content is, its heading.

    Every writer walks `Document.outline` and handles each kind of section
    (`holds`: "line", "paragraphs", "contacts", ... as `schema` names them)
    once. The content stays in the document's named field `key` (which is
    also its YAML path, or the name of a derived line), so templates that
    name fields keep working and a redline's marks are seen by both.
    """

    holds: str
    key: str
    heading: str = ""  # in the document language; "" for none
    label: str = ""  # the label key of the heading, for templates that print labels.KEY
    lead: str = ""  # a press release's dateline, which starts this section's first paragraph


@dataclass(frozen=True)
class Version:
    """One language version of a statement: its language and the stem of its output files."""

    lang: str
    stem: str


# Where the render model's text attributes sit among the others, as they always have (the data templates and snapshots read);
# a text field not named here follows the one before it in the schema's reading order.
_TEXT_PLACES = {"title": "labels", "subtitle": "date_text", "summary": "dateline", "closing": "recommendations",
                "notes_to_editors": "end_mark", "about": "signatory_columns"}


@dataclass(frozen=True)
@schema.text_fields({schema.TEXT: (Block | None, None), schema.TEXTS: (tuple[Block, ...], ()), schema.BLOCKS: (tuple[Block, ...], ())},
                    required={schema.TEXT: Block}, placed=_TEXT_PLACES)
class Document:
    """Everything a renderer needs to lay out one statement; its text fields (a `Block`, or a tuple of them) come from the schema."""

    kind: str
    lang: str
    draft: bool
    profile: Profile
    labels: dict[str, str]
    title_plain: str
    date_iso: str
    date_text: str
    place: str = ""
    release_line: str = ""  # press releases: FOR IMMEDIATE RELEASE / EMBARGOED UNTIL ...
    dateline: str = ""  # press releases: "CHIANG MAI, 22 November 2017 —"
    recommendations_intro: Block | None = None
    recommendations: tuple[Recommendation, ...] = ()
    end_mark: str = ""  # press releases only
    signatories: tuple[Signatory, ...] = ()
    signatory_groups: tuple[SignatoryGroup, ...] = ()  # the signatories as printed: sorted, grouped, countries named
    signatory_count: str = ""  # "Endorsed by 214 organisations from 9 countries"
    signatory_columns: int = 1  # columns of the list in Word and PDF
    contacts: tuple[Contact, ...] = ()
    contacts_heading: str = ""
    contacts_heading_en: str = ""  # shown beside the heading when lang is not English
    references: tuple[Block, ...] = ()  # reference list of an author-date style
    embargo_iso: str = ""  # the embargo's end (ISO 8601 with offset) of an embargoed press release
    translation_of: Version | None = None  # the statement this one extends
    versions: tuple[Version, ...] = ()  # the whole language family, when built with its translations
    source_file: str = ""
    source_hash: str = ""
    # Worked out from the fields above, once; templates receive them beside the data (`view`), not in it.
    kind_line: str = field(default="", metadata=VIEW)  # above the title: the release line, or "Position paper"
    date_line: str = field(default="", metadata=VIEW)  # under the title: "Chiang Mai, 22 November 2017"
    about_heading: str = field(default="", metadata=VIEW)  # "About MMN"
    outline: tuple[Section, ...] = field(default=(), metadata=VIEW)

    def content(self, section: Section) -> Any:
        """Return the content of `section`: a block, blocks, records or a line."""
        return getattr(self, section.key)

    def has(self, section: Section) -> bool:
        """Tell whether `section` has anything to print."""
        if section.holds == NUMBERED:
            return bool(self.recommendations or self.recommendations_intro)
        return bool(self.content(section))


def to_data(document: Document) -> dict[str, Any]:
    """Return the document's fields as plain JSON-ready data, notes tagged by type (the view's fields left out)."""
    return _plain(document)


def view_data(document: Document) -> dict[str, Any]:
    """Return the fields worked out for the page (`VIEW`) as plain JSON-ready data."""
    return {f.name: _plain(getattr(document, f.name)) for f in dataclasses.fields(document) if f.metadata.get("view")}



def data_runs(data: Any) -> Iterator[dict]:
    """Yield every run of document data (`to_data`'s result) that has text, in order, notes included."""
    if isinstance(data, dict):
        if data.get("type") == "run" and isinstance(data.get("text"), str):
            yield data
        for value in data.values():
            yield from data_runs(value)
    elif isinstance(data, list):
        for item in data:
            yield from data_runs(item)

def _plain(value: Any) -> Any:
    if isinstance(value, Note):
        return {"type": "note", "paragraphs": [_plain(p) for p in value.paragraphs]}
    if isinstance(value, Run):
        data = {k: v for k, v in dataclasses.asdict(value).items() if v not in (False, None)}
        data["type"] = "run"
        return data
    if dataclasses.is_dataclass(value):
        # a redline's change marks are left out when there is none, so ordinary models read as before
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not (f.name in ("change", "marks") and not getattr(value, f.name)) and not f.metadata.get("view")}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def front(outline: tuple[Section, ...]) -> tuple[Section, ...]:
    """Return the sections that open the outline before any text: the kind line, title, subtitle and date line."""
    count = next((i for i, s in enumerate(outline) if s.holds not in (LINE, TITLE, SUBTITLE)), len(outline))
    return outline[:count]


def rich_texts(document: Document) -> Iterator[Rich]:
    """Yield every rich text of the document in the order of its outline (the order its notes are numbered in)."""
    for section in document.outline:
        if section.holds == NUMBERED:
            yield from _rich_in(document.recommendations_intro)
        yield from _rich_in(document.content(section))


def _rich_in(content: Any) -> Iterator[Rich]:
    """Yield the rich texts of a section's content: a block, a record's rich fields, or those of each item."""
    if isinstance(content, Block):
        yield content.text
    elif isinstance(content, tuple) and not (content and isinstance(content[0], Run | Note)):
        for item in content:
            yield from _rich_in(item)
    elif dataclasses.is_dataclass(content):
        for f in dataclasses.fields(content):
            value = getattr(content, f.name)
            if isinstance(value, tuple) and value and isinstance(value[0], Run | Note):
                yield value


def plain_text(rich: Rich, with_notes: bool = False) -> str:
    """Return the visible text of rich text (notes left out unless asked)."""
    parts = []
    for inline in rich:
        if isinstance(inline, Run):
            parts.append(inline.text)
        elif with_notes:
            parts.append(" ".join(plain_text(p) for p in inline.paragraphs))
    return "".join(parts)


def stem(document: Document) -> str:
    """Return the stem of the statement's file name, which names its outputs."""
    return PurePath(document.source_file).stem


def short_title(document: Document) -> str:
    """Return the title cut at a word near 80 characters, for running headers."""
    return shorten(document.title_plain, SHORT_TITLE_CHARS)


def shorten(text: str, limit: int) -> str:
    """Return `text` with spaces folded, cut at a word to at most `limit` characters with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    while cut and unicodedata.category(text[len(cut)]).startswith("M"):
        cut = cut[:-1]  # never split a base letter from its marks (Thai, Khmer)
    return cut.rstrip(" ,;:–—-") + "…"
