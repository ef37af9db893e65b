"""Make the whole site of a project: `mmnpress site`."""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import archive, feeds, pages, search, sitemap
from .discover import Entry, LeftOut, discover
from .layout import Frame, logo_path, page
from .settings import Site, site_settings
from .writer import Written, manifest, write_site

STATIC = Path(__file__).with_name("static")


@dataclass
class Report:
    """What `mmnpress site` did."""

    folder: Path
    site: Site
    entries: list[Entry] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    failed: dict[Path, list[str]] = field(default_factory=dict)
    written: Written = field(default_factory=Written)
    built: int = 0
    seconds: float = 0.0


def make_site(
    root: Path, out: Path | None = None, base_url: str | None = None, at: dt.datetime | None = None, drafts: bool = False, jobs: int | None = None
) -> Report:
    """Build the statements of project `root` and write its site into `out` (default build/site/)."""
    from ..pipeline.cache import embargo_over
    from ..pipeline.discovery import statement_files
    from ..pipeline.project import choose_organisation, load_organisation
    from .outputs import build_all

    started = time.perf_counter()
    at = at or dt.datetime.now(dt.UTC)
    site = site_settings(load_organisation(choose_organisation(root, None)), base_url)
    out = out if out is not None else root / "build" / "site"
    found, failed = discover(statement_files([root / "statements"]), root, at, drafts)
    earlier = manifest(out)
    index = _SearchIndex(found.entries, out, earlier)
    ended = {e.path: embargo_over(e.statement) for e in found.entries}
    try:
        builds = build_all([e.path for e in found.entries], jobs, earlier.get("builds"), ended, index.start)
        built = builds.built
        entries = _held(found.entries, built)
        files = site_files(site, entries, index.parsed, at)
        files.update(index.files(entries))
    finally:
        index.close()
    failed.update(builds.failed)
    files.update({name: path for e in entries for fmt, name in pages.download_names(e).items() if (path := built[e.path].files[fmt])})
    notes = {"search": files.pop(".search-key"), "builds": builds.records()}
    written = write_site(out, files, notes)
    return Report(
        out, site, entries, found.left_out, failed, written, sum(b.status == "built" for b in built.values()), time.perf_counter() - started
    )


def _held(entries: list[Entry], built: dict[Path, object]) -> list[Entry]:
    """Return the entries whose statement built, and whose original did."""
    return [e for e in entries if e.path in built and (e.original is None or e.original in built)]


class _SearchIndex:
    """The site's search index, started as soon as the web pages are known.

    Pagefind runs as its own process while this one renders the last
    statement's PDF and Word files and makes the site's pages, so it costs
    the site little wall time where a core is free.
    """

    def __init__(self, entries: list[Entry], out: Path, earlier: dict):
        self.entries, self.out, self.earlier = entries, out, earlier
        self.parsed: dict[Path, pages.Parsed] = {}
        self.indexed: list[Entry] | None = None  # the entries of the index begun
        self.key = ""
        self.kept: dict[str, Path] | None = None  # the last run's files, when the index holds the same text
        self.running: search.Indexing | None = None

    def start(self, html: dict[Path, Path | bytes]) -> None:
        """Read the web pages `html` (by statement: a file or its bytes) and begin the index of those the site holds."""
        for path, web_page in html.items():
            if path not in self.parsed:
                self.parsed[path] = pages.parse_page(web_page if isinstance(web_page, bytes) else web_page.read_bytes())
        self._begin(_held(self.entries, html))

    def files(self, entries: list[Entry]) -> dict:
        """Return the index's files for `entries`, and its key as `.search-key` (made again if a statement failed since the start)."""
        if entries != self.indexed:
            self._begin(entries)
        files = self.kept if self.kept is not None else self.running.files()
        return {**files, ".search-key": self.key}

    def close(self) -> None:
        """Stop a run of Pagefind still going (the site stopped), and remove its folder."""
        if self.running is not None:
            self.running.close()

    def _begin(self, entries: list[Entry]) -> None:
        self.close()
        items = search.records(entries, self.parsed)
        self.indexed, self.key = entries, search.index_key(items)
        self.kept = search.kept_files(self.out, self.earlier.get("files", [])) if self.earlier.get("search") == self.key else None
        self.running = search.Indexing(items) if self.kept is None else None


