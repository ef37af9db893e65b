"""Render a Document as a MIME message ready to open in a mail program and send.

The message is multipart/alternative: a plain-text part readable on its own
(notes as [1], links written out) and an HTML part made for mail clients: a
600-pixel single-column table, every style inlined by css-inline (Gmail
drops <style> outside <head> and clips messages past about 102 KB), no web
fonts, scripts or in-page anchors (iOS Mail, the Gmail apps and Outlook
ignore them), so notes are superscript numbers over a "Notes" list. The
web page's embedded fonts (webfonts.py) stay out: they would double a
Burmese message towards that limit, and most mail programs would drop them;
the font stacks name the fonts readers' systems have. Text in a script
without italics (webtext.UPRIGHT) is upright, as on the web page.

Each part takes the shorter transfer encoding, measured on the part: 7bit
for ASCII, quoted-printable for mostly Latin text, base64 for Thai, Burmese,
Khmer and Lao (quoted-printable triples their size; 8bit would be smaller
still but needs every relay on the way to speak 8BITMIME).
`X-Unsent: 1` makes Outlook open the file as a draft to send.
"""

from __future__ import annotations

import hashlib
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ..document import Document
from . import DEFAULT_OPTIONS, Renderer, RenderOptions, webtext
from .plaintext import document_text
from .webtext import HtmlText, plain

if TYPE_CHECKING:
    from email.header import Header
    from email.mime.nonmultipart import MIMENonMultipart

NAME = "email"
SUFFIX = ".eml"
STYLE = (Path(__file__).with_name("web") / "mail.css").read_text(encoding="utf-8")
MAX_LINE = 998  # octets per line in a 7bit part (RFC 5322)


def render(document: Document) -> bytes:
    """Return `document` as an RFC 5322 message (bytes, CRLF line ends)."""
    from email.mime.multipart import MIMEMultipart
    from email.policy import compat32

    text, html = document_text(document), html_part(document)
    boundary = "mmnpress-" + hashlib.sha256((text + html).encode("utf-8")).hexdigest()[:32]
    message = MIMEMultipart("alternative", boundary=boundary)
    if document.profile.press_email:
        message["From"] = sender(document.profile.name, document.profile.press_email)
    message["Subject"] = encoded_header(subject(document), "Subject")
    message["Content-Language"] = document.lang
    message["X-Unsent"] = "1"
    message.attach(text_mime(text, "plain"))
    message.attach(text_mime(html, "html"))
    return message.as_bytes(policy=compat32.clone(linesep="\r\n"))


def encoded_header(value: str, name: str) -> str | Header:
    """Return a header value, as base64 encoded words when it is not ASCII.

    `email.header.Header` rather than the newer header registry, which takes
    60 ms to fold a Thai subject; base64 rather than Q encoding, whose length
    `email` measures character by character (17 ms for one English subject).
    """
    from email.header import Header

    if value.isascii() and _foldable(value, name):
        return value
    return Header(value, _utf8_base64(), maxlinelen=76, header_name=name)


def _utf8_base64():
    """Return the UTF-8 charset with base64 encoded words."""
    from email.charset import BASE64, Charset

    charset = Charset("utf-8")
    charset.header_encoding = BASE64
    return charset


def _foldable(value: str, name: str) -> bool:
    """Tell whether folding `value` at its spaces keeps every line of the header within 998 octets."""
    return len(name) + 2 + max(map(len, value.split()), default=0) <= MAX_LINE


def sender(name: str, address: str) -> str | Header:
    """Return the From header: the organisation's name (encoded words when it is not short ASCII words) and its address.

    The profile has checked both to be single lines, the address ASCII.
    """
    from email.header import Header
    from email.utils import formataddr

    if name.isascii() and _foldable(name, "From"):
        return formataddr((name, address))
    header = Header(name, _utf8_base64(), maxlinelen=76, header_name="From")
    header.append(f"<{address}>", "us-ascii")
    return header


