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
# Imported by batch workers as they start, before their first statement.
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
    template_dir = resolved.organisation.folder
    renderers = _Renderers(request, resolved, pdf_renderer)
    if document is None:
        document = assemble(resolved, request.options, while_waiting=renderers.prepare)
    rendered = {fmt: renderers.render(fmt, document, template_dir) for fmt in request.formats}
    folder = output_dir(request, resolved.root)
    outputs, hashes = [], {}
    for fmt, data in rendered.items():
        target = folder / f"{request.path.stem}.{fmt}"
        write_atomically(target, data)
        outputs.append(target)
        hashes[target] = hashlib.sha256(data).hexdigest()
    return Result(request.path, outputs, time.perf_counter() - started, hashes, document)


class _Renderers:
    """The renderers of one build, made ready while pandoc runs."""

    def __init__(self, request: Request, resolved: Resolved, pdf_renderer=None):
        self.request, self.resolved = request, resolved
        self.pdf_renderer = pdf_renderer
        self.docx_template = None

    def prepare(self) -> None:
        """Import the renderers, open the Word template and load the PDF fonts."""
        folder = self.resolved.organisation.folder
        try:
            if "docx" in self.request.formats:
                from .render.docx import open_template

                self.docx_template = open_template(folder, self.resolved.statement.kind)
            if "pdf" in self.request.formats:
                self._pdf().prepare(folder, self.resolved.organisation.profile)
        except Exception:  # noqa: BLE001 - rendering reports the same problem properly
            self.docx_template = None

    def render(self, fmt: str, document, template_dir: Path) -> bytes:
        """Return `document` rendered as `fmt`."""
        if fmt == "docx":
            from .render.docx import docx_bytes

            return docx_bytes(document, template_dir, self.docx_template)
        if fmt == "pdf":
            return self._pdf().render_bytes(document, template_dir, pdf_standard=self.request.pdf_standard)
        raise InputError([Problem(display_path(self.request.path), 1, 1, f"unknown output format '{fmt}'")])

    def _pdf(self):
        if self.pdf_renderer is None:
            from .render.pdf import shared_renderer

            self.pdf_renderer = shared_renderer()
        return self.pdf_renderer


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
