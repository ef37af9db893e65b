"""Each statement's page in the site: its web page inside the site's frame, with its PDF and Word files beside it."""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
from dataclasses import dataclass
from html import escape

from ..render.webtext import plain
from .discover import Entry
from .layout import Frame, link, page, title_of

_STYLE = re.compile(r"<style>\n(.*?)</style>", re.S)
_MAIN = re.compile(r"<main>\n(.*)\n</main>", re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
_EMBARGO_NOTICE = re.compile(r'<p class="notice embargo" role="note">.*?</p>\n?', re.S)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Parsed:
    """The parts of a statement's web page the site reuses."""

    title: str  # plain text
    lead: str  # plain text: the summary or first paragraph, shortened
    style: str
    main: str  # the inside of <main>

    def text(self) -> str:
        """Return the text a reader sees in the page's main part, notes included."""
        return html.unescape(_TAG.sub(" ", self.main))


@functools.lru_cache(maxsize=256)
def parse_page(data: bytes) -> Parsed:
    """Take apart the web page the html renderer wrote (remembered: a site built again parses only the pages that changed)."""
    text = data.decode("utf-8")
    found = [pattern.search(text) for pattern in (_TITLE, _DESCRIPTION, _STYLE, _MAIN)]
    title, lead, style, main = (m.group(1) if m else "" for m in found)
    return Parsed(html.unescape(title), html.unescape(lead), style, main)


def download_names(entry: Entry) -> dict[str, str]:
    """Return the site paths of the PDF and Word files beside the entry's page."""
    return {"pdf": f"{entry.folder}/{entry.name}.pdf", "docx": f"{entry.folder}/{entry.name}.docx"}


def statement_page(entry: Entry, parsed: Parsed, frame: Frame, at: dt.datetime, alternates: list[tuple[str, str]]) -> bytes:
    """Return the site page of `entry`: its article, the downloads, the frame; `alternates` are (lang, site path) of its versions."""
    main = parsed.main
    if entry.statement.embargo is not None and entry.statement.embargo <= at:
        main = _EMBARGO_NOTICE.sub("", main)  # the page was built before the embargo ended; the site is built after
    labels = frame.labels
    files = download_names(entry)
    downloads = (
        f'<ul class="downloads">\n<li><a href="{frame.to(files["pdf"])}">{plain(labels["download_pdf"])}</a></li>\n'
        f'<li><a href="{frame.to(files["docx"])}">{plain(labels["download_docx"])}</a></li>\n</ul>'
    )
    head = [f'<meta name="description" content="{escape(parsed.lead)}">']
    head += [f'<link rel="alternate" hreflang="{escape(lang)}" href="{escape(_address(frame, path))}">' for lang, path in alternates]
    return page(frame, title_of(parsed.title), _after_text(main, downloads), "\n".join(head), parsed.style).encode("utf-8")


def _after_text(main: str, downloads: str) -> str:
    """Return `main` with the downloads after the statement's text, before its notes."""
    for mark in ('<section id="footnotes"', "</article>"):
        if mark in main:
            at = main.rindex(mark)
            return f"{main[:at]}{downloads}\n{main[at:]}"
    return f"{main}\n{downloads}"


def _address(frame: Frame, path: str) -> str:
    from .layout import absolute

    return absolute(frame.site, path) or link(frame.page, path)
