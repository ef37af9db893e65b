"""Templates passed around between organisations render in a sandbox, within a time bound."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.hostile.helpers import assert_clean_failure, mmnpress

REPO = Path(__file__).resolve().parents[2]
STATEMENT = """\
kind: statement
lang: en
title: Template test
date: 2020-05-01
organisation: mmn
body:
  - A paragraph.
"""


def _project(tmp_path: Path, body_tag: str) -> Path:
    """Copy the templates and put `body_tag` into the statement template's body."""
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / "statements").mkdir()
    (tmp_path / "statements" / "s.yaml").write_text(STATEMENT, encoding="utf-8")
    template = tmp_path / "templates" / "mmn" / "statement.docx"
    _replace_in_body(template, "{{p body }}", body_tag)
    return tmp_path


def _replace_in_body(template: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(template) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert old in xml
    parts["word/document.xml"] = xml.replace(old, new.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).encode()
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@pytest.mark.parametrize("tag", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ organisation.name.__class__.__base__ }}",
])
def test_template_reaching_python_internals_is_refused(tmp_path, tag):
    project = _project(tmp_path, tag)
    run = mmnpress("build", "statements/s.yaml", "--to", "docx", cwd=project)
    assert_clean_failure(run, positioned=False)
    assert len(run.lines) == 1 and "statement.docx" in run.lines[0]
    assert re.search(r"sandbox|unsafe|undefined|template error", run.lines[0], re.I), run.lines
    assert not (project / "build" / "s.docx").exists()


@pytest.mark.parametrize("tag", [
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% macro loop(n) %}{{ loop(n + 1) }}{% endmacro %}{{ loop(0) }}",
])
def test_template_that_never_ends_stops_within_the_bound(tmp_path, tag):
    project = _project(tmp_path, tag)
    run = mmnpress("build", "statements/s.yaml", "--to", "docx", cwd=project, timeout=60)
    assert_clean_failure(run, positioned=False)
    assert len(run.lines) == 1 and "statement.docx" in run.lines[0]
    assert run.seconds < 20, run.seconds
    assert not (project / "build" / "s.docx").exists()


def test_template_with_an_undefined_variable_is_an_error(tmp_path):
    project = _project(tmp_path, "{{ no_such_variable }}")
    run = mmnpress("build", "statements/s.yaml", "--to", "docx", cwd=project)
    assert_clean_failure(run, positioned=False, expect="no_such_variable")
