"""Build one statement into its output files, all or nothing.

Every format is rendered to bytes first; only when all succeeded are the
files written, each atomically (temporary file, then rename). A failed build
therefore leaves no new file and never touches an older good one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import Options, prepare
from .errors import InputError, Problem, display_path
from .files import write_atomically

FORMATS = ("docx", "pdf")


@dataclass
class Request:
    """What to build: a statement, the formats, where, and with which options."""

    path: Path
    formats: tuple[str, ...] = FORMATS
    out_dir: Path | None = None
    options: Options = field(default_factory=Options)
    pdf_standard: str = "ua-1,a-2a"


@dataclass
class Result:
    """What a build wrote and how long it took."""

    path: Path
    outputs: list[Path]
    seconds: float


def output_dir(request: Request, root: Path) -> Path:
    """Return the folder outputs go to: -o, or build/ in the project folder."""
    return request.out_dir if request.out_dir is not None else root / "build"


def build(request: Request, pdf_renderer=None) -> Result:
    """Build the statement of `request`; raise `MmnpressError` on any problem."""
    started = time.perf_counter()
    resolved, document = prepare(request.path, request.options)
    template_dir = resolved.organisation.folder
    rendered = {fmt: _render(fmt, document, template_dir, request, pdf_renderer) for fmt in request.formats}
    folder = output_dir(request, resolved.root)
    outputs = []
    for fmt, data in rendered.items():
        target = folder / f"{request.path.stem}.{fmt}"
        write_atomically(target, data)
        outputs.append(target)
    return Result(request.path, outputs, time.perf_counter() - started)


def _render(fmt: str, document, template_dir: Path, request: Request, pdf_renderer) -> bytes:
    if fmt == "docx":
        from .render.docx import docx_bytes

        return docx_bytes(document, template_dir)
    if fmt == "pdf":
        from .render.pdf import shared_renderer

        renderer = pdf_renderer or shared_renderer()
        return renderer.render_bytes(document, template_dir, pdf_standard=request.pdf_standard)
    raise InputError([Problem(display_path(request.path), 1, 1, f"unknown output format '{fmt}'")])
