"""The format registry: each output format is one renderer, and builds follow what it declares."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL, write_statement

from mmnpress import render
from mmnpress.render import Renderer

ROOT = Path(__file__).resolve().parent.parent


class PlainText(Renderer):
    """A format the registry does not ship: the plain title, in a file whose suffix is not its name."""

    name, suffix, warm = "plain", ".plain.txt", ()
    prepared: list[str] = []

    def prepare(self, template_dir, kind, profile):
        self.prepared.append(kind)

    def render(self, document, template_dir, options=render.DEFAULT_OPTIONS):
        return document.title_plain.encode("utf-8")


@pytest.fixture
def with_plain_text(monkeypatch):
    """Register PlainText beside the shipped formats, as a new module under render/ would be."""
    shipped = render.formats()
    monkeypatch.setattr(render, "formats", lambda: {**shipped, "plain": PlainText})
    PlainText.prepared.clear()


def test_every_format_declares_its_name_suffix_and_modules_to_warm():
    formats = render.formats()
    assert list(formats) == ["docx", "pdf", "html", "email", "ninjs"]
    for name, renderer in formats.items():
        assert renderer.name == name
        assert renderer.suffix.startswith(".")
        assert renderer.__module__ in renderer.warm
        for module in renderer.warm:
            importlib.import_module(module)


def test_reading_the_registry_loads_no_rendering_library():
    """Checking --to must not cost the imports of lxml, docxtpl, Jinja or Typst."""
    code = ("import sys; from mmnpress import render; render.names(); "
            "print(sorted(m for m in ('lxml.etree', 'docxtpl', 'jinja2', 'typst') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert found.stdout.strip() == "[]"


def test_an_unknown_format_lists_every_registered_one(project, cli, with_plain_text):
    result = cli("build", "statements/x.yaml", "--to", "docx,rtf")
    assert result.exit_code == 2
    assert "--to takes one or more of docx, pdf, html, email, ninjs, plain, comma-separated, or all (got 'docx,rtf')" in result.stderr


def test_a_new_format_is_built_cached_and_named_by_its_suffix(project, cli, with_plain_text):
    path = write_statement(project, "2020-01-01-plain.yaml", MINIMAL)
    result = cli("build", str(path), "--to", "plain,docx")
    assert result.exit_code == 0, result.stderr
    assert result.output.startswith("built build/2020-01-01-plain.plain.txt, build/2020-01-01-plain.docx in ")
    assert (project / "build" / "2020-01-01-plain.plain.txt").read_text(encoding="utf-8") == "A short statement"
    assert PlainText.prepared == ["statement"]
    assert cli("build", str(path), "--to", "plain").output.endswith("up to date\n")
