"""Build one statement into its output files, all or nothing.

Every format is rendered to bytes first; only when all succeeded are the
files written, each atomically (temporary file, then rename). A failed build
therefore leaves no new file and never touches an older good one.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import Options, Resolved, assemble, resolve
from .errors import InputError, Problem, display_path
from .files import write_atomically

FORMATS = ("docx", "pdf")
# Imported in a thread while pandoc runs, so a cold build does not pay for them afterwards.
_WARM_MODULES = {
    "docx": ("docxtpl", "docx.opc.constants", "docx.opc.part", "docx.oxml", "jinja2.sandbox", "mmnpress.render.docx"),
    "pdf": ("typst", "mmnpress.render.pdf"),
}


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
    """What a build wrote, the SHA-256 of each file written, how long it took, and the render model."""

    path: Path
    outputs: list[Path]
    seconds: float
    hashes: dict[Path, str] = field(default_factory=dict)
    document: object = None


def output_dir(request: Request, root: Path) -> Path:
    """Return the folder outputs go to: -o, or build/ in the project folder."""
    return request.out_dir if request.out_dir is not None else root / "build"


def build(request: Request, pdf_renderer=None) -> Result:
    """Build the statement of `request`; raise `MmnpressError` on any problem."""
    started = time.perf_counter()
    return build_resolved(request, resolve_request(request), pdf_renderer, started)


def resolve_request(request: Request) -> Resolved:
    """Resolve the statement of `request`; raise `MmnpressError` on any problem."""
    if not request.path.is_file():
        raise InputError([Problem(display_path(request.path), 1, 1, "no such statement file")])
    return resolve(request.path, request.options)


def build_resolved(request: Request, resolved: Resolved, pdf_renderer=None, started: float | None = None,
                   document=None) -> Result:
    """Assemble (unless `document` is given), render and write an already resolved statement."""
    started = time.perf_counter() if started is None else started
    if document is None:
        warming = warm_up(request.formats)
        document = assemble(resolved, request.options)
        warming.join()
    template_dir = resolved.organisation.folder
    rendered = {fmt: _render(fmt, document, template_dir, request, pdf_renderer) for fmt in request.formats}
    folder = output_dir(request, resolved.root)
    outputs, hashes = [], {}
    for fmt, data in rendered.items():
        target = folder / f"{request.path.stem}.{fmt}"
        write_atomically(target, data)
        outputs.append(target)
        hashes[target] = hashlib.sha256(data).hexdigest()
    return Result(request.path, outputs, time.perf_counter() - started, hashes, document)


def warm_up(formats: tuple[str, ...]) -> threading.Thread:
    """Start importing the renderers of `formats` in a thread; return it to join."""
    names = [name for fmt in formats for name in _WARM_MODULES.get(fmt, ())]
    thread = threading.Thread(target=_import_all, args=(names,), name="mmnpress-warm-up", daemon=True)
    thread.start()
    return thread


def _import_all(names: list[str]) -> None:
    import importlib

    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # the render step reports a missing renderer properly
            return


def _render(fmt: str, document, template_dir: Path, request: Request, pdf_renderer) -> bytes:
    if fmt == "docx":
        from .render.docx import docx_bytes

        return docx_bytes(document, template_dir)
    if fmt == "pdf":
        from .render.pdf import shared_renderer

        renderer = pdf_renderer or shared_renderer()
        return renderer.render_bytes(document, template_dir, pdf_standard=request.pdf_standard)
    raise InputError([Problem(display_path(request.path), 1, 1, f"unknown output format '{fmt}'")])
