"""The watcher's PDF renderer lays out in a child process and gives what the renderer in this process gives."""

from __future__ import annotations

import os
import signal

import pytest
from conftest import SEED

from mmnpress.build import Request, build
from mmnpress.errors import display_path
from mmnpress.render import Renderers
from mmnpress.render.pdf import PdfRenderError
from mmnpress.render.pdfapart import PdfApartRenderer


@pytest.fixture
def apart():
    """Return renderers whose PDF renderer works in a child process; end it afterwards."""
    renderers = Renderers(instead={"pdf": PdfApartRenderer})
    yield renderers
    child = renderers["pdf"]._child
    renderers.close()
    assert child is None or not child.is_alive()


def test_the_pdf_is_the_one_this_process_makes(project, apart):
    here = build(Request(project / SEED, ("pdf",), project / "here"))
    there = build(Request(project / SEED, ("pdf",), project / "there"), renderers=apart)
    assert apart["pdf"]._child.is_alive()
    assert there.outputs[0].read_bytes() == here.outputs[0].read_bytes()


def test_a_template_error_comes_back_as_one_line(project, apart, tmp_path):
    from mmnpress.pipeline.assemble import assemble
    from mmnpress.pipeline.resolve import Options, resolve

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "statement.typ").write_text('#panic("template is broken")\n', encoding="utf-8")
    document = assemble(resolve(project / SEED, Options()), Options())
    with pytest.raises(PdfRenderError) as here:
        Renderers()["pdf"].render(document, broken)
    with pytest.raises(PdfRenderError) as there:
        apart["pdf"].render(document, broken)
    assert str(there.value) == str(here.value)
    assert "template is broken" in str(there.value) and "\n" not in str(there.value)
    assert str(there.value).startswith(f"PDF template {display_path(broken / 'statement.typ')}:1:")  # the file the user edits


def test_a_child_that_died_is_replaced(project, apart):
    first = build(Request(project / SEED, ("pdf",), project / "first"), renderers=apart)
    child = apart["pdf"]._child
    os.kill(child.pid, signal.SIGKILL)
    child.join(timeout=10)
    second = build(Request(project / SEED, ("pdf",), project / "second"), renderers=apart)
    assert second.outputs[0].read_bytes() == first.outputs[0].read_bytes()
    third = build(Request(project / SEED, ("pdf",), project / "third"), renderers=apart)
    assert third.outputs[0].read_bytes() == first.outputs[0].read_bytes()
    assert apart["pdf"]._child is not None and apart["pdf"]._child.pid != child.pid


def test_ctrl_c_is_the_parents_to_handle(project, apart):
    """Ctrl-C reaches the whole process group; the child goes on until the watcher closes it."""
    build(Request(project / SEED, ("pdf",), project / "first"), renderers=apart)
    child = apart["pdf"]._child
    os.kill(child.pid, signal.SIGINT)
    build(Request(project / SEED, ("pdf",), project / "second"), renderers=apart)
    assert apart["pdf"]._child is child and child.is_alive()
