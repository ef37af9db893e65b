"""Render a Document as one self-contained, accessible web page.

Everything the page needs is inside it: the style sheet in <head>, the fonts
its text is set in (cut to its characters, webfonts.py) and the logo as data
URIs. Notes are end notes linked both ways with the ARIA roles
pandoc writes (doc-noteref, doc-endnotes, doc-backlink). The head carries
schema.org NewsArticle JSON-LD, Open Graph tags and hreflang links to the
other language versions built with --with-translations. An embargoed
release that is rebuilt before its embargo ends says so at the top and asks
search engines not to index it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from html import escape
from pathlib import Path

from ..document import Document, Note, Version, plain_text, rich_texts, shorten, stem
from ..errors import RenderError
from . import DEFAULT_OPTIONS, Renderer, RenderOptions, webtext
from .webtext import HtmlText, plain

NAME = "html"
SUFFIX = ".html"
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
              ".svg": "image/svg+xml", ".webp": "image/webp"}
MAX_LOGO_BYTES = 2 * 1024 * 1024
DESCRIPTION_CHARS = 200
OG_LOCALES = {"en": "en_GB", "th": "th_TH", "my": "my_MM", "km": "km_KH", "lo": "lo_LA", "vi": "vi_VN"}
STYLE = (Path(__file__).with_name("web") / "page.css").read_text(encoding="utf-8")


def render(document: Document, now: dt.datetime | None = None, embed_fonts: bool = True) -> bytes:
    """Return the web page of `document` as UTF-8 bytes; `now` decides whether the embargo still holds.

    With `embed_fonts`, the page carries the fonts its text is set in (webfonts.py).
    """
    writer = HtmlText(document.lang, linked=True, back_label=document.labels["back_to_text"])
    article = "\n".join(p for p in (
        notice(document, now),
        webtext.heading_block(document, writer),
        webtext.body_sections(document, writer),
    ) if p)
    notes = end_notes(document, writer)
    body = f"""<body>
<header class="masthead">
{masthead(document)}
</header>
<main>
<article>
{article}
{notes}
</article>
</main>
<footer class="colophon">
{colophon(document)}
</footer>
</body>"""
    page = f"""<!DOCTYPE html>
<html lang="{escape(document.lang)}">
<head>
{head(document, now, body if embed_fonts else "")}
</head>
{body}
</html>
"""
    return page.encode("utf-8")


def embargo_holds(document: Document, now: dt.datetime | None = None) -> bool:
    """Tell whether `document` is under an embargo that has not ended yet."""
    if not document.embargo_iso:
        return False
    now = now or dt.datetime.now(dt.UTC)
    return now < dt.datetime.fromisoformat(document.embargo_iso)


def notice(document: Document, now: dt.datetime | None) -> str:
    """Return the banners above the title: the embargo while it holds, and DRAFT."""
    parts = []
    if embargo_holds(document, now):
        parts.append(f'<p class="notice embargo" role="note"><strong>{plain(document.release_line)}</strong></p>')
    if document.draft:
        parts.append(f'<p class="notice draft" role="note"><strong>{plain(document.labels["draft"])}</strong></p>')
    return "\n".join(parts)


def head(document: Document, now: dt.datetime | None, body: str = "") -> str:
    """Return the contents of <head>: title, description, robots, links, metadata and style.

    The style sheet carries the fonts the page's `body` needs; none without it.
    """
    description = describe(document)
    lines = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{plain(document.title_plain)}</title>",
        f'<meta name="description" content="{escape(description)}">',
        f'<meta name="author" content="{escape(document.profile.name)}">',
    ]
    if embargo_holds(document, now) or document.draft:
        lines.append('<meta name="robots" content="noindex">')
    if document.profile.page_url:
        lines.append(f'<link rel="canonical" href="{escape(webtext.page_address(document))}">')
    lines += [f'<link rel="alternate" hreflang="{escape(v.lang)}" href="{escape(webtext.page_address(document, v))}">'
              for v in document.versions]
    lines += open_graph(document, description)
    lines.append(f'<script type="application/ld+json">\n{json_ld_text(document)}\n</script>')
    lines.append(f"<style>\n{style(document, body)}</style>")
    return "\n".join(lines)


def describe(document: Document) -> str:
    """Return a one-paragraph description: the summary, or the first paragraph of the body."""
    first = document.summary or next((b for b in document.body if b.style == "paragraph"), None)
    return shorten(plain_text(first.text), DESCRIPTION_CHARS) if first else document.title_plain


def open_graph(document: Document, description: str) -> list[str]:
    """Return the Open Graph tags a link preview reads."""
    tags = {
        "og:type": "article",
        "og:title": document.title_plain,
        "og:description": description,
        "og:site_name": document.profile.name,
        "og:locale": OG_LOCALES.get(document.lang, document.lang.replace("-", "_")),
        "article:published_time": published(document),
    }
    if document.profile.page_url:
        tags["og:url"] = webtext.page_address(document)
    lines = [f'<meta property="{name}" content="{escape(value)}">' for name, value in tags.items()]
    lines += [f'<meta property="og:locale:alternate" content="{escape(OG_LOCALES.get(v.lang, v.lang))}">'
              for v in document.versions if v.lang != document.lang]
    return lines


def published(document: Document) -> str:
    """Return when the statement may be read: the embargo's end, else its date."""
    return document.embargo_iso or document.date_iso


