"""Atom feeds: one of every statement (`feed.xml`) and one per language (`<lang>/feed.xml`), newest first.

Without a base URL the links are relative to the feed, as Atom allows, and
ids are tag: URIs made from the organisation's website; with one they are
absolute addresses.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from .discover import Entry
from .layout import absolute, link
from .settings import Site

MAX_ENTRIES = 50


def feed_paths(languages: list[str]) -> dict[str, str | None]:
    """Return the site path of each feed and the language it holds (None: all)."""
    from .archive import lang_folder

    return {"feed.xml": None, **{f"{lang_folder(lang)}/feed.xml": lang for lang in languages}}


def feed(site: Site, path: str, entries: list[Entry], titles: dict, leads: dict, lang: str | None) -> bytes:
    """Return the Atom feed at site path `path` of `entries` (those in `lang`, or all)."""
    from feedgen.feed import FeedGenerator

    chosen = sorted((e for e in entries if lang is None or e.lang == lang), key=lambda e: (published(e), e.folder), reverse=True)
    chosen = chosen[:MAX_ENTRIES]
    generator = FeedGenerator()
    generator.id(_id(site, "" if lang is None else f"{lang}/"))
    generator.title(site.name if lang is None else f"{site.name} ({lang})")
    generator.link(href=_href(site, path, "index.html" if lang is None else f"{lang.lower()}/index.html"), rel="alternate")
    generator.link(href=absolute(site, path) or link(path, path), rel="self")
    generator.language(lang or site.language)
    generator.author({"name": site.name})
    generator.updated(max((published(e) for e in chosen), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)))
    for entry in reversed(chosen):  # feedgen puts each new entry first
        item = generator.add_entry()
        item.id(_id(site, entry.folder + "/"))
        item.title(titles[entry.path])
        item.link(href=_href(site, path, entry.page), rel="alternate", hreflang=entry.lang)
        item.summary(leads[entry.path])
        item.published(published(entry))
        item.updated(published(entry))
    return generator.atom_str(pretty=True)


def published(entry: Entry) -> dt.datetime:
    """Return when a statement was published: its embargo's end, else the start of its date (UTC)."""
    embargo = entry.statement.embargo
    return embargo if embargo is not None else dt.datetime.combine(entry.date, dt.time(0), dt.UTC)


def _href(site: Site, feed_path: str, target: str) -> str:
    return absolute(site, target) or link(feed_path, target)


def _id(site: Site, path: str) -> str:
    """Return a stable id: the address under the base URL, else a tag: URI of the organisation's website."""
    if site.base_url:
        return absolute(site, path)
    host = urlsplit(site.website if "://" in site.website else f"https://{site.website}").hostname if site.website else None
    return f"tag:{host or (site.key or 'statements') + '.invalid'},2000:{path}"