def text_mime(content: str, subtype: str) -> MIMENonMultipart:
    """Return a UTF-8 text part in the shorter of quoted-printable and base64 (7bit when it can be)."""
    import base64
    import binascii
    from email.mime.nonmultipart import MIMENonMultipart

    data = content.encode("utf-8")
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    if data.isascii() and max(map(len, data.splitlines()), default=0) <= MAX_LINE:
        encoding, payload = "7bit", content
    else:
        quoted = binascii.b2a_qp(data, istext=True).decode("ascii")
        based = base64.encodebytes(data).decode("ascii")
        encoding, payload = ("base64", based) if len(based) < len(quoted) else ("quoted-printable", quoted)
    part["Content-Transfer-Encoding"] = encoding
    part.set_payload(payload)
    return part


def subject(document: Document) -> str:
    """Return the headline, after the embargo line when the release is embargoed."""
    title = " ".join(document.title_plain.split())
    return f"{document.release_line}: {title}" if document.embargo_iso else title


def html_part(document: Document) -> str:
    """Return the HTML part, with every style inlined."""
    import css_inline

    writer = HtmlText(document.lang, linked=False)
    content = "\n".join(p for p in (
        webtext.heading_block(document, writer),
        webtext.body_sections(document, writer),
        notes(document, writer),
    ) if p)
    page = f"""<!DOCTYPE html>
<html lang="{escape(document.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{plain(document.title_plain)}</title>
<style>{style(document)}</style>
</head>
<body class="mail">
<table role="presentation" class="outer" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center">
<table role="presentation" class="sheet" width="600" cellpadding="0" cellspacing="0" border="0">
<tr><td class="masthead">{plain(document.profile.name)}</td></tr>
{read_online(document)}<tr><td class="content">
{content}
</td></tr>
<tr><td class="colophon">{colophon(document)}</td></tr>
</table>
</td></tr></table>
</body>
</html>
"""
    return css_inline.inline(page, keep_style_tags=False, load_remote_stylesheets=False)


def style(document: Document) -> str:
    """Return the mail style sheet with the profile's colours and the document's fonts filled in."""
    profile = document.profile
    values = {
        **webtext.colours(profile),
        "body_fonts": _stack(document.lang, webtext.font_stack(profile.body_font, webtext.SERIF_FALLBACK)),
        "heading_fonts": _stack(document.lang, webtext.font_stack(profile.heading_font, webtext.SANS_FALLBACK)),
        "script_fonts": "\n".join(f'[lang="{lang}"] {{ font-family: {", ".join(stack)}; }}'
                                  for lang, stack in webtext.SCRIPT_FONTS.items() if lang != document.lang),
        # css-inline matches no :lang(); the lang attributes of the element or an ancestor stand in for it
        "upright": webtext.upright_css('[lang|="{lang}"] .subtitle, .subtitle [lang|="{lang}"], [lang|="{lang}"] em, em[lang|="{lang}"]'),
    }
    css = STYLE
    for key, value in values.items():
        css = css.replace("{" + key + "}", value)
    return css


def _stack(lang: str, latin: str) -> str:
    """Return the font stack of the document's language (its script's fonts first)."""
    script = webtext.SCRIPT_FONTS.get(lang)
    return ", ".join((*script[:-1], latin)) if script else latin


def read_online(document: Document) -> str:
    """Return the row linking to the web page, when the profile says where pages are published."""
    if not document.profile.page_url:
        return ""
    address = escape(webtext.page_address(document))
    return f'<tr><td class="read-online"><a href="{address}">{plain(document.labels["read_online"])}</a></td></tr>\n'


def notes(document: Document, writer: HtmlText) -> str:
    """Return the notes as a numbered list under a heading (no anchors: mail clients ignore them)."""
    if not writer.notes:
        return ""
    items = "\n".join(f"<li>{text}</li>" for text in writer.notes)
    return f'<h2 class="notes-heading">{plain(document.labels["notes"])}</h2>\n<ol class="notes">\n{items}\n</ol>'


def colophon(document: Document) -> str:
    """Return the footer: organisation, address, website."""
    profile = document.profile
    return " \u00b7 ".join(plain(p) for p in (profile.name, profile.address, profile.website) if p)


class EmailRenderer(Renderer):
    """Render documents as email messages ready to send."""

    name, suffix, warm = NAME, SUFFIX, ("css_inline", "email.mime.multipart", "mmnpress.render.email")

    def render(self, document: Document, template_dir: Path, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
        """Return `document` as a MIME message."""
        return render(document)


RENDERER = EmailRenderer