def json_ld(document: Document) -> dict:
    """Return the schema.org NewsArticle describing the statement."""
    profile = document.profile
    organisation = {"@type": "Organization", "name": profile.name}
    if profile.website:
        organisation["url"] = profile.website if "://" in profile.website else f"https://{profile.website}"
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": webtext.page_address(document),
        "url": webtext.page_address(document),
        "headline": shorten(document.title_plain, 110),
        "name": document.title_plain,
        "dateline": document.dateline.rstrip(" \u2014") or (document.date_line if document.place else ""),
        "datePublished": published(document),
        "dateCreated": document.date_iso,
        "inLanguage": document.lang,
        "author": organisation,
        "publisher": organisation,
        "description": describe(document),
        "isAccessibleForFree": True,
    }
    if document.subtitle:
        data["alternativeHeadline"] = plain_text(document.subtitle.text).strip()
    citations = citation_list(document)
    if citations:
        data["citation"] = citations
    original = document.translation_of
    if original:
        data["translationOfWork"] = _work(document, original)
    translations = [v for v in document.versions if v.stem != stem(document) and not _is(original, v)]
    if translations and original is None:
        data["workTranslation"] = [_work(document, v) for v in translations]
    return {k: v for k, v in data.items() if v != ""}


def _is(version: Version | None, other: Version) -> bool:
    return version is not None and version.stem == other.stem


def _work(document: Document, version: Version) -> dict:
    return {"@type": "NewsArticle", "@id": webtext.page_address(document, version), "inLanguage": version.lang}


def citation_list(document: Document) -> list[str]:
    """Return the works the statement cites: its reference list, or the text of its notes."""
    if document.references:
        return [plain_text(b.text).strip() for b in document.references]
    return [" ".join(plain_text(p) for p in note.paragraphs).strip() for note in _notes(document)]


def _notes(document: Document):
    for block_text in rich_texts(document):
        yield from (i for i in block_text if isinstance(i, Note))


def json_ld_text(document: Document) -> str:
    """Return the JSON-LD, safe inside a <script> element."""
    text = json.dumps(json_ld(document), ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def style(document: Document, body: str = "") -> str:
    """Return the page's style sheet: the fonts `body` needs, the profile's colours and the font stacks."""
    profile = document.profile
    first, font_faces = (lambda family: ()), ""
    if body:
        from . import webfonts  # here, so that reading the registry loads no font code (lxml)

        faces = webfonts.faces(document.lang, body, profile.body_font, profile.heading_font)
        first, font_faces = faces.before, faces.css
    values = {
        **webtext.colours(profile),
        "body_fonts": webtext.font_stack(profile.body_font, webtext.SERIF_FALLBACK, first(profile.body_font)),
        "heading_fonts": webtext.font_stack(profile.heading_font, webtext.SANS_FALLBACK, first(profile.heading_font)),
        "script_fonts": webtext.script_css(first),
        "upright": webtext.upright_css(":lang({lang})"),
        "font_faces": font_faces,
    }
    css = STYLE
    for key, value in values.items():
        css = css.replace("{" + key + "}", value)
    return css


def masthead(document: Document) -> str:
    """Return the organisation's logo (as a data URI) and name."""
    name = plain(document.profile.name)
    logo = logo_uri(document.profile.logo)
    image = f'<img class="logo" src="{logo}" alt="" width="64" height="64"> ' if logo else ""
    return f'<p class="organisation">{image}<span>{name}</span></p>'


def logo_uri(logo: str | None) -> str:
    """Return the logo file as a data: URI, or "" when there is none."""
    if not logo:
        return ""
    path = Path(logo)
    kind = LOGO_TYPES.get(path.suffix.lower())
    if kind is None:
        raise RenderError(f"logo must be one of {', '.join(LOGO_TYPES)}: {path}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RenderError(f"cannot read logo {path}: {error.strerror}") from None
    if len(data) > MAX_LOGO_BYTES:
        raise RenderError(f"logo {path.name} is over {MAX_LOGO_BYTES // 2**20} MiB; a web page carries it inside")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def end_notes(document: Document, writer: HtmlText) -> str:
    """Return the end notes, each linked back to where it is cited."""
    if not writer.notes:
        return ""
    items = "\n".join(f'<li id="fn{n}">{text}</li>' for n, text in enumerate(writer.notes, 1))
    heading = plain(document.labels["notes"])
    return (f'<section id="footnotes" class="footnotes" role="doc-endnotes" aria-labelledby="notes-heading">\n'
            f'<h2 id="notes-heading">{heading}</h2>\n<ol>\n{items}\n</ol>\n</section>')


def colophon(document: Document) -> str:
    """Return the footer: organisation, address and website."""
    profile = document.profile
    parts = [plain(profile.name)]
    if profile.address:
        parts.append(plain(profile.address))
    if profile.website:
        url = profile.website if "://" in profile.website else f"https://{profile.website}"
        link = webtext.safe_link(url)
        parts.append(f'<a href="{escape(link)}">{plain(profile.website)}</a>' if link else plain(profile.website))
    return "<p>" + " \u00b7 ".join(parts) + "</p>"


class HtmlRenderer(Renderer):
    """Render documents as self-contained web pages."""

    name, suffix, warm = NAME, SUFFIX, ("mmnpress.render.html", "mmnpress.render.webfonts", "fontTools.ttLib")

    def render(self, document: Document, template_dir: Path, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
        """Return the web page of `document` (without its fonts when options say so)."""
        return render(document, embed_fonts=options.embed_fonts)


RENDERER = HtmlRenderer
