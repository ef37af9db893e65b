"""Get the web page, PDF and Word file of each statement the site holds, through the build cache.

The statements build into the project's build/ folder as `mmnpress build
--to html,pdf,docx` would, so what is up to date there is not built again
and a later `build` finds the site's work done.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FORMATS = ("html", "pdf", "docx")


@dataclass
class Built:
    """The files of one statement in build/, by format."""

    files: dict[str, Path]
    status: str  # "built" or "fresh"


def build_all(paths: list[Path], jobs: int | None = None) -> tuple[dict[Path, Built], dict[Path, list[str]]]:
    """Build `paths` to every format the site needs; return their files, and the problems of those that failed."""
    from ..batch import Batch
    from ..build import Request

    if not paths:
        return {}, {}
    requests = [Request(path, FORMATS) for path in paths]
    outcomes = Batch(requests).run(lambda outcome: None, jobs)
    built, failed = {}, {}
    for outcome in outcomes:
        if outcome.status == "failed":
            failed[outcome.path] = outcome.lines
        else:
            built[outcome.path.resolve()] = Built(dict(zip(FORMATS, outcome.outputs, strict=True)), outcome.status)
    return built, failed