def site_files(site: Site, entries: list[Entry], parsed: dict, at: dt.datetime) -> dict:
    """Return every file of the site but the PDF and Word files, by site path."""
    families = _families(entries)
    langs = archive.languages(entries)
    kinds = tuple(k for k in archive.KIND_KEYS if any(e.kind == k and e.original is None for e in entries))

    def frame_for(path: str, lang: str, switch: list | None = None) -> Frame:
        default = [(site.language, "index.html")] + [(g, archive.page_path(archive.lang_folder(g), 1)) for g in langs if g != site.language]
        return Frame(site, path, lang, default if switch is None else switch, kinds)

    files: dict = {}
    for entry in entries:
        family = families[entry.family]
        versions = [(v.lang, v.page) for v in family]
        frame = frame_for(entry.page, entry.lang, versions if len(versions) > 1 else [])
        files[entry.page] = pages.statement_page(entry, parsed[entry.path], frame, at, versions if len(versions) > 1 else [])
    listed = {path: made for one in archive.archives(entries, site.name, site.language)
              for path, made in archive.archive_pages(one, frame_for, parsed, families).items()}
    styles = _archive_styles(site, listed.values())
    files.update({path: made.html(styles[made.frame.lang]) for path, made in listed.items()})
    files.update(_feeds(site, entries, parsed, langs))
    files.update(_assets(site))
    files["robots.txt"] = sitemap.robots(site)
    if site.base_url:
        files["sitemap.xml"] = sitemap.sitemap(site, entries, families)
    files["404.html"] = _not_found(site, frame_for("404.html", site.language))
    files["search/index.html"] = _search_page(frame_for("search/index.html", site.language))
    return files


def _families(entries: list[Entry]) -> dict[str, list[Entry]]:
    """Return each original's language versions (itself first), by the original's folder."""
    found: dict[str, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: (e.original is not None, e.lang)):
        found.setdefault(entry.family, []).append(entry)
    return found


def _archive_styles(site: Site, listed) -> dict[str, str]:
    """Return the style (fonts) of the archive pages `listed`, by language: one cut of the faces for all the pages in a language.

    The cut holds the characters of every archive page in that language, so
    a new letter in one title makes that language's faces once, not once for
    each archive that lists it (making a face takes a few tenths of a second).
    """
    texts: dict[str, list[str]] = {}
    for made in listed:
        texts.setdefault(made.frame.lang, []).append(made.main)
    return {lang: _archive_css(lang, "\n".join(mains), site.body_font, site.heading_font) for lang, mains in texts.items()}


@functools.lru_cache(maxsize=16)
def _archive_css(lang: str, text: str, body_font: str, heading_font: str) -> str:
    """Return the style of the archive pages in `lang`, whose text together is `text`; remembered while it stays the same."""
    from ..render import webfonts
    from ..render.webtext import SANS_FALLBACK, SERIF_FALLBACK, font_stack, script_css

    faces = webfonts.faces(lang, text, body_font, heading_font)
    body = font_stack(body_font, SERIF_FALLBACK, faces.before(body_font))
    heading = font_stack(heading_font, SANS_FALLBACK, faces.before(heading_font))
    return f"{faces.css}html {{ font-family: {body}; }}\nh1, h2, .meta {{ font-family: {heading}; }}\n{script_css(faces.before)}\n"


def _feeds(site: Site, entries: list[Entry], parsed: dict, langs: list[str]) -> dict[str, bytes]:
    titles = {e.path: parsed[e.path].title for e in entries}
    leads = {e.path: parsed[e.path].lead for e in entries}
    return {path: feeds.feed(site, path, entries, titles, leads, lang) for path, lang in feeds.feed_paths(langs).items()}


def _assets(site: Site) -> dict[str, bytes]:
    from ..render.webtext import colour, readable

    css = (STATIC / "site.css").read_text(encoding="utf-8")
    css = css.replace("{primary}", readable(colour(site.primary, "#1F4E79"))).replace("{accent}", colour(site.accent, "#C55A11"))
    files = {"assets/site.css": css.encode("utf-8"), "assets/search.js": (STATIC / "search.js").read_bytes()}
    if site.logo is not None:
        files[logo_path(site)] = site.logo.read_bytes()
    return files


def _not_found(site: Site, frame: Frame) -> bytes:
    """Return the 404 page; with a base URL its links work at any depth (a <base> element)."""
    from html import escape

    labels = frame.labels
    head = f'<base href="{escape(site.base_url)}/">' if site.base_url else ""
    main = f'<h1>{escape(labels["page_not_found"])}</h1>\n<p><a href="{frame.to("index.html")}">{escape(site.name)}</a></p>'
    return page(frame, labels["page_not_found"], main, head).encode("utf-8")


def _search_page(frame: Frame) -> bytes:
    from html import escape

    labels = frame.labels
    main = (
        f"<h1>{escape(labels['search'])}</h1>\n"
        f'<form id="search-form" role="search" data-none="{escape(labels["no_results"])}">\n'
        f'<label for="search-query">{escape(labels["search"])}</label>\n'
        '<input id="search-query" type="search" name="q" autocomplete="off">\n'
        f'<button type="submit">{escape(labels["search"])}</button>\n</form>\n'
        '<div id="search-results" aria-live="polite"></div>'
    )
    head = f'<script type="module" src="{frame.to("assets/search.js")}"></script>'
    return page(frame, labels["search"], main, head).encode("utf-8")
