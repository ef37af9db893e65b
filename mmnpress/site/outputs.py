"""Get the web page, PDF and Word file of each statement the site holds, through the build cache.

The statements build into the project's build/ folder as `mmnpress build
--to html,pdf,docx` would, so what is up to date there is not built again
and a later `build` finds the site's work done. A statement the last site
run recorded and that nothing has touched since (`stamps`) is taken as it
is, without going through the pipeline at all.

A few statements built here, in this process, build their web pages first
and hand them to `on_pages`, then their PDF and Word files from the same
render model: the site's search index is made meanwhile, beside the
Python work. Many statements build in worker processes, every format at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import stamps

PAGE, DOWNLOADS = ("html",), ("pdf", "docx")
FORMATS = (*PAGE, *DOWNLOADS)


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

    def add(self, outcomes: list, embargo_over: dict[Path, bool | None], read_first: dict[Path, dict] | None = None) -> None:
        """Take in the outcomes of builds of every format (`read_first`: the stamps taken when their pages built)."""
        for outcome in outcomes:
            if outcome.status == "failed":
                self.failed[outcome.path] = outcome.lines
                continue
            files = dict(zip(FORMATS, output_paths(outcome.path), strict=True))
            read = (read_first or {}).get(outcome.path, outcome.stamps)
            # a statement edited between its page and its files is checked again next time, not recorded
            record = stamps.record(read, list(files.values()), embargo_over.get(outcome.path)) if read == outcome.stamps else {}
            self.built[outcome.path.resolve()] = Built(files, outcome.status, record)

    def records(self) -> dict[str, dict]:
        """Return the records of the builds, by statement path, for the next run."""
        return {str(path): one.record for path, one in self.built.items() if one.record}


def build_all(paths: list[Path], jobs: int | None = None, earlier: object = None,
              embargo_over: dict[Path, bool | None] | None = None,
              on_pages: Callable[[dict[Path, Path]], None] = lambda pages: None) -> Builds:
    """Build `paths` to every format the site needs, calling `on_pages` with every web page once those are known.

    `earlier` holds the records of the last run by statement path, `embargo_over` whether each embargo has ended.
    """
    from ..batch import Batch, workers
    from ..build import Request

    earlier = earlier if isinstance(earlier, dict) else {}  # the manifest is a file anyone may have edited
    embargo_over = embargo_over or {}
    builds = Builds()
    for path in paths:
        record, outputs = earlier.get(str(path.resolve())), output_paths(path)
        if stamps.unchanged(record, outputs, embargo_over.get(path)):
            builds.built[path.resolve()] = Built(dict(zip(FORMATS, outputs, strict=True)), "kept", record)
    todo = [path for path in paths if path.resolve() not in builds.built]
    if workers(jobs, len(todo)) > 1:
        builds.add(Batch([Request(path, FORMATS) for path in todo]).run(_nothing, jobs), embargo_over)
        on_pages({path: one.files["html"] for path, one in builds.built.items()})
        return builds
    documents: dict = {}
    pages = Batch([Request(path, PAGE) for path in todo], documents=documents).run(_nothing, 1)
    ready = [outcome for outcome in pages if outcome.status != "failed"]
    builds.add([outcome for outcome in pages if outcome.status == "failed"], embargo_over)
    on_pages({**{path: one.files["html"] for path, one in builds.built.items()}, **{o.path.resolve(): o.outputs[0] for o in ready}})
    downloads = Batch([Request(outcome.path, DOWNLOADS) for outcome in ready], documents=documents).run(_nothing, 1)
    builds.add(downloads, embargo_over, {outcome.path: outcome.stamps for outcome in ready})
    return builds


def output_paths(path: Path) -> list[Path]:
    """Return the web page, PDF and Word file a build of the statement at `path` writes."""
    from ..build import Request, output_files
    from ..pipeline.project import find_root

    return output_files(Request(path, FORMATS), find_root(path))


def _nothing(outcome) -> None:
    pass
