"""Formats whose rendering leaves Python's lock (the PDF) render beside the others, with the same results and errors."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import SEED

from mmnpress.build import _render_all
from mmnpress.pipeline.assemble import assemble
from mmnpress.pipeline.resolve import Options, resolve
from mmnpress.render import Renderer, RenderOptions
from mmnpress.render.pdf import CONCURRENT_CHARACTERS, PdfRenderer, text_length

RESOLVED = SimpleNamespace(organisation=SimpleNamespace(folder=Path(".")), statement=SimpleNamespace(kind="statement"), root=Path("."))


class Fake(Renderer):
    """Render the name of the thread it ran in, or fail with its own name."""

    def __init__(self, name: str, aside: bool, fails: bool = False):
        self.fmt, self.aside, self.fails = name, aside, fails

    def concurrent(self, document) -> bool:
        return self.aside

    def render(self, document, template_dir, options=None) -> bytes:
        if self.fails:
            raise ValueError(self.fmt)
        return threading.current_thread().name.encode()


def test_a_concurrent_format_renders_in_a_thread_of_its_own_and_results_keep_their_order():
    chosen = {"a": Fake("a", False), "b": Fake("b", True), "c": Fake("c", False)}
    rendered = _render_all(chosen, None, RESOLVED, RenderOptions())
    assert list(rendered) == ["a", "b", "c"]
    assert rendered["a"] == rendered["c"] == threading.current_thread().name.encode()
    assert rendered["b"] == b"mmnpress-render-b"


def test_alone_a_concurrent_format_renders_in_the_calling_thread():
    assert _render_all({"b": Fake("b", True)}, None, RESOLVED, RenderOptions())["b"] == threading.current_thread().name.encode()


@pytest.mark.parametrize("failing, raised", [("ab", "a"), ("b", "b"), ("bc", "b"), ("c", "c")])
def test_the_first_failure_in_the_order_of_the_formats_is_raised(failing, raised):
    chosen = {name: Fake(name, name == "b", fails=name in failing) for name in "abc"}
    with pytest.raises(ValueError) as error:
        _render_all(chosen, None, RESOLVED, RenderOptions())
    assert str(error.value) == raised


def test_a_long_text_renders_its_pdf_after_the_other_formats(project):
    document = assemble(resolve(project / SEED, Options()), Options())
    assert PdfRenderer().concurrent(document)
    long = document
    while text_length(long) <= CONCURRENT_CHARACTERS:
        long = replace(long, body=long.body * 2)
    assert not PdfRenderer().concurrent(long)
