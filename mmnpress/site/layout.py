"""The frame of every page of the site: head, header with navigation and language switcher, footer.

Links between pages are relative (`../../2017/x/index.html`), so the site
works from any folder of any host and from the file system; only canonical
links, feeds and the sitemap use the base URL, when there is one.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from types import MappingProxyType
from urllib.parse import quote

from .. import i18n
from ..render.webtext import plain
from .settings import Site

KIND_FOLDERS = {"statement": "statements", "press-release": "press-releases", "position-paper": "position-papers"}
KIND_LABELS = {"statement": "statements", "press-release": "press_releases", "position-paper": "position_papers"}
STYLESHEET = "assets/site.css"


def link(from_page: str, to_path: str) -> str:
    """Return the relative address of site path `to_path` seen from the page at site path `from_page`, URL-quoted.

    Both are paths inside the site (no "..", no leading "/"), so the address
    is worked out from their parts alone, without asking the file system.
    """
    start = [part for part in posixpath.dirname(from_page).split("/") if part]
    target = [part for part in to_path.split("/") if part]
    common = 0
    while common < min(len(start), len(target)) and start[common] == target[common]:
        common += 1
    relative = "/".join([".."] * (len(start) - common) + target[common:]) or "."
    return quote(relative, safe="/#-._~")


def absolute(site: Site, path: str) -> str:
    """Return the address of site path `path` under the base URL (folders end in /), or "" without one."""
    if not site.base_url:
        return ""
    path = path.removesuffix("index.html")
    return f"{site.base_url}/{quote(path, safe='/-._~')}"


@dataclass
class Frame:
    """What frames one page: where it lives, its language, and the languages to switch to."""

    site: Site
    page: str  # its site path, e.g. "2017/x/index.html"
    lang: str
    switch: list[tuple[str, str]] = field(default_factory=list)  # (language, site path) of the other versions
    kinds: tuple[str, ...] = ()  # the kinds the site has, for the navigation

    @property
    def labels(self) -> Mapping[str, str]:
        """Return the labels in the page's language."""
        return labels_in(self.lang)

    def to(self, path: str) -> str:
        """Return the escaped relative address of site path `path` from this page."""
        return escape(link(self.page, path))


@functools.lru_cache(maxsize=64)
def labels_in(lang: str) -> Mapping[str, str]:
    """Return the labels in `lang`, read once for all the pages (the catalogs are part of the installed tool)."""
    return MappingProxyType(i18n.labels(lang).text)


def page(frame: Frame, title: str, main: str, head: str = "", style: str = "") -> bytes:
    """Return a whole page: `main` inside the site's frame, `head` and `style` added to its head."""
    site, labels = frame.site, frame.labels
    canonical = absolute(site, frame.page)
    lines = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f'<link rel="stylesheet" href="{frame.to(STYLESHEET)}">',
        f'<link rel="alternate" type="application/atom+xml" title="{escape(site.name)}" href="{frame.to("feed.xml")}">',
    ]
    if site.logo is not None:
        lines.append(f'<link rel="icon" href="{frame.to(logo_path(site))}">')
    if canonical:
        lines.append(f'<link rel="canonical" href="{escape(canonical)}">')
    if head:
        lines.append(head)
    skip = f'<a class="skip" href="#content">{plain(labels["skip_to_content"])}</a>'
    header = f'<header class="site-header">\n{_brand(frame)}\n{_navigation(frame)}\n{_switcher(frame)}\n</header>'
    footer = f'<footer class="site-footer">\n<p>{escape(site.name)}</p>\n</footer>'
    frame_text = _ADDRESSES.sub("", skip + header + footer)  # the same for every page in a language: made once
    lines.append(f"<style>\n{style}{frame_style(frame.lang, frame_text, site.body_font, site.heading_font)}</style>")
    body = f"""<body class="site">
{skip}
{header}
<main id="content">
{main}
</main>
{footer}
</body>"""
    return f'<!DOCTYPE html>\n<html lang="{escape(frame.lang)}">\n<head>\n' + "\n".join(lines) + f"\n</head>\n{body}\n</html>\n"


FRAME_FACES = "mmnpress frame "  # the names of the frame's own embedded faces
_ADDRESSES = re.compile(r'\s(?:href|src)="[^"]*"')


@functools.lru_cache(maxsize=64)
def frame_style(lang: str, frame_html: str, body_font: str, heading_font: str) -> str:
    """Return the style of the frame (skip link, header, footer: `frame_html`) of a page in `lang`: faces of its own, cut to its characters.

    What the frame holds carries the faces its own text needs; the frame's
    words (the navigation, the other languages' names in the switcher) may
    need others, which a reader without those scripts would see as boxes.
    """
    from ..render import webfonts
    from ..render.webtext import SANS_FALLBACK, SERIF_FALLBACK, font_stack, script_css

    faces = webfonts.faces(lang, frame_html, body_font, heading_font, prefix=FRAME_FACES)
    heading = font_stack(heading_font, SANS_FALLBACK, faces.before(heading_font))
    body = font_stack(body_font, SERIF_FALLBACK, faces.before(body_font))
    tagged = ", ".join(f"{part}:lang({{lang}}), {part} :lang({{lang}})" for part in (".skip", ".site-header", ".site-footer"))
    return (f"{faces.css}.skip, .site-header {{ font-family: {heading}; }}\n.site-footer {{ font-family: {body}; }}\n"
            f"{script_css(faces.before, tagged)}\n")


def _brand(frame: Frame) -> str:
    logo = ""
    if frame.site.logo is not None:
        logo = f'<img class="site-logo" src="{frame.to(logo_path(frame.site))}" alt="" width="48" height="48">'
    home = frame.to("index.html")
    return f'<p class="site-name"><a href="{home}">{logo}<span>{escape(frame.site.name)}</span></a></p>'


def logo_path(site: Site) -> str:
    """Return the site path of the logo."""
    return "assets/logo" + site.logo.suffix.lower()


def _navigation(frame: Frame) -> str:
    labels = frame.labels
    items = [(labels[KIND_LABELS[kind]], frame.to(f"{KIND_FOLDERS[kind]}/index.html")) for kind in frame.kinds]
    items.append((labels["search"], frame.to("search/index.html")))
    items += [(label, escape(url)) for label, url in frame.site.navigation]
    links = "\n".join(f'<li><a href="{href}">{escape(label)}</a></li>' for label, href in items)
    return f'<nav class="site-nav" aria-label="{escape(frame.site.name)}">\n<ul>\n{links}\n</ul>\n</nav>'


def _switcher(frame: Frame) -> str:
    """Return the links to the same page in the other languages that exist."""
    if not frame.switch:
        return ""
    links = []
    for lang, path in frame.switch:
        name = i18n.language_name(lang, lang)
        current = ' aria-current="page"' if lang == frame.lang else ""
        links.append(f'<li><a href="{frame.to(path)}" lang="{escape(lang)}" hreflang="{escape(lang)}"{current}>{escape(name)}</a></li>')
    label = escape(frame.labels["languages"])
    return f'<nav class="languages" aria-label="{label}">\n<ul>\n' + "\n".join(links) + "\n</ul>\n</nav>"


def title_of(text: str) -> str:
    """Return `text` for a <title> or heading: bidirectional controls removed, so they cannot reorder what follows."""
    return "".join(c for c in text if c not in BIDI_CONTROLS)


BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
