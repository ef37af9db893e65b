"""Write the render model as WordPress block-editor markup, so an editor can still change the post in WordPress.

Each part of the statement becomes the block the editor itself would save:
paragraphs, headings, quotes (with their paragraphs inside), the numbered
recommendations as an ordered list of list items, signatories as a list,
contacts and About under their headings, the links to the PDF and to the
other language versions. Notes are end notes linked both ways, as on the web
page (WordPress 6.1 has no footnotes block): the superscript mark links to
the note's back link, which opens the note and links back to the mark.
Rich text is written by the web page's own writer (`render.webtext`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape

from ..document import Block, Document, Note
from ..render import webtext
from ..render.webtext import HtmlText, plain


@dataclass(frozen=True)
class Link:
    """A link the post carries at its end: a file to download, or another language version."""

    text: str
    url: str
    lang: str = ""


@dataclass(frozen=True)
class Extras:
    """What the post adds to the statement: its files and its other language versions."""

    downloads: tuple[Link, ...] = ()
    versions: tuple[Link, ...] = ()
    site_lang: str = ""  # the site's language; text in another one is marked with `lang`


class NoteText(HtmlText):
    """Write rich text with each note's text kept for an end note of the block editor's list."""

    def note(self, note: Note) -> str:
        """Return the note's linked mark; keep its paragraphs, separated by line breaks, for the notes list."""
        number = len(self.notes) + 1
        inner = HtmlText(self.lang, linked=False)
        self.notes.append("<br>".join(inner.rich(p) for p in note.paragraphs))
        return webtext.note_reference(number)


def post_content(document: Document, extras: Extras = Extras()) -> str:
    """Return the post's content: every part of the statement as blocks, in the order of the other outputs."""
    writer = NoteText(document.lang, back_label=document.labels["back_to_text"])
    marked = _language_marker(document, extras)
    blocks = [*_opening(document, writer), *_recommendations(document, writer)]
    blocks += [_block(b, writer) for b in document.closing]
    if document.end_mark:
        blocks.append(paragraph(plain(document.end_mark)))
    blocks += _section(document.labels["notes_to_editors"], [_block(b, writer) for b in document.notes_to_editors])
    blocks += _signatories(document, writer)
    about = document.labels["about"].replace("{name}", document.profile.short_name).replace("{short_name}", document.profile.short_name)
    blocks += _section(about, [_block(document.about, writer)] if document.about else [])
    blocks += _contacts(document)
    blocks += _section(document.labels["references"], [_block(b, writer) for b in document.references])
    blocks += [paragraph(f'<a href="{escape(link.url)}">{plain(link.text)}</a>') for link in extras.downloads]
    blocks += _versions(document, extras)
    blocks += _end_notes(document, writer)
    return "\n\n".join(marked(b) for b in blocks if b)


def _opening(document: Document, writer: NoteText) -> list[str]:
    """Return the subtitle, the summary and the body; the dateline of a press release starts the first paragraph."""
    blocks = [paragraph(writer.rich(document.subtitle.text), "subtitle")] if document.subtitle else []
    lead = f"<strong>{plain(document.dateline)}</strong> " if document.dateline else ""
    for block in (document.summary, *document.body):
        if block is None:
            continue
        if lead and block.style == "paragraph":
            blocks.append(paragraph(lead + writer.rich(block.text)))
            lead = ""
        else:
            blocks.append(_block(block, writer))
    if lead:
        blocks.insert(1 if document.subtitle else 0, paragraph(lead.strip()))
    return blocks


def _recommendations(document: Document, writer: NoteText) -> list[str]:
    items = [f"<strong>{writer.rich(r.title)}</strong> \u2013 {writer.rich(r.text)}" for r in document.recommendations]
    intro = [_block(document.recommendations_intro, writer)] if document.recommendations_intro else []
    return intro + ([list_block(items, ordered=True)] if items else [])


def _signatories(document: Document, writer: NoteText) -> list[str]:
    items = [writer.rich(s.name) + (f" ({plain(s.country)})" if s.country else "") for s in document.signatories]
    return _section(document.labels["signed_by"], [list_block(items)] if items else [])


