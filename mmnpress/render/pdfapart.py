"""Lay out PDFs in a process of their own, beside the process that renders the rest.

A watcher builds the same statement again and again, and a rebuild is
bounded by Python's lock: the Word file (about 20 ms for the seed) and the
Python parts of the PDF (its inputs, and the repair of its text after Typst)
take the lock in turn, while only Typst runs beside them. Here the PDF
renderer runs in a child process on the other core, keeping its fonts,
compilers and Typst's memory of earlier layouts, as the in-process renderer
does. The document travels by pickle, the PDF comes back as bytes; a failure
comes back as the same one line. If the child is gone (killed, out of
memory), the PDF is rendered in this process instead.
"""

from __future__ import annotations

import multiprocessing
import signal
from pathlib import Path

from mmnpress.document import Document, Profile
from mmnpress.errors import MmnpressError
from mmnpress.render import DEFAULT_OPTIONS, RenderOptions
from mmnpress.render.pdf import PdfRenderer, PdfRenderError


class PdfApartRenderer(PdfRenderer):
    """A PDF renderer whose layouts run in a child process; checks stay here."""

    def __init__(self) -> None:
        super().__init__()
        self._child = None
        self._connection = None

    def prepare(self, template_dir: Path, kind: str, profile: Profile) -> None:
        """Start the child if needed and let it load the fonts and open the compiler, without waiting for it."""
        if self._send(("prepare", template_dir, kind, profile)) is None:
            super().prepare(template_dir, kind, profile)

    def render(self, document: Document, template_dir: Path, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
        """Return the PDF the child lays out, or this process's when the child is gone."""
        connection = self._send(("render", document, template_dir, options))
        if connection is not None:
            try:
                succeeded, value = connection.recv()
            except (EOFError, OSError):
                self._forget_child()
            else:
                if succeeded:
                    return value
                raise PdfRenderError(value)
        return super().render(document, template_dir, options)

    def close(self) -> None:
        """End the child and remove the build folders."""
        self._forget_child()
        super().close()

    def _send(self, message: tuple):
        """Send `message` to the child (started on first use); return the connection, or None when it is gone."""
        try:
            if self._connection is None:
                self._start()
            self._connection.send(message)
            return self._connection
        except (OSError, EOFError, ValueError):
            self._forget_child()
            return None

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")  # forking a process that runs threads is unsafe
        self._connection, theirs = context.Pipe()
        self._child = context.Process(target=_serve, args=(theirs,), name="mmnpress-pdf", daemon=True)
        self._child.start()
        theirs.close()

    def _forget_child(self) -> None:
        connection, child, self._connection, self._child = self._connection, self._child, None, None
        if connection is not None:
            connection.close()  # the child ends when its end of the pipe closes
        if child is not None:
            child.join(timeout=5)
            if child.is_alive():
                child.kill()


def _serve(connection) -> None:
    """Run in the child: render what the parent sends until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; the pipe closing ends this
    renderer = PdfRenderer()
    try:
        while True:
            try:
                message = connection.recv()
            except (EOFError, OSError):
                return
            if message[0] == "prepare":
                _quietly(renderer.prepare, *message[1:])
            else:
                connection.send(_rendered(renderer, *message[1:]))
    finally:
        renderer.close()


def _rendered(renderer: PdfRenderer, document, template_dir, options) -> tuple[bool, bytes | str]:
    """Return (True, the PDF) or (False, the one line that says why not)."""
    try:
        return True, renderer.render(document, template_dir, options)
    except MmnpressError as error:
        return False, str(error)
    except Exception as error:  # noqa: BLE001 - told to the parent as a renderer failure, not a traceback here
        return False, f"internal error: {type(error).__name__}: {error}"


def _quietly(function, *args) -> None:
    try:
        function(*args)
    except Exception:  # noqa: BLE001 - rendering reports the same problem properly
        pass
