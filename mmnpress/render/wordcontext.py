"""Fill the variables of a Word template from a `Document`.

Each part of the statement (title, body, recommendations, signatories,
contacts, references, the footer's page numbers) becomes WordprocessingML
built with a `wordml.Writer` and serialized once; plain texts (labels, the
organisation's name) are escaped. Every text the statement holds sits in a
bookmark named after its YAML path, which `mmnpress review` maps back.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..document import (
    LEAD,
    LINE,
    NUMBERED,
    PARAGRAPH,
    PARAGRAPHS,
    PEOPLE,
    REFERENCES,
    SIGNERS,
    SUBTITLE,
    TITLE,
    Contact,
    Document,
    Run,
    Section,
    SignatoryGroup,
    short_title,
)
from .wordml import BOLD, Writer, element, template_xml, text_xml


def literal(text: str):
    """Return `text` as template-safe markup that prints exactly as typed."""
    from markupsafe import Markup

    return Markup(text_xml(text))


def context(writer: Writer, document: Document) -> dict:
    """Return the template's variables: each section of the outline as XML (in its order), plain texts escaped.

    Besides a variable per section (named after its field), templates keep
    the names they have always used: `labels`, `organisation`, `date_line`,
    `release_line`, `about_heading`, ... and `headings`, each section's
    heading by its label key.
    """
    profile = document.profile
    found = {
        "draft": document.draft,
        "labels": {k: literal(v) for k, v in document.labels.items()},
        "headings": {s.label: literal(s.heading) for s in document.outline if s.label},
        "organisation": {"name": literal(profile.name), "short_name": literal(profile.short_name),
                         "website": literal(profile.website), "address": literal(profile.address)},
        **{key: literal(getattr(document, key)) for key in LINES},
        "about_heading": literal(document.about_heading),
        "header_title": _xml([writer.run(Run(short_title(document)))]),
        "page_of": _xml(_page_of(writer, document.labels["page_of"])),
        **dict.fromkeys(EARLIER_SECTIONS, ""),
    }
    sections = document.outline
    for index, section in enumerate(sections):
        following = next((s for s in sections[index + 1:] if document.has(s)), None)  # the next one printed: empty ones print nothing
        keep = following is not None and following.holds == PEOPLE
        if section.holds != LINE:  # a line is printed by its name, above
            found[section.key] = _xml(WRITERS[section.holds](writer, document, section, keep)) if document.has(section) else ""
    return found


def _xml(elements: list):
    from markupsafe import Markup

    return Markup(template_xml(elements)) if elements else ""


def _title(writer: Writer, document: Document, section: Section, keep: bool) -> list:
    return writer.bookmark(section.key, writer.runs(document.content(section).text))


def _lead(writer: Writer, document: Document, section: Section, keep: bool) -> list:
    return _with_dateline(writer, [document.content(section)], section.lead, "Summary")


def _paragraphs(writer: Writer, document: Document, section: Section, keep: bool) -> list:
    return _with_dateline(writer, document.content(section), section.lead)


def _paragraph(writer: Writer, document: Document, section: Section, keep: bool) -> list:
    # the contact block keeps with the paragraph before it, never alone on a page
    return writer.block(document.content(section), keep_next=keep)


def _references(writer: Writer, document: Document, section: Section, keep: bool) -> list:
    return [writer.paragraph(writer.runs(r.text), "Reference") for r in document.content(section)]


def _with_dateline(writer: Writer, blocks, dateline: str, style: str | None = None) -> list:
    """Return the blocks' paragraphs, the first led by the press release dateline."""
    lead_at = next((i for i, b in enumerate(blocks) if b.change != "del"), None) if dateline else None
    out = []
    for index, block in enumerate(blocks):
        with writer.changing(block.change):
            lead = [writer.run(Run(dateline + " ", strong=True))] if index == lead_at else []
            if lead or style:
                out.append(writer.paragraph([*lead, *writer.bookmark(block.path, writer.runs(block.text))], style))
            else:
                out += writer.block(block)
    return out


def _recommendations(writer: Writer, document: Document, section: Section, keep: bool) -> list:
    """Return the introduction and one paragraph per recommendation: bold title, dash, text."""
    parts = writer.block(document.recommendations_intro)
    for item in document.recommendations:
        with writer.changing(item.change):
            title = writer.bookmark(item.path + ".title", writer.runs(item.title, BOLD))
            dash = writer.run(Run(" \u2013 "))
            text = writer.bookmark(item.path + ".text", writer.runs(item.text))
            parts.append(writer.paragraph([*title, dash, *text], "Recommendation"))
    return parts


