"""Search that works in every language of the site, offline, with Pagefind.

Pagefind splits words at spaces, and Thai, Burmese, Khmer and Lao put none
between words. So the text Pagefind indexes is cut into words first by ICU's
dictionaries (icu4py), and the search page cuts the reader's query the same
way with the browser's `Intl.Segmenter` (static/search.js). The pages
readers see are not changed: Pagefind is given its own copy of each text.
One index serves every language, so one search finds a statement in any of them.

The index is made again only when the text it holds changed; its files are
then written, like every file of the site, only when their bytes differ.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import subprocess
import tempfile
from pathlib import Path

from ..errors import MmnpressError
from ..render.pdfbreaks import UNSPACED
from .discover import Entry
from .pages import Parsed

FOLDER = "pagefind"


@functools.lru_cache(maxsize=256)
def segmented(text: str) -> str:
    """Return `text` with a space between the words of scripts written without them (ICU word breaks).

    Remembered: a site built again cuts only the texts that changed.
    """
    if not UNSPACED.search(text):
        return text
    from icu4py.breakers import WordBreaker

    return " ".join(piece for piece in WordBreaker(text, "root"))


def records(entries: list[Entry], parsed: dict[Path, Parsed]) -> list[tuple[str, str]]:
    """Return what Pagefind indexes: (address from the site's root, HTML) for every statement page."""
    found = []
    for entry in entries:
        page = parsed[entry.path]
        title = html.escape(page.title)
        body = html.escape(segmented(" ".join(page.text().split())))
        document = (
            f'<!DOCTYPE html><html lang="{html.escape(entry.lang)}"><head><title>{title}</title></head><body>'
            f'<main data-pagefind-body><span data-pagefind-meta="title[content]" content="{title}"></span>'
            f"<h1>{html.escape(segmented(page.title))}</h1><p>{body}</p></main></body></html>"
        )
        found.append((entry.folder + "/", document))
    return found


def index_key(items: list[tuple[str, str]]) -> str:
    """Return the hash of what an index holds, so an unchanged one is not made again."""
    from .. import __version__

    return hashlib.sha256(json.dumps([__version__, items], ensure_ascii=False).encode("utf-8")).hexdigest()


class Indexing:
    """One run of the pagefind binary over `items`, started at once, waited for when its files are asked for.

    The pages go to a temporary folder for the binary (its Python API waits a
    tenth of a second for each page it is given). While it runs, this process
    goes on with its own work without sharing its lock with a thread: the
    binary is started and its files read from the caller's thread only.
    A site with no page yet (every statement a draft) has no index: the search page finds nothing.
    """

    def __init__(self, items: list[tuple[str, str]]):
        self.process = None
        if not items:
            return
        self.folder = tempfile.TemporaryDirectory(prefix="mmnpress-pagefind-")
        pages, self.out = Path(self.folder.name) / "pages", Path(self.folder.name) / "out"
        for url, document in items:
            (pages / url).mkdir(parents=True, exist_ok=True)
            (pages / url / "index.html").write_text(document, encoding="utf-8")
        command = [pagefind_binary(), "--site", str(pages), "--output-path", str(self.out), "--force-language", "en", "--silent"]
        self.log = (Path(self.folder.name) / "pagefind.log").open("w+b")
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)

    def files(self) -> dict[str, bytes]:
        """Wait for the run; return its files by site path, or raise `MmnpressError` with what Pagefind said."""
        if self.process is None:
            return {}
        try:
            if self.process.wait() != 0:
                self.log.seek(0)
                said = self.log.read().decode("utf-8", "replace").strip()[:500]
                raise MmnpressError(f"mmnpress: the search index could not be made: {said}")
            return {f"{FOLDER}/{p.relative_to(self.out).as_posix()}": p.read_bytes() for p in sorted(self.out.rglob("*")) if p.is_file()}
        finally:
            self.close()

    def close(self) -> None:
        """Stop the run if it still goes, and remove its folder."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        self.folder.cleanup()
        self.process = None


def pagefind_binary() -> str:
    """Return the pagefind binary as pagefind's Python API finds it: PAGEFIND_BINARY_PATH, its binary packages, PATH.

    The binary packages are asked directly: `pagefind.service.get_executable`,
    which asks them the same way, would load asyncio, a tenth of what a site
    built again after one change takes.
    """
    import importlib
    import os
    import shutil

    if named := os.environ.get("PAGEFIND_BINARY_PATH"):
        return named
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return str(importlib.import_module(package).get_executable())
        except ImportError:
            continue
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if found is None:
        raise MmnpressError("mmnpress: the site's search needs the pagefind binary; install it with pip install 'pagefind[bin]'")
    return found


def kept_files(site_folder: Path, names: list[str]) -> dict[str, Path] | None:
    """Return the index files an earlier run wrote, when every one is still there."""
    files = {name: site_folder / name for name in names if name.startswith(f"{FOLDER}/")}
    return files if files and all(p.is_file() for p in files.values()) else None
