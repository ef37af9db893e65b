"""Write the render model as plain text: what an email's text part and a ninjs text body hold.

Notes are numbered [1], [2]... in the text and listed at the end; links are
written out after their text; headings of scripts with capitals are upper case.
"""

from __future__ import annotations

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
    Note,
    Rich,
    Run,
    Section,
    SignatoryGroup,
    front,
    plain_text,
)
from . import webtext


def document_text(document: Document) -> str:
    """Return the message as plain text: notes as [1] with a list at the end, links written out."""
    writer = _PlainText()
    labels = document.labels
    opening = front(document.outline)
    lines = [line for s in opening if document.has(s) for line in WRITERS[s.holds](document, writer, s)] + [""]
    for section in document.outline[len(opening):]:
        if document.has(section):
            lines += WRITERS[section.holds](document, writer, section)
    lines += _titled(labels["notes"], [f"[{n}] {text}" for n, text in enumerate(writer.notes, 1)])
    if document.profile.page_url:
        lines += [f"{labels['read_online']}: {webtext.page_address(document)}", ""]
    lines += ["--", " \u00b7 ".join(p for p in (document.profile.name, document.profile.address, document.profile.website) if p)]
    return "\n".join(lines).strip() + "\n"


def _cased(document: Document) -> bool:
    return document.lang.split("-")[0] in ("en", "vi")


def _line(document: Document, writer: _PlainText, section: Section) -> list[str]:
    return [document.content(section)] + ([""] if section.key == "end_mark" else [])


def _title(document: Document, writer: _PlainText, section: Section) -> list[str]:
    text = writer.rich(document.content(section).text)
    return [text.upper() if section.holds == TITLE and _cased(document) else text]


def _paragraphs(document: Document, writer: _PlainText, section: Section) -> list[str]:
    content = document.content(section)
    lines, lead = [], f"{section.lead} " if section.lead else ""
    for block in content if isinstance(content, tuple) else (content,):
        text = writer.rich(block.text)
        if block.style == "heading":
            lines += [text.upper() if _cased(document) else text, ""]
            continue
        lines += [("    " if block.style == "quote" else "") + lead + text, ""]
        lead = ""
    return _titled(section.heading, lines, spaced=False)


def _recommendations(document: Document, writer: _PlainText, section: Section) -> list[str]:
    lines = [writer.rich(document.recommendations_intro.text), ""] if document.recommendations_intro else []
    for number, item in enumerate(document.recommendations, 1):
        lines += [f"{number}. {writer.rich(item.title)} \u2013 {writer.rich(item.text)}", ""]
    return _titled(section.heading, lines, spaced=False)


def _signatories(document: Document, writer: _PlainText, section: Section) -> list[str]:
    """Return the count line, then a paragraph per group: its country, then a line per signatory."""
    groups = document.signatory_groups or ((SignatoryGroup("", document.signatories),) if document.signatories else ())
    paragraphs = [document.signatory_count] if document.signatory_count else []
    for group in groups:
        names = ["- " + writer.rich(s.name) + (f" ({s.country})" if s.country else "") for s in group.signatories]
        paragraphs.append("\n".join(([group.heading] if group.heading else []) + names))
    return _titled(section.heading, paragraphs)


def _references(document: Document, writer: _PlainText, section: Section) -> list[str]:
    return _titled(section.heading, [plain_text(b.text) for b in document.references])


def _titled(heading: str, paragraphs: list[str], spaced: bool = True) -> list[str]:
    """Return paragraphs under a heading (upper case in scripts with capitals), each followed by an empty line unless `spaced` is off."""
    if not paragraphs:
        return []
    lines = [heading.upper() if heading.isascii() else heading, ""] if heading else []
    for paragraph in paragraphs:
        lines += [paragraph, ""] if spaced else [paragraph]
    return lines


def _contacts(document: Document, writer: _PlainText, section: Section) -> list[str]:
    heading = document.contacts_heading + (f" / {document.contacts_heading_en}" if document.contacts_heading_en else "")
    lines = [heading, ""]
    for person in document.contacts:
        lines += [*_contact_lines(person, document.labels), ""]
    return lines


def _contact_lines(person: Contact, labels: dict[str, str]) -> list[str]:
    lines = [person.name + (f" ({person.name_local})" if person.name_local else "")]
    if person.role:
        lines.append(person.role)
    if person.email:
        lines.append(f"{labels['email']}: {person.email}")
    if person.phones:
        lines.append(f"{labels['tel']} {', '.join(person.phones)}")
    if person.languages:
        lines.append(f"{labels['languages']}: {person.languages}")
    return lines


class _PlainText:
    """Write rich text as plain text, numbering notes [1], [2]... in order."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def rich(self, rich: Rich) -> str:
        return "".join(self.note(i) if isinstance(i, Note) else self.run(i) for i in rich).strip()

    def run(self, run: Run) -> str:
        link = webtext.safe_link(run.link)
        if not link:
            return run.text
        shown = link.removeprefix("mailto:").removeprefix("tel:")
        return run.text if run.text.strip() in (link, shown) else f"{run.text} <{shown}>"

    def note(self, note: Note) -> str:
        inner = _PlainText()
        self.notes.append(" ".join(inner.rich(p) for p in note.paragraphs))
        return f"[{len(self.notes)}]"


# How each kind of section of the outline is written: (document, writer, section) -> lines.
WRITERS = {
    LINE: _line, TITLE: _title, SUBTITLE: _title, LEAD: _paragraphs, PARAGRAPHS: _paragraphs, PARAGRAPH: _paragraphs,
    NUMBERED: _recommendations, SIGNERS: _signatories, PEOPLE: _contacts, REFERENCES: _references,
}