def _signatories(writer: Writer, document: Document, section: Section, keep: bool) -> list:
    """Return the count line, then each group: its country's name and a paragraph per signatory, "Name (Country)".

    A redline (whose signatories carry change marks) lists them as typed; a
    long list is set in columns (`wordcolumns`).
    """
    from .wordcolumns import columns_before, end_columns

    marked = any(item.change for item in document.signatories)
    groups = ((SignatoryGroup("", document.signatories),) if marked or not document.signatory_groups else document.signatory_groups)
    parts = [writer.paragraph([writer.run(Run(document.signatory_count, em=True))])] if document.signatory_count and not marked else []
    listed = []
    for group in groups:
        if group.heading:
            listed.append(writer.paragraph([writer.run(Run(group.heading, strong=True))], keep_next=True))
        for item in group.signatories:
            with writer.changing(item.change):
                runs = writer.runs(item.name) + ([writer.run(Run(f" ({item.country})"))] if item.country else [])
                listed.append(writer.paragraph(writer.bookmark(item.path, runs)))
    if document.signatory_columns > 1 and listed and not marked:
        end_columns(listed[-1], document.signatory_columns)
        listed.insert(0, columns_before())
    return parts + listed


def _contacts(writer: Writer, document: Document, section: Section, keep: bool) -> list:
    """Return the contact block: its heading (and the English one), then each contact."""
    parts = [writer.paragraph([writer.run(Run(document.contacts_heading))], "ContactHeading", keep_next=True)]
    if document.contacts_heading_en:
        heading = writer.run(Run(document.contacts_heading_en, lang="en"))
        parts.append(writer.paragraph([heading], "ContactHeadingEnglish", True))
    for index, contact in enumerate(document.contacts):
        with writer.changing(contact.change):
            parts += _contact(writer, contact, document.labels, _separator(document.contacts, index))
    return parts


def _separator(contacts: tuple[Contact, ...], index: int) -> tuple[bool, str | None]:
    """Return whether an empty line follows contact `index`, and its change in a redline.

    The line separates a contact from the next one; in a redline it is
    deleted when only the old version had a contact after this one, inserted
    when only the new version has.
    """
    item, later = contacts[index], contacts[index + 1:]
    old = item.change != "ins" and any(c.change != "ins" for c in later)
    new = item.change != "del" and any(c.change != "del" for c in later)
    return old or new, None if old == new else ("del" if old else "ins")


def _contact(writer: Writer, contact: Contact, labels: dict[str, str], separator: tuple[bool, str | None]) -> list:
    """Return the paragraphs of one contact: one bookmark over all, one per field (these survive LibreOffice)."""
    marks = dict(contact.marks)

    def field(key: str, content: list) -> list:
        return writer.bookmark(f"{contact.path}.{key}", content)

    def text(value: str, key: str = "", **flags) -> list:
        """Return the runs of `value`; in a redline, those of field `key` with its changed words marked."""
        return [writer.inline(replace(run, **flags)) for run in marks.get(key, (Run(value),))]

    name = field("name", text(contact.name, "name", strong=True))
    if contact.name_local:
        local = field("name_local", text(contact.name_local, "name_local", strong=True, lang=contact.name_local_lang))
        name += [*text(" ("), *local, *text(")")]
    lines = [name]
    if contact.role:
        lines.append(field("role", text(contact.role, "role")))
    details = []
    if contact.email:
        details.append(text(f"{labels['email']}: ") + field("email", text(contact.email, "email", link=f"mailto:{contact.email}")))
    if contact.phones:
        details.append(text(f"{labels['tel']} ") + field("phone", text(", ".join(contact.phones), "phone")))
    if details:
        lines.append([item for index, detail in enumerate(details) for item in (text(" \u00b7 ") if index else []) + detail])
    if contact.languages:
        label = f"{labels['languages']}: "
        lines.append(text(label, em=True) + text(contact.languages, "languages", em=True) if "languages" in marks
                     else text(label + contact.languages, em=True))
    paragraphs = [writer.paragraph(line, "Contact", keep_next=True) for line in lines]
    if separator[0]:
        with writer.changing(separator[1]):
            paragraphs.append(writer.paragraph([], "Contact", keep_next=True))
    return writer.bookmark_paragraphs(contact.path, paragraphs)


def _page_of(writer: Writer, label: str) -> list:
    """Return footer runs for "Page {page} of {total}" with live Word fields."""
    out = []
    for piece in re.split(r"(\{page\}|\{total\})", label):
        if piece in ("{page}", "{total}"):
            number = element("w:r", children=[element("w:t")])
            number[0].text = "1"
            out.append(element("w:fldSimple", {"w:instr": " PAGE " if piece == "{page}" else " NUMPAGES "}, [number]))
        elif piece:
            out.append(writer.run(Run(piece)))
    return out


# How each kind of section is written: (writer, document, section, keeps with the next) -> elements.
WRITERS = {
    TITLE: _title, SUBTITLE: _title, LEAD: _lead, PARAGRAPHS: _paragraphs, PARAGRAPH: _paragraph,
    NUMBERED: _recommendations, SIGNERS: _signatories, PEOPLE: _contacts, REFERENCES: _references,
}
# The plain lines templates print, under the names they have always had (of every kind, "" where they do not apply).
LINES = ("kind_line", "date_line", "release_line", "dateline", "end_mark")
# The sections Word templates have always named, defined for every kind: an organisation's template may name
# one its kind lacks (a statement's template made from a press release's), and a strict template fails on a missing name.
EARLIER_SECTIONS = ("title", "subtitle", "summary", "body", "recommendations", "closing", "notes_to_editors", "signatories",
                "about", "contacts", "references")
