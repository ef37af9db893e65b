"""Rebuild statements whenever a file they read is saved.

The operating system tells the watcher at once when something changes in a
folder holding a file a build read (inotify on Linux through `inotify_simple`;
`watchfiles` elsewhere: FSEvents on macOS, polling where no such notice
exists). File stamps (mtime, size, inode) then decide which statements to
rebuild, so a notice about an unrelated file costs nothing and an editor that
saves by renaming a new file into place is still seen. The imports and the
renderers stay warm between rebuilds, one long-lived pandoc answers the text
stage (`pandocworker`), the PDF is laid out in a child process on the other
core (`render.pdfapart`), and the build cache is shared with `mmnpress build`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..batch import Outcome, build_one, cache_folder
from ..build import Request
from ..pipeline.cache import Cache, load
from ..pipeline.discovery import extends_chain
from ..render import Renderers
from ..render.pdfapart import PdfApartRenderer

Stamp = tuple[int, int, int] | None
# A save is noticed NOTICE_QUIET_MS after its first write (inotify), or after
# up to twice NOTICE_STEP_MS of quiet (watchfiles, which looks that often), so
# the writes of one save are built once; a failed build waits SETTLE_SECONDS
# for the rest of a save in several writes before it is shown.
NOTICE_QUIET_MS = 2
NOTICE_STEP_MS = 5
SETTLE_SECONDS = 0.1
SETTLE_TRIES = 5


def changes_in(folders: list[Path], interval: float, stop: threading.Event) -> Iterator[None]:
    """Yield after each change in `folders`, and at least every quarter second, until `stop` is set.

    On Linux the kernel's inotify wakes the watcher the moment a file is
    written (`inotify_simple`); elsewhere, or where inotify is refused (too
    many watches), `watchfiles` looks every NOTICE_STEP_MS.
    """
    notify = _inotify(folders)
    if notify is None:
        yield from _watchfiles_changes(folders, interval, stop)
        return
    with notify:
        while not stop.is_set():
            notify.read(timeout=250, read_delay=NOTICE_QUIET_MS)
            yield None


def _inotify(folders: list[Path]):
    """Return an inotify instance watching `folders` for saves, or None where inotify is missing or refused."""
    try:
        from inotify_simple import INotify, flags
        notify = INotify()
    except (ImportError, OSError):
        return None
    # a file written in place counts once it is closed, so its first half is never built alone
    saved = (flags.CLOSE_WRITE | flags.ATTRIB | flags.MOVED_FROM | flags.MOVED_TO | flags.CREATE | flags.DELETE
             | flags.DELETE_SELF | flags.MOVE_SELF)
    try:
        for folder in folders:
            notify.add_watch(folder, saved)
    except OSError:
        notify.close()
        return None
    return notify


def _watchfiles_changes(folders: list[Path], interval: float, stop: threading.Event) -> Iterator[None]:
    import watchfiles

    yield from watchfiles.watch(*folders, stop_event=stop, recursive=False, step=NOTICE_STEP_MS, debounce=1000,
                                poll_delay_ms=int(interval * 1000), rust_timeout=1000, yield_on_timeout=True)


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
        self.renderers = Renderers(instead={"pdf": PdfApartRenderer})  # the PDF lays out on the other core
        self.stamps: dict[int, dict[Path, Stamp]] = {id(r): {} for r in requests}
        self.caches: dict[Path, Cache] = {}
        self.documents: dict = {}  # the last render model per statement, reused when only templates change

    def run(self, interval: float = 0.3, stop: threading.Event | None = None, changes: Iterable | None = None) -> None:
        """Build everything, then again after each change until `stop` is set.

        `changes` yields once after each change (by default the notices of the
        file system; where it gives none, it is looked at every `interval` seconds).
        """
        from ..pipeline import pandocworker

        stop = stop or threading.Event()
        try:
            with pandocworker.kept():
                for request in self.requests:
                    self.build(request)
                for _ in self.notices(interval, stop) if changes is None else changes:
                    if stop.is_set():
                        break
                    self.poll()
        finally:
            self.renderers.close()

    def notices(self, interval: float, stop: threading.Event) -> Iterator[None]:
        """Yield after each change in a folder holding a watched file, until `stop` is set.

        The folders are watched anew when the set of watched files moves to other
        folders (a new template folder, a bibliography elsewhere); what changed while
        they were not watched is caught by looking at the stamps right after.
        """
        while not stop.is_set():
            folders = self._folders()
            yield None  # what changed before the folders were watched
            if not folders:
                stop.wait(interval)
                continue
            for _ in changes_in(folders, interval, stop):
                yield None
                if self._folders() != folders:
                    break

    def _folders(self) -> list[Path]:
        """Return the existing folders that hold a watched file."""
        folders = {path.parent for stamps in self.stamps.values() for path in stamps}
        return sorted(folder for folder in folders if folder.is_dir())

    def poll(self) -> None:
        """Rebuild every request whose inputs changed since its last build."""
        for request in self.requests:
            if any(stamp(path) != seen for path, seen in self.stamps[id(request)].items()):
                self.build(request)

    def build(self, request: Request) -> Outcome:
        """Build one request and print its result on one line (errors first, when it failed).

        The stamps are those from before the build, so a save during the build
        is built next. A build that failed while an input was being saved (an
        editor writing in two steps) is built again before anything is shown.
        """
        for _ in range(SETTLE_TRIES):
            before = {path: stamp(path) for path in self._watched_files(request)}
            outcome = self._build_once(request, before)
            if outcome.status != "failed" or not self._saved_again(before):
                break
        self._report(outcome)
        self.renderers.ready_again()  # while the user reads the report and edits
        return outcome

    def _build_once(self, request: Request, before: dict[Path, Stamp]) -> Outcome:
        cache = self._cache(request)
        outcome = build_one(request, cache, renderers=self.renderers, documents=self.documents)
        if outcome.status == "built":
            cache.record(outcome.hashes, outcome.key)
            cache.save()
        files = outcome.inputs or list(before)
        self.stamps[id(request)] = {path: before[path] if path in before else stamp(path) for path in files}
        return outcome

    def _saved_again(self, before: dict[Path, Stamp]) -> bool:
        """Tell whether a file read by a failed build is saved again within a moment."""
        time.sleep(SETTLE_SECONDS)
        return any(stamp(path) != seen for path, seen in before.items())

    def _watched_files(self, request: Request) -> list[Path]:
        """Return what to watch if this build fails early: what was watched, plus the extends chain."""
        return sorted({*self.stamps[id(request)], *extends_chain(request.path)})

    def _cache(self, request: Request) -> Cache:
        folder = cache_folder(request)
        if folder not in self.caches:
            self.caches[folder] = load(folder)
        return self.caches[folder]

    def _report(self, outcome: Outcome) -> None:
        from ..errors import display_path

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
