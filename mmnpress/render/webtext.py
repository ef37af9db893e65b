"""Write the render model as HTML: rich text, notes, font stacks and addresses.

Shared by the web page (`html.py`) and the email (`email.py`). A web page
links each note reference to its end note and back, with the ARIA roles
pandoc uses; an email cannot (mail clients ignore in-page anchors), so there
a note is a plain superscript number over the "Notes" list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from html import escape

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
    Block,
    Document,
    Note,
    Rich,
    Run,
    Section,
    SignatoryGroup,
    Version,
    front,
    stem,
)

# Link targets a reader may follow; others (file://, javascript:, a UNC path) print
# as text, as in the Word and PDF outputs (render/docx.py SAFE_LINK).
SAFE_LINK = re.compile(r"(?i)^(https?://|mailto:|tel:)")

# Fonts readers already have, per script: the Noto family first (Linux, Android,
# anyone who installed it), then what Windows, macOS and iOS ship.
SCRIPT_FONTS = {
    "th": ('"Noto Sans Thai"', '"Leelawadee UI"', "Tahoma", "Thonburi", "sans-serif"),
    "my": ('"Noto Sans Myanmar"', '"Myanmar Text"', '"Myanmar Sangam MN"', "Padauk", "sans-serif"),
    "km": ('"Noto Sans Khmer"', '"Khmer UI"', '"Leelawadee UI"', '"Khmer Sangam MN"', "sans-serif"),
    "lo": ('"Noto Sans Lao"', '"Leelawadee UI"', '"Lao UI"', '"Lao Sangam MN"', "sans-serif"),
    # Latin letters with stacked diacritics: fonts known to carry every Vietnamese letter
    "vi": ('"Noto Serif"', '"Times New Roman"', '"Segoe UI"', "Arial", "serif"),
}
SERIF_FALLBACK = ("Georgia", '"Times New Roman"', "serif")
SANS_FALLBACK = ('"Segoe UI"', "Helvetica", "Arial", "sans-serif")
# Languages whose scripts have no italics: a browser would only slant them (Thai, Burmese, Khmer, Lao, CJK).
UPRIGHT = ("th", "my", "km", "lo", "zh", "ja", "ko")


def font_stack(family: str, fallback: tuple[str, ...], first: tuple[str, ...] = ()) -> str:
    """Return a CSS font-family list: the `first` (embedded) faces, the profile's family, then fonts every reader has."""
    return ", ".join(dict.fromkeys((*map(_quoted, first), _quoted(family), *fallback)))


def _quoted(family: str) -> str:
    return '"' + family.replace('"', "").replace("\\", "").replace(";", "").replace("<", "") + '"'


def script_css(first=lambda family: (), selector: str = ":lang({lang})") -> str:
    """Return CSS rules giving each script its font stack, wherever its `lang` appears (`selector`, holding {lang}).

    `first(family)` names the embedded faces that go before a stack headed by `family`.
    """
    rules = []
    for lang, stack in SCRIPT_FONTS.items():
        names = (*map(_quoted, first(stack[0].strip('"'))), *stack)
        rules.append(f"{selector.replace('{lang}', lang)} {{ font-family: {', '.join(dict.fromkeys(names))}; }}")
    return "\n".join(rules)


def upright_css(selector: str) -> str:
    """Return a rule setting upright the italics of text in a language of UPRIGHT; `selector` holds {lang}."""
    return ", ".join(selector.replace("{lang}", lang) for lang in UPRIGHT) + " { font-style: normal; }"


def colours(profile) -> dict[str, str]:
    """Return the profile's colours for a style sheet: primary, accent, and the accent made readable as text."""
    return {
        "primary": readable(colour(profile.primary, "#1F4E79")),
        "accent": colour(profile.accent, "#C55A11"),
        "accent_text": readable(colour(profile.accent, "#C55A11")),
    }


