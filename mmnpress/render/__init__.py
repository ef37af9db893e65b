"""Output formats: one renderer per format, found through one registry.

A format is one module in this package that defines a `Renderer` subclass
and names it `RENDERER`; the module's name goes into `MODULES`. Everything
else (`build`, `batch`, `watch`, the command line's `--to`) reads the
registry, so a new format touches no other renderer and no build code.

A renderer declares:

- `name`: what users type after `--to` ("docx", "ninjs").
- `suffix`: the end of the file name it writes, dot included; it may differ
  from the name (".docx", ".ninjs.json", ".eml").
- `warm`: modules a batch worker imports as it starts, before its first
  statement (the renderer's module itself and its heavy libraries).
- `templates`: what `template_dir` holds when it renders: "word" (the
  organisation's Word template of the kind, made from its profile when it
  keeps none), "typst" (its Typst templates, else the house style's), or
  "organisation" (the organisation's folder as it is: logo, profile).

and implements:

- `prepare(template_dir, kind, profile)`: optional; get ready for a statement
  of `kind` of the organisation whose templates are in `template_dir` (open a
  template, load fonts). It runs while pandoc works on the statement's text,
  may raise (the same problem is reported by `render`) and must not write.
- `concurrent(document)`: optional; True when rendering `document` runs
  mostly outside Python's lock (the PDF's Typst compiler) and its memory
  fits beside the other formats': the build then renders it in a thread
  beside them, so its `render` must not share state with theirs.
- `render(document, template_dir, options) -> bytes`: the whole output file.
  Raise `errors.RenderError` with one readable line on failure. Never write a
  file: the build writes every output atomically once all formats succeeded.
- `ready_again()`: optional; between two builds of a long-running command
  (the watcher calls it when a build has been reported), get ready to render
  what was rendered last, so the next build finds it prepared. Must not write.
- `close()`: optional; release what the renderer holds (build folders).

What a build asks beyond the document (`options`, a `RenderOptions`) is
declared in `mmnpress/options.py`: an option a renderer reads is one entry
there, and the command line, the build request and the cache key follow.

A renderer sees only the render model (`mmnpress.document`), never YAML, and
imports its heavy libraries inside its methods, so the registry stays cheap
to read. One renderer object serves many statements in turn (a batch worker
or the watcher keeps it); it need not be thread-safe.

Adding a format, say `html`:

    # mmnpress/render/html.py
    class HtmlRenderer(Renderer):
        name, suffix, warm = "html", ".html", ("jinja2", "mmnpress.render.html")

        def render(self, document, template_dir, options):
            ...

    RENDERER = HtmlRenderer

then add "html" to `MODULES` below.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ..options import DEFAULT_PDF_STANDARDS, RenderOptions  # noqa: F401 - the renderers' options, declared in options.py

if TYPE_CHECKING:
    from ..document import Document, Profile

# The modules of this package that hold a renderer, in the order formats are listed.
MODULES = ("docx", "pdf", "html", "email", "ninjs")
# What `mmnpress build` writes when --to is not given.
DEFAULT_FORMATS = ("docx", "pdf")
DEFAULT_OPTIONS = RenderOptions()


class Renderer:
    """One output format: a name, a file suffix, and a way to turn a document into bytes."""

    name: ClassVar[str]
    suffix: ClassVar[str]
    warm: ClassVar[tuple[str, ...]] = ()
    templates: ClassVar[str] = "organisation"  # or "word", "typst": see the module's docstring

    def prepare(self, template_dir: Path, kind: str, profile: Profile) -> None:
        """Get ready to render a statement of `kind` with the templates in `template_dir`."""

    def check(self, document: Document) -> None:
        """Raise `InputError` when `document` is beyond what this format can be made of within bounds."""

    def concurrent(self, document: Document) -> bool:
        """Tell whether `document` may render in a thread beside the other formats (mostly outside Python's lock)."""
        return False

    def render(self, document: Document, template_dir: Path, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
        """Return `document` as the bytes of one output file."""
        raise NotImplementedError

    def ready_again(self) -> None:
        """Get ready, between builds, to render again what was rendered last."""

    def close(self) -> None:
        """Release what the renderer holds."""


@functools.cache
def formats() -> dict[str, type[Renderer]]:
    """Return every renderer class by format name, in the order of `MODULES`."""
    found = {}
    for module in MODULES:
        renderer = importlib.import_module(f"{__name__}.{module}").RENDERER
        found[renderer.name] = renderer
    return found


def names() -> tuple[str, ...]:
    """Return the names of the formats, as users type them after --to."""
    return tuple(formats())


def file_name(stem: str, fmt: str) -> str:
    """Return the name of the file format `fmt` writes for a statement named `stem`."""
    return stem + formats()[fmt].suffix


def warm_modules(chosen: tuple[str, ...]) -> list[str]:
    """Return the modules to import ahead of rendering the formats `chosen`."""
    every = formats()
    return [module for fmt in chosen for module in every[fmt].warm]


class Renderers:
    """The renderers a run uses, each made on first use and kept until `close`."""

    def __init__(self, instead: dict[str, type[Renderer]] | None = None) -> None:
        self._open: dict[str, Renderer] = {}
        self._instead = instead or {}  # a renderer class to use for a format in place of its own

    def __getitem__(self, fmt: str) -> Renderer:
        if fmt not in self._open:
            self._open[fmt] = self._instead.get(fmt, formats()[fmt])()
        return self._open[fmt]

    def ready_again(self) -> None:
        """Let every renderer opened so far get ready for the next build (a problem waits for that build)."""
        for renderer in self._open.values():
            try:
                renderer.ready_again()
            except Exception:  # noqa: BLE001 - the next build reports the same problem properly
                pass

    def close(self) -> None:
        """Close every renderer opened so far."""
        opened, self._open = self._open, {}
        for renderer in opened.values():
            renderer.close()


_SHARED: Renderers | None = None
_KEPT: list[Renderers] = []


def shared() -> Renderers:
    """Return the renderers kept for the life of the process (for single builds)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = Renderers()
    return _SHARED


def keep(renderers: Renderers) -> None:
    """Make `renderers` the ones every command run in this process builds with (the build server's)."""
    _KEPT[:] = [renderers]


def kept() -> Renderers | None:
    """Return the renderers this process keeps for every command it runs, or None (a command's own process)."""
    return _KEPT[0] if _KEPT else None
