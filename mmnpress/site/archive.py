"""The archive pages: the front page and one per kind, year and language, newest first, 20 statements a page.

Page 1 of an archive is `<folder>/index.html`, page n `<folder>/page/<n>/index.html`.
The front page, kind and year archives list originals (with links to their
translations); a language's archive lists every statement in that language,
in that language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from .. import i18n
from ..render.webtext import plain
from .discover import Entry
from .layout import KIND_FOLDERS, KIND_LABELS, Frame, page, title_of
from .pages import Parsed

PER_PAGE = 20
KIND_KEYS = {"statement": "statement", "press-release": "press_release", "position-paper": "position_paper"}


@dataclass(frozen=True)
class Archive:
    """One list of statements: its folder ("" for the front page), heading, language and entries."""

    folder: str
    heading: str
    lang: str
    entries: tuple[Entry, ...]


def archives(entries: list[Entry], site_name: str, site_lang: str) -> list[Archive]:
    """Return every archive of the site: front page, kinds, years, languages."""
    newest = sorted(entries, key=lambda e: (e.date, e.statement.embargo is not None, e.folder), reverse=True)
    originals = tuple(e for e in newest if e.original is None)
    labels = i18n.labels(site_lang).text
    found = [Archive("", site_name, site_lang, originals)]
    for kind, folder in KIND_FOLDERS.items():
        chosen = tuple(e for e in originals if e.kind == kind)
        if chosen:
            found.append(Archive(folder, labels[KIND_LABELS[kind]], site_lang, chosen))
    for year in sorted({e.date.year for e in originals}, reverse=True):
        found.append(Archive(str(year), str(year), site_lang, tuple(e for e in originals if e.date.year == year)))
    for lang in languages(entries):
        found.append(Archive(lang_folder(lang), i18n.language_name(lang, lang), lang, tuple(e for e in newest if e.lang == lang)))
    return found


def languages(entries: list[Entry]) -> list[str]:
    """Return the languages the site has statements in, sorted."""
    return sorted({e.lang for e in entries})


def lang_folder(lang: str) -> str:
    """Return the folder of a language's archive."""
    return lang.lower()


def page_path(folder: str, number: int) -> str:
    """Return the site path of page `number` of the archive in `folder`."""
    base = f"{folder}/" if folder else ""
    return f"{base}index.html" if number == 1 else f"{base}page/{number}/index.html"


@dataclass(frozen=True)
class ArchivePage:
    """One page of an archive before its fonts: where it lives (its frame), its title and the inside of its <main>."""

    frame: Frame
    title: str
    main: str

    def html(self, style: str) -> bytes:
        """Return the whole page, with `style` (its fonts) in its head."""
        return page(self.frame, self.title, self.main, style=style).encode("utf-8")


def archive_pages(archive: Archive, frame_for: Callable[[str, str], Frame], parsed: dict, versions: dict) -> dict[str, ArchivePage]:
    """Return the pages of `archive` by site path.

    `frame_for(path, lang)` frames one, `versions` lists each original's
    versions by its folder.
    """
    chunks = [archive.entries[i : i + PER_PAGE] for i in range(0, len(archive.entries), PER_PAGE)] or [()]
    pages = {}
    for number, chunk in enumerate(chunks, 1):
        path = page_path(archive.folder, number)
        frame = frame_for(path, archive.lang)
        items = "\n".join(_item(entry, frame, parsed[entry.path], versions.get(entry.family, [])) for entry in chunk)
        heading = f"<h1>{escape(title_of(archive.heading))}</h1>"
        main = f'{heading}\n<div class="entries">\n{items}\n</div>\n{_paging(archive, number, len(chunks), frame)}'
        title = archive.heading if number == 1 else f"{archive.heading} ({number})"
        pages[path] = ArchivePage(frame, title_of(title), main)
    return pages


def _item(entry: Entry, frame: Frame, parsed: Parsed, versions: list[Entry]) -> str:
    """Return one statement of a list: title, kind, date, language, lead paragraph, other versions."""
    labels, lang = frame.labels, frame.lang
    kind = f'<a href="{frame.to(page_path(KIND_FOLDERS[entry.kind], 1))}">{plain(labels[KIND_KEYS[entry.kind]])}</a>'
    date = (
        f'<a href="{frame.to(page_path(str(entry.date.year), 1))}"><time datetime="{entry.date.isoformat()}">'
        f"{escape(i18n.format_date(entry.date, lang))}</time></a>"
    )
    language = _language_link(entry.lang, frame)
    others = [v for v in versions if v.folder != entry.folder]
    also = ""
    if others:
        links = ", ".join(_language_link(v.lang, frame, v.page) for v in others)
        also = f'\n<p class="versions">{plain(labels["languages"])}: {links}</p>'
    return (
        f'<article class="entry">\n<h2 lang="{escape(entry.lang)}"><a href="{frame.to(entry.page)}">{escape(title_of(parsed.title))}</a></h2>\n'
        f'<p class="meta">{kind} · {date} · {language}</p>\n'
        f'<p class="lead" lang="{escape(entry.lang)}">{escape(parsed.lead)}</p>{also}\n</article>'
    )


def _language_link(lang: str, frame: Frame, path: str | None = None) -> str:
    target = path or page_path(lang_folder(lang), 1)
    return f'<a href="{frame.to(target)}" lang="{escape(lang)}" hreflang="{escape(lang)}">{escape(i18n.language_name(lang, lang))}</a>'


def _paging(archive: Archive, number: int, total: int, frame: Frame) -> str:
    """Return the links to the newer and older pages of an archive."""
    labels, links = frame.labels, []
    if number > 1:
        links.append(f'<a rel="prev" href="{frame.to(page_path(archive.folder, number - 1))}">{plain(labels["newer_posts"])}</a>')
    if number < total:
        links.append(f'<a rel="next" href="{frame.to(page_path(archive.folder, number + 1))}">{plain(labels["older_posts"])}</a>')
    if not links:
        return ""
    return f'<nav class="paging" aria-label="{escape(archive.heading)} {number}/{total}">\n' + "\n".join(links) + "\n</nav>"