def colour(value: str, default: str) -> str:
    """Return `value` when it is a #RRGGBB colour, else `default` (never raw text in CSS)."""
    return value if re.fullmatch(r"#[0-9A-Fa-f]{6}", value or "") else default


@cache
def readable(value: str, ground: str = "#FFFFFF", ratio: float = 4.5) -> str:
    """Return `value` darkened just enough for text on `ground` to reach WCAG AA contrast."""
    red, green, blue = (int(value[i:i + 2], 16) for i in (1, 3, 5))
    while _contrast((red, green, blue), ground) < ratio and (red or green or blue):
        red, green, blue = (int(c * 0.92) for c in (red, green, blue))
    return f"#{red:02X}{green:02X}{blue:02X}"


def _contrast(rgb: tuple[int, int, int], ground: str) -> float:
    lighter, darker = sorted((_luminance(rgb), _luminance(tuple(int(ground[i:i + 2], 16) for i in (1, 3, 5)))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(rgb) -> float:
    linear = [(c / 255 / 12.92) if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def page_address(document: Document, version: Version | None = None) -> str:
    """Return the address of a version's web page: the profile's pattern, or its file name beside this one."""
    version = version or Version(document.lang, stem(document))
    pattern = document.profile.page_url
    if not pattern:
        return f"{version.stem}.html"
    return pattern.replace("{stem}", version.stem).replace("{lang}", version.lang)


def safe_link(target: str | None) -> str | None:
    """Return `target` when readers may follow it, else None."""
    return target if target and SAFE_LINK.match(target) else None


@dataclass
class HtmlText:
    """Write rich text as HTML, numbering notes in order of appearance.

    `linked` notes (a web page) carry an anchor to the end note and back;
    unlinked ones (an email) are a bare superscript number.
    """

    lang: str
    linked: bool = True
    back_label: str = "Back to text"
    notes: list[str] = field(default_factory=list)

    def rich(self, rich: Rich) -> str:
        """Return the HTML of a run of inlines."""
        return "".join(self.note(i) if isinstance(i, Note) else self.run(i) for i in rich)

    def run(self, run: Run) -> str:
        """Return one run as HTML: escaped text in its formatting, link and language."""
        html = "<br>".join(escape(piece, quote=False) for piece in run.text.split("\n"))
        for flag, tag in ((run.code, "code"), (run.sup, "sup"), (run.sub, "sub"), (run.strike, "s"),
                          (run.em, "em"), (run.strong, "strong")):
            if flag:
                html = f"<{tag}>{html}</{tag}>"
        if run.smallcaps:
            html = f'<span class="smallcaps">{html}</span>'
        if run.lang and run.lang != self.lang:
            html = f'<span lang="{escape(run.lang)}">{html}</span>'
        link = safe_link(run.link)
        return f'<a href="{escape(link)}">{html}</a>' if link else html

    def note(self, note: Note) -> str:
        """Return the reference mark of a note and keep its text for the notes list."""
        number = len(self.notes) + 1
        inner = HtmlText(self.lang, self.linked, self.back_label)
        paragraphs = [inner.rich(p) for p in note.paragraphs] or [""]
        if self.linked:
            paragraphs[-1] += " " + note_backlink(number, self.back_label)
            self.notes.append("".join(f"<p>{p}</p>" for p in paragraphs))
            return note_reference(number)
        self.notes.append("".join(f"<p>{p}</p>" for p in paragraphs))
        return f"<sup>{number}</sup>"

    def block(self, block: Block | None, css_class: str = "") -> str:
        """Return a paragraph-level block: p, h2 or blockquote."""
        if block is None:
            return ""
        inner = self.rich(block.text)
        attribute = f' class="{css_class}"' if css_class else ""
        if block.style == "heading":
            return f"<h2{attribute}>{inner}</h2>"
        if block.style == "quote":
            return f"<blockquote{attribute}><p>{inner}</p></blockquote>"
        return f"<p{attribute}>{inner}</p>"

    def blocks(self, blocks) -> str:
        """Return several blocks, one after the other."""
        return "\n".join(self.block(b) for b in blocks)


def note_reference(number: int) -> str:
    """Return the superscript mark of note `number`, linked to its end note (id fn<number>) and its own target fnref<number>."""
    return f'<a href="#fn{number}" class="footnote-ref" id="fnref{number}" role="doc-noteref"><sup>{number}</sup></a>'


def note_backlink(number: int, back_label: str, target_id: str = "") -> str:
    """Return the link from end note `number` back to where it is cited; `target_id` makes the link the note's own target."""
    label = f"{escape(back_label)} {number}"
    anchor = f' id="{escape(target_id)}"' if target_id else ""
    return f'<a href="#fnref{number}"{anchor} class="footnote-back" role="doc-backlink" aria-label="{label}">\u21a9\ufe0e</a>'


def plain(text: str) -> str:
    """Escape a plain string for HTML text."""
    return escape(text, quote=False)


def heading_block(document: Document, writer: HtmlText) -> str:
    """Return the article's heading: the sections of the outline before its text (kind line, title, subtitle, date line)."""
    return _written(document, writer, front(document.outline))


def body_sections(document: Document, writer: HtmlText) -> str:
    """Return everything between the heading and the notes, in the order of the outline."""
    return _written(document, writer, document.outline[len(front(document.outline)):])


def _written(document: Document, writer: HtmlText, sections: tuple[Section, ...]) -> str:
    parts = [WRITERS[s.holds](document, writer, s) for s in sections if document.has(s)]
    return "\n".join(p for p in parts if p)


def _line(document: Document, writer: HtmlText, section: Section) -> str:
    text = plain(document.content(section))
    if section.key == "date_line":
        return f'<p class="date"><time datetime="{escape(document.date_iso)}">{text}</time></p>'
    return f'<p class="{LINE_CLASSES.get(section.key, section.key)}">{text}</p>'


def _title(document: Document, writer: HtmlText, section: Section) -> str:
    return f"<h1>{writer.rich(document.title.text)}</h1>"


def _subtitle(document: Document, writer: HtmlText, section: Section) -> str:
    return f'<p class="subtitle">{writer.rich(document.subtitle.text)}</p>'


def _lead(document: Document, writer: HtmlText, section: Section) -> str:
    return _with_lead(writer.block(document.content(section), "summary"), _dateline(section))


def _paragraphs(document: Document, writer: HtmlText, section: Section) -> str:
    blocks = [writer.block(b) for b in document.content(section)]
    lead = _dateline(section)
    if blocks and lead and blocks[0].startswith("<p>"):
        blocks[0] = _with_lead(blocks[0], lead)
    elif lead:
        blocks.insert(0, f"<p>{lead.strip()}</p>")
    return _titled(section, "\n".join(blocks))


def _paragraph(document: Document, writer: HtmlText, section: Section) -> str:
    return _titled(section, writer.block(document.content(section)))


def _references(document: Document, writer: HtmlText, section: Section) -> str:
    return _titled(section, writer.blocks(document.content(section)), "references")


def _dateline(section: Section) -> str:
    return f'<strong class="dateline">{plain(section.lead)}</strong> ' if section.lead else ""


def _with_lead(paragraph: str, lead: str) -> str:
    """Put `lead` (the dateline) at the start of a paragraph's text."""
    cut = paragraph.index(">") + 1
    return paragraph[:cut] + lead + paragraph[cut:]


def _titled(section: Section, content: str, css_class: str = "") -> str:
    """Return a section under its heading, or its content alone when it has none."""
    return _section(section.key.replace("_", "-"), section.heading, content, css_class) if section.heading else content


def _section(name: str, heading: str, content: str, css_class: str = "") -> str:
    """Return a titled section, or nothing when it has no content."""
    if not content:
        return ""
    attribute = f' class="{css_class}"' if css_class else ""
    return (f'<section{attribute} aria-labelledby="{name}-heading">\n<h2 id="{name}-heading">{plain(heading)}</h2>\n'
            f"{content}\n</section>")


def _recommendations(document: Document, writer: HtmlText, section: Section) -> str:
    """Return the introduction and the numbered list of recommendations."""
    items = "\n".join(f"<li><strong>{writer.rich(r.title)}</strong> \u2013 {writer.rich(r.text)}</li>"
                      for r in document.recommendations)
    listed = f'<ol class="recommendations">\n{items}\n</ol>' if items else ""
    return _titled(section, "\n".join(p for p in (writer.block(document.recommendations_intro), listed) if p))


def _signatories(document: Document, writer: HtmlText, section: Section) -> str:
    """Return the count line and the signing organisations: each country's under its name, or each with its country."""
    groups = document.signatory_groups or ((SignatoryGroup("", document.signatories),) if document.signatories else ())
    parts = [f'<p class="signatory-count">{plain(document.signatory_count)}</p>'] if document.signatory_count else []
    for group in groups:
        items = "\n".join(f"<li>{writer.rich(s.name)}{' (' + plain(s.country) + ')' if s.country else ''}</li>" for s in group.signatories)
        parts += [f"<h3>{plain(group.heading)}</h3>"] if group.heading else []
        parts.append(f'<ul class="signatories">\n{items}\n</ul>')
    return _titled(section, "\n".join(parts))


def _contacts(document: Document, writer: HtmlText, section: Section) -> str:
    """Return the contact block: heading (and its English version), then one entry per person."""
    heading = plain(document.contacts_heading)
    if document.contacts_heading_en:
        heading += f' <span lang="en" class="heading-en">{plain(document.contacts_heading_en)}</span>'
    people = "\n".join(f"<li>{contact(c, document.labels)}</li>" for c in document.contacts)
    return (f'<section class="contacts" aria-labelledby="contacts-heading">\n<h2 id="contacts-heading">{heading}</h2>\n'
            f'<ul class="contact-list">\n{people}\n</ul>\n</section>')


def contact(person, labels: dict[str, str]) -> str:
    """Return one person of the contact block as lines of HTML."""
    name = f"<strong>{plain(person.name)}</strong>"
    if person.name_local:
        lang = f' lang="{escape(person.name_local_lang)}"' if person.name_local_lang else ""
        name += f" (<strong{lang}>{plain(person.name_local)}</strong>)"
    lines = [name]
    if person.role:
        lines.append(plain(person.role))
    details = []
    if person.email:
        details.append(f'{plain(labels["email"])}: <a href="mailto:{escape(person.email)}">{plain(person.email)}</a>')
    if person.phones:
        phones = ", ".join(f'<a href="tel:{escape(_dialable(p))}">{plain(p)}</a>' for p in person.phones)
        details.append(f'{plain(labels["tel"])} {phones}')
    if details:
        lines.append(" \u00b7 ".join(details))
    if person.languages:
        lines.append(f'<em>{plain(labels["languages"])}: {plain(person.languages)}</em>')
    return "<br>".join(lines)


def _dialable(phone: str) -> str:
    """Return a phone number as a tel: address holds it: + and digits only."""
    return "".join(c for c in phone if c.isdigit() or c == "+")


# How each kind of section of the outline is written: (document, writer, section) -> HTML.
WRITERS = {
    LINE: _line, TITLE: _title, SUBTITLE: _subtitle, LEAD: _lead, PARAGRAPHS: _paragraphs, PARAGRAPH: _paragraph,
    NUMBERED: _recommendations, SIGNERS: _signatories, PEOPLE: _contacts, REFERENCES: _references,
}
# The class of each line's paragraph (the kind line above the title, the end mark).
LINE_CLASSES = {"kind_line": "kind", "end_mark": "end-mark"}
