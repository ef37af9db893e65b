"""Get the web page, PDF and Word file of each statement the site holds, through the build cache.

The statements build into the project's build/ folder as `mmnpress build
--to html,pdf,docx` would, so what is up to date there is not built again
and a later `build` finds the site's work done. A statement the last site
run recorded and that nothing has touched since (`stamps`) is taken as it
is, without going through the pipeline at all.

The site's search index needs every web page: they are handed to
`on_pages` as soon as the last one is rendered, before the PDF and Word
files of that statement are done (statements built here, in this process),
or once all are built (in worker processes).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import stamps

FORMATS = ("html", "pdf", "docx")


@dataclass
class Built:
    """The files of one statement in build/, by format, and the record of its build for the next run."""

    files: dict[str, Path]
    status: str  # "built", "fresh" (up to date in the build cache) or "kept" (untouched since the last run)
    record: dict = field(default_factory=dict)


@dataclass
class Builds:
    """What `build_all` got: the files of the statements that built, and the problems of those that failed."""

    built: dict[Path, Built] = field(default_factory=dict)
    failed: dict[Path, list[str]] = field(default_factory=dict)

    def records(self) -> dict[str, dict]:
        """Return the records of the builds, by statement path, for the next run."""
        return {str(path): one.record for path, one in self.built.items() if one.record}


def build_all(paths: list[Path], jobs: int | None = None, earlier: object = None,
              embargo_over: dict[Path, bool | None] | None = None,
              on_pages: Callable[[dict[Path, Path | bytes]], None] = lambda pages: None) -> Builds:
    """Build `paths` to every format the site needs, handing `on_pages` every web page (its file or bytes) once all are known.

    `earlier` holds the records of the last run by statement path, `embargo_over` whether each embargo has ended.
    """
    from ..batch import Batch
    from ..build import Request

    earlier = earlier if isinstance(earlier, dict) else {}  # the manifest is a file anyone may have edited
    embargo_over = embargo_over or {}
    builds = Builds()
    for path in paths:
        record, outputs = earlier.get(str(path.resolve())), output_paths(path)
        if stamps.unchanged(record, outputs, embargo_over.get(path)):
            builds.built[path.resolve()] = Built(dict(zip(FORMATS, outputs, strict=True)), "kept", record)
    todo = [path for path in paths if path.resolve() not in builds.built]
    pages = _Pages({path: one.files["html"] for path, one in builds.built.items()}, {path.resolve() for path in todo}, on_pages)
    requests = [Request(path, FORMATS, on_rendered=functools.partial(pages.rendered, path.resolve())) for path in todo]
    for outcome in Batch(requests).run(_nothing, jobs) if requests else []:
        if outcome.status == "failed":
            builds.failed[outcome.path] = outcome.lines
            continue
        files = dict(zip(FORMATS, outcome.outputs, strict=True))
        record = stamps.record(outcome.stamps, list(files.values()), embargo_over.get(outcome.path))
        builds.built[outcome.path.resolve()] = Built(files, outcome.status, record)
    pages.done({path: one.files["html"] for path, one in builds.built.items()})
    return builds


class _Pages:
    """The web pages of the site's statements, handed on once, as soon as every one is known."""

    def __init__(self, known: dict[Path, Path | bytes], waiting: set[Path], on_pages: Callable[[dict[Path, Path | bytes]], None]):
        self.known, self.waiting, self.on_pages, self.told = known, waiting, on_pages, False

    def rendered(self, path: Path, fmt: str, data: bytes) -> None:
        """Take in a format of the statement at `path` just rendered; hand the pages on if it was the last page awaited."""
        if fmt == "html":
            self.known[path] = data
            self.waiting.discard(path)
            if not self.waiting:
                self.done({})

    def done(self, pages: dict[Path, Path]) -> None:
        """Hand the pages on (with `pages`, those that were up to date), unless that was done already."""
        if not self.told:
            self.told = True
            self.on_pages({**pages, **self.known})


def output_paths(path: Path) -> list[Path]:
    """Return the web page, PDF and Word file a build of the statement at `path` writes."""
    from ..build import Request, output_files
    from ..pipeline.project import find_root

    return output_files(Request(path, FORMATS), find_root(path))


def _nothing(outcome) -> None:
    pass
