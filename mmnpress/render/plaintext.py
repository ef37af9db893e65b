"""Write the render model as plain text: what an email's text part and a ninjs text body hold.

Notes are numbered [1], [2]... in the text and listed at the end; links are
written out after their text; headings of scripts with capitals are upper case.
"""

from __future__ import annotations

from ..document import Contact, Document, Note, Rich, Run, SignatoryGroup, plain_text
from . import webtext


def document_text(document: Document) -> str:
    """Return the message as plain text: notes as [1] with a list at the end, links written out."""
    writer = _PlainText()
    labels = document.labels
    lines = [document.release_line, writer.rich(document.title.text).upper() if _cased(document) else writer.rich(document.title.text)]
    if document.subtitle:
        lines.append(writer.rich(document.subtitle.text))
    if not document.dateline:
        lines.append(f"{document.place}, {document.date_text}" if document.place else document.date_text)
    lines.append("")
    lead = f"{document.dateline} " if document.dateline else ""
    for block in [document.summary, *document.body]:
        if block is None:
            continue
        text = writer.rich(block.text)
        if block.style == "heading":
            lines += [text.upper() if _cased(document) else text, ""]
            continue
        lines += [("    " if block.style == "quote" else "") + lead + text, ""]
        lead = ""
    lines += _recommendations(document, writer)
    lines += [line for block in document.closing for line in (writer.rich(block.text), "")]
    if document.end_mark:
        lines += [document.end_mark, ""]
    lines += _section(labels["notes_to_editors"], [writer.rich(b.text) for b in document.notes_to_editors])
    lines += _section(labels["signed_by"], _signatories(document, writer))
    about = labels["about"].replace("{name}", document.profile.short_name).replace("{short_name}", document.profile.short_name)
    lines += _section(about, [writer.rich(document.about.text)] if document.about else [])
    lines += _contacts(document)
    lines += _section(labels["references"], [plain_text(b.text) for b in document.references])
    lines += _section(labels["notes"], [f"[{n}] {text}" for n, text in enumerate(writer.notes, 1)])
    if document.profile.page_url:
        lines += [f"{labels['read_online']}: {webtext.page_address(document)}", ""]
    lines += ["--", " \u00b7 ".join(p for p in (document.profile.name, document.profile.address, document.profile.website) if p)]
    return "\n".join(line for line in lines if line is not None).strip() + "\n"


def _cased(document: Document) -> bool:
    return document.lang.split("-")[0] in ("en", "vi")


def _recommendations(document: Document, writer: _PlainText) -> list[str]:
    lines = [writer.rich(document.recommendations_intro.text), ""] if document.recommendations_intro else []
    for number, item in enumerate(document.recommendations, 1):
        lines += [f"{number}. {writer.rich(item.title)} \u2013 {writer.rich(item.text)}", ""]
    return lines


def _signatories(document: Document, writer) -> list[str]:
    """Return the count line, then a paragraph per group: its country, then a line per signatory."""
    groups = document.signatory_groups or ((SignatoryGroup("", document.signatories),) if document.signatories else ())
    paragraphs = [document.signatory_count] if document.signatory_count else []
    for group in groups:
        names = ["- " + writer.rich(s.name) + (f" ({s.country})" if s.country else "") for s in group.signatories]
        paragraphs.append("\n".join(([group.heading] if group.heading else []) + names))
    return paragraphs


def _section(heading: str, paragraphs: list[str]) -> list[str]:
    if not paragraphs:
        return []
    lines = [heading.upper() if heading.isascii() else heading, ""]
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    return lines


def _contacts(document: Document) -> list[str]:
    if not document.contacts:
        return []
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
