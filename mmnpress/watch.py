"""Rebuild statements whenever a file they read is saved.

The watcher polls file stamps (mtime, size, inode) every few tenths of a
second, which needs no extra package and sees editors that save by
renaming a new file into place. It stays in one process, so the imports
and the renderers (the PDF renderer's fonts and compilers) stay warm
between rebuilds, and it shares the build cache with `mmnpress build`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .batch import Outcome, build_one, cache_folder, extends_chain
from .build import Request
from .cache import Cache, load
from .render import Renderers

Stamp = tuple[int, int, int] | None


def stamp(path: Path) -> Stamp:
    """Return what changes when a file is saved, or None when it is gone."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


class Watcher:
    """Build requests once, then again each time one of their inputs changes."""

    def __init__(self, requests: list[Request], echo: Callable[[str], None], error: Callable[[str], None] | None = None):
        self.requests = requests
        self.echo = echo
        self.error = error or echo
        self.renderers = Renderers()
        self.stamps: dict[int, dict[Path, Stamp]] = {id(r): {} for r in requests}
        self.caches: dict[Path, Cache] = {}
        self.documents: dict = {}  # the last render model per statement, reused when only templates change

    def run(self, interval: float = 0.3, max_rounds: int | None = None, stop: threading.Event | None = None,
            sleep: Callable[[float], None] = time.sleep) -> None:
        """Build everything, then poll every `interval` seconds until `stop` is set or `max_rounds` polls."""
        try:
            for request in self.requests:
                self.build(request)
            rounds = 0
            while not (stop and stop.is_set()) and (max_rounds is None or rounds < max_rounds):
                sleep(interval)
                rounds += 1
                self.poll()
        finally:
            self.renderers.close()

    def poll(self) -> None:
        """Rebuild every request whose inputs changed since its last build."""
        for request in self.requests:
            if any(stamp(path) != seen for path, seen in self.stamps[id(request)].items()):
                self.build(request)

    def build(self, request: Request) -> Outcome:
        """Build one request and print its result on one line (errors first, when it failed)."""
        watched = self._watched_files(request)
        cache = self._cache(request)
        outcome = build_one(request, cache, renderers=self.renderers, documents=self.documents)
        if outcome.status == "built":
            cache.record(outcome.hashes, outcome.key)
            cache.save()
        files = outcome.inputs or watched
        self.stamps[id(request)] = {path: stamp(path) for path in files}
        self._report(outcome)
        return outcome

    def _watched_files(self, request: Request) -> list[Path]:
        """Return what to watch if this build fails early: what was watched, plus the extends chain."""
        return sorted({*self.stamps[id(request)], *extends_chain(request.path)})

    def _cache(self, request: Request) -> Cache:
        folder = cache_folder(request)
        if folder not in self.caches:
            self.caches[folder] = load(folder)
        return self.caches[folder]

    def _report(self, outcome: Outcome) -> None:
        from .errors import display_path

        clock = time.strftime("%H:%M:%S")
        if outcome.status == "built":
            shown = ", ".join(display_path(p) for p in outcome.outputs)
            self.echo(f"[{clock}] built {shown} in {outcome.seconds:.2f} s")
        elif outcome.status == "fresh":
            self.echo(f"[{clock}] {display_path(outcome.path)}: up to date ({outcome.seconds:.2f} s)")
        else:
            for line in outcome.lines:
                self.error(line)
            self.echo(f"[{clock}] {display_path(outcome.path)}: failed in {outcome.seconds:.2f} s; fix and save again")
