"""Build one statement into its output files, all or nothing.

Every format is rendered to bytes first; only when all succeeded are the
files written, each atomically (temporary file, then rename). A failed build
therefore leaves no new file and never touches an older good one.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem, display_path
from .files import write_atomically
from .pipeline.assemble import assemble
from .pipeline.resolve import Options, Resolved, resolve
from .render import DEFAULT_FORMATS, Renderer, Renderers, RenderOptions, file_name, formats, names, shared, warm_modules


@dataclass
class Request:
    """What to build: a statement, the formats, where, and with which options."""

    path: Path
    formats: tuple[str, ...] = DEFAULT_FORMATS
    out_dir: Path | None = None
    options: Options = field(default_factory=Options)
    render_options: RenderOptions = field(default_factory=RenderOptions)
    # told each format and its bytes as soon as this thread rendered it, before anything is written
    # (the site starts its search index on the web page meanwhile); never sent to a worker process
    on_rendered: Callable[[str, bytes], None] | None = field(default=None, compare=False, repr=False)


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


def build(request: Request, renderers: Renderers | None = None) -> Result:
    """Build the statement of `request`; raise `MmnpressError` on any problem."""
    started = time.perf_counter()
    return build_resolved(request, resolve_request(request), renderers, started)


def resolve_request(request: Request) -> Resolved:
    """Resolve the statement of `request`; raise `MmnpressError` on any problem."""
    if not request.path.is_file():
        raise InputError([Problem(display_path(request.path), 1, 1, "no such statement file")])
    return resolve(request.path, request.options)


def build_resolved(request: Request, resolved: Resolved, renderers: Renderers | None = None,
                   started: float | None = None, document=None) -> Result:
    """Assemble (unless `document` is given), render and write an already resolved statement.

    `renderers` are kept by the caller across builds (a batch worker, the
    watcher); without them the process's shared renderers are used.
    """
    started = time.perf_counter() if started is None else started
    document, rendered = render_resolved(request, resolved, renderers, document)
    folder = output_dir(request, resolved.root)
    outputs, hashes = [], {}
    for fmt, data in rendered.items():
        target = folder / file_name(request.path.stem, fmt)
        write_atomically(target, data)
        outputs.append(target)
        hashes[target] = hashlib.sha256(data).hexdigest()
    return Result(request.path, outputs, time.perf_counter() - started, hashes, document)


def render_resolved(request: Request, resolved: Resolved, renderers: Renderers | None = None,
                    document=None) -> tuple[object, dict[str, bytes]]:
    """Assemble (unless `document` is given) and render an already resolved statement; return it and the bytes per format.

    Nothing is written.
    """
    chosen = _chosen(request, renderers or shared())
    if document is None:
        document = assemble(resolved, request.options, while_waiting=lambda: _prepare(chosen, resolved))
    for renderer in chosen.values():
        renderer.check(document)
    return document, _render_all(chosen, document, resolved, request.render_options, request.on_rendered)


def _render_all(chosen: dict, document, resolved: Resolved, options: RenderOptions,
                on_rendered: Callable[[str, bytes], None] | None = None) -> dict[str, bytes]:
    """Render every chosen format; those working outside Python's lock (Typst) render in a thread beside the rest.

    `on_rendered` is told each format rendered in this thread as soon as it is.

    A failure is raised once all have ended, the first in the order of the
    formats, as rendering them one after another would have raised it.
    """
    outcomes: dict[str, tuple[bool, object]] = {}
    aside = [fmt for fmt, renderer in chosen.items() if renderer.concurrent(document)] if len(chosen) > 1 else []
    threads = [threading.Thread(target=_render_one, args=(outcomes, fmt, chosen[fmt], document, resolved, options),
                                name=f"mmnpress-render-{fmt}", daemon=True) for fmt in aside]
    for thread in threads:
        thread.start()
    try:
        for fmt, renderer in chosen.items():
            if fmt not in aside:
                _render_one(outcomes, fmt, renderer, document, resolved, options)
                if on_rendered is not None and outcomes[fmt][0]:
                    on_rendered(fmt, outcomes[fmt][1])
    finally:
        for thread in threads:
            thread.join()
    for fmt in chosen:
        succeeded, value = outcomes[fmt]
        if not succeeded:
            raise value
    return {fmt: outcomes[fmt][1] for fmt in chosen}


def _render_one(outcomes: dict, fmt: str, renderer, document, resolved: Resolved, options: RenderOptions) -> None:
    """Render one format into `outcomes[fmt]`: (True, bytes), or (False, the exception it raised)."""
    try:
        outcomes[fmt] = (True, renderer.render(document, _templates_folder(resolved, renderer), options))
    except Exception as error:  # noqa: BLE001 - raised again by _render_all, in the order of the formats
        outcomes[fmt] = (False, error)


def output_files(request: Request, root: Path) -> list[Path]:
    """Return the files a build of `request` writes, in the order of its formats."""
    folder = output_dir(request, root)
    return [folder / file_name(request.path.stem, fmt) for fmt in request.formats]


def _chosen(request: Request, renderers: Renderers) -> dict:
    """Return the renderer of each format `request` asks for."""
    unknown = [fmt for fmt in request.formats if fmt not in names()]
    if unknown:
        raise InputError([Problem(display_path(request.path), 1, 1, f"unknown output format '{unknown[0]}'")])
    return {fmt: renderers[fmt] for fmt in request.formats}


def template_dir(resolved: Resolved, fmt: str) -> Path:
    """Return the folder of the templates `fmt` renders `resolved` with (making Word templates as needed)."""
    return _templates_folder(resolved, formats()[fmt])


def _templates_folder(resolved: Resolved, renderer: Renderer | type[Renderer]) -> Path:
    """Return the folder of the templates `renderer` renders `resolved` with (as its `templates` says)."""
    from .templates import template_dir as folder_of

    return folder_of(resolved.organisation, resolved.statement.kind, resolved.root, renderer.templates)


def _prepare(chosen: dict, resolved: Resolved) -> None:
    """Let each renderer open its template or load its fonts while pandoc runs."""
    organisation = resolved.organisation
    for renderer in chosen.values():
        try:
            renderer.prepare(_templates_folder(resolved, renderer), resolved.statement.kind, organisation.profile)
        except Exception:  # noqa: BLE001 - rendering reports the same problem properly
            pass


def warm_up(formats: tuple[str, ...]) -> threading.Thread:
    """Start importing the renderers of `formats` in a thread; return it to join."""
    thread = threading.Thread(target=_import_all, args=(warm_modules(formats),), name="mmnpress-warm-up", daemon=True)
    thread.start()
    return thread


def _import_all(modules: list[str]) -> None:
    import importlib

    for module in modules:
        try:
            importlib.import_module(module)
        except Exception:  # the render step reports a missing renderer properly
            return
