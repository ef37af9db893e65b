"""Work out the document's outline: its sections in reading order, for its kind and the profile's layout.

The sections come from the schema: each field declares the parts it prints
as (`schema.Part`), in the schema's reading order, and which kinds print
them. The profile's layout options then move a few: `contacts: top` puts a
press release's contacts before its text, `about_position:
after-references` puts a position paper's References before About and its
contacts. Every writer walks the result (`Document.outline`); the Word
template generator walks the same parts for a kind, without a document.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import schema
from .document import LEAD, PEOPLE, REFERENCES, Document, Profile, Section


@dataclass(frozen=True)
class Slot:
    """A section of a kind's outline before there is a document: the field it shows and how."""

    key: str  # the render model's field holding its content
    part: schema.Part


def slots(kind: str, profile: Profile) -> tuple[Slot, ...]:
    """Return the sections a statement of `kind` prints, in order, with the profile's layout applied."""
    found = [Slot(part.key or item.key, part) for item in schema.STATEMENT.fields if kind in item.kinds for part in item.parts if kind in part.kinds]
    if kind == "press-release" and profile.contacts == "top":
        found = _moved(found, PEOPLE, before=LEAD)
    if kind == "position-paper" and profile.about_position == "after-references":
        found = _moved(found, REFERENCES, before="about")
    return tuple(found)


def _moved(found: list[Slot], key: str, before: str) -> list[Slot]:
    """Return `found` with the slot of `key` moved to just before the slot of `before`."""
    moving = next(s for s in found if s.key == key)
    rest = [s for s in found if s is not moving]
    at = next(i for i, s in enumerate(rest) if before in (s.key, s.part.holds))
    return [*rest[:at], moving, *rest[at:]]


def lay_out(document: Document) -> Document:
    """Return `document` with what it prints besides its fields worked out once: its lines, headings and outline.

    A press release's dateline starts its summary, or its body when it has none.
    """
    headings = _headings(document.labels, document.profile)
    lead = "summary" if document.summary is not None else "body"
    outline = tuple(
        Section(slot.part.holds, slot.key, headings.get(slot.part.heading, ""), slot.part.heading, document.dateline if slot.key == lead else "")
        for slot in slots(document.kind, document.profile)
    )
    kind_line = document.release_line or (document.labels["position_paper"] if document.kind == "position-paper" else "")
    line = date_line(document.place, document.date_text, document.lang)
    return replace(document, kind_line=kind_line, date_line=line, about_heading=headings["about"], outline=outline)


def contacts_heading(labels: dict[str, str], kind: str, profile: Profile) -> str:
    """Return the heading of the contact block of `kind`, as the schema declares it."""
    label = next(part.heading for part in schema.STATEMENT.child("contacts").parts if kind in part.kinds)
    return _headings(labels, profile)[label]


def _headings(labels: dict[str, str], profile: Profile) -> dict[str, str]:
    """Return the headings by label key: the labels with the organisation's name filled in ("About {name}")."""
    return {key: text.replace("{name}", profile.short_name).replace("{short_name}", profile.short_name) for key, text in labels.items()}


def heading_labels() -> tuple[str, ...]:
    """Return the label keys of the headings the schema declares, About's (which names the organisation) left out."""
    found = (part.heading for item in schema.STATEMENT.fields for part in item.parts if part.heading and part.heading != "about")
    return tuple(dict.fromkeys(found))


def date_line(place: str, date_text: str, lang: str) -> str:
    """Return the line under the title: "Chiang Mai, 22 November 2017", or the date alone; the separator is `lang`'s."""
    from .i18n import place_separator

    return f"{place}{place_separator(lang)}{date_text}" if place else date_text


def dateline(place: str, date_text: str, lang: str) -> str:
    """Return the dateline that starts a press release: "CHIANG MAI, 22 November 2017 —"."""
    return f"{date_line(place.upper(), date_text, lang)} \u2014"