def _contacts(document: Document) -> list[str]:
    heading = plain(document.contacts_heading)
    if document.contacts_heading_en:
        heading += f' <span lang="en">{plain(document.contacts_heading_en)}</span>'
    people = [paragraph(webtext.contact(person, document.labels)) for person in document.contacts]
    return [paragraph(f"<strong>{heading}</strong>"), *people] if people else []  # a sentence, not a title: a theme's h2 shouts it


def _versions(document: Document, extras: Extras) -> list[str]:
    """Return "Also in: ไทย · မြန်မာ", each name linked to its post and marked with its language."""
    if not extras.versions:
        return []
    links = " \u00b7 ".join(f'<a href="{escape(v.url)}" hreflang="{escape(v.lang)}" lang="{escape(v.lang)}">{plain(v.text)}</a>'
                            for v in extras.versions)
    return [paragraph(f"{plain(document.labels['also_in'])} {links}", "also-in")]


def _end_notes(document: Document, writer: NoteText) -> list[str]:
    """Return the Notes heading and list; each note opens with its back link, which is also the mark's target."""
    if not writer.notes:
        return []
    items = [webtext.note_backlink(n, writer.back_label, target_id=f"fn{n}") + " " + text for n, text in enumerate(writer.notes, 1)]
    return [heading_block(plain(document.labels["notes"]), anchor="notes"), list_block(items, ordered=True, css_class="footnotes")]


def _section(heading: str, blocks: list[str]) -> list[str]:
    blocks = [b for b in blocks if b]
    return [heading_block(plain(heading)), *blocks] if blocks else []


def _block(block: Block | None, writer: NoteText) -> str:
    """Return a paragraph-level block of the model as a paragraph, heading or quote block."""
    if block is None:
        return ""
    inner = writer.rich(block.text)
    if block.style == "heading":
        return heading_block(inner)
    if block.style == "quote":
        return delimited("quote", f'<blockquote class="wp-block-quote">{paragraph(inner)}</blockquote>')
    return paragraph(inner)


def _language_marker(document: Document, extras: Extras):
    """Return what marks a block's text with the statement's language when the site speaks another one."""
    site = extras.site_lang.replace("_", "-").split("-")[0].lower()
    if not site or site == document.lang.split("-")[0].lower():
        return lambda block: block
    return lambda block: mark_language(block, document.lang)


def mark_language(block: str, lang: str) -> str:
    """Wrap the text of every paragraph, heading and list item of `block` in a span with `lang`."""
    return re.sub(r"(<(p|h2|li)(?: [^>]*)?>)(.*?)(</\2>)", lambda m: f'{m[1]}<span lang="{escape(lang)}">{m[3]}</span>{m[4]}', block,
                  flags=re.S)


def delimited(name: str, html: str, attributes: dict | None = None) -> str:
    """Return `html` between the block comments of block `name` (core blocks by their short name)."""
    attrs = f" {json.dumps(attributes, ensure_ascii=False, separators=(',', ':'))}" if attributes else ""
    return f"<!-- wp:{name}{attrs} -->\n{html}\n<!-- /wp:{name} -->"


def paragraph(inner: str, css_class: str = "") -> str:
    """Return a paragraph block holding rich-text HTML."""
    if css_class:
        return delimited("paragraph", f'<p class="{escape(css_class)}">{inner}</p>', {"className": css_class})
    return delimited("paragraph", f"<p>{inner}</p>")


def heading_block(inner: str, anchor: str = "") -> str:
    """Return a level-2 heading block (WordPress's default level)."""
    attribute = f' id="{escape(anchor)}"' if anchor else ""
    return delimited("heading", f"<h2{attribute}>{inner}</h2>")


def list_block(items: list[str], ordered: bool = False, css_class: str = "") -> str:
    """Return a list block of list-item blocks, as WordPress 6.1's editor saves one."""
    tag = "ol" if ordered else "ul"
    inner = "\n\n".join(delimited("list-item", f"<li>{item}</li>") for item in items)
    attributes = {**({"ordered": True} if ordered else {}), **({"className": css_class} if css_class else {})}
    classes = f' class="{escape(css_class)}"' if css_class else ""
    return delimited("list", f"<{tag}{classes}>{inner}</{tag}>", attributes or None)
