"""Hazards of where outputs go and how they are written: links out of the project,
long names, a hostile build cache, a terminal that is not UTF-8."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from tests.conftest import MINIMAL, REPO
from tests.hostile.helpers import assert_no_traceback, mmnpress


@pytest.fixture
def project(tmp_path):
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, tmp_path / name)
    (tmp_path / "statements/short.yaml").write_text(MINIMAL, encoding="utf-8")
    return tmp_path


def test_a_statement_linked_from_another_project_is_refused_and_builds_nowhere(project, tmp_path_factory):
    other = tmp_path_factory.mktemp("other")
    shutil.copytree(project / "templates", other / "templates")
    (other / "statements").mkdir()
    (other / "statements/theirs.yaml").symlink_to(project / "statements/short.yaml")
    run = mmnpress("build", "--to", "docx", "statements/theirs.yaml", cwd=other)
    assert run.status == 2
    assert_no_traceback(run)
    assert "statements/theirs.yaml:1:1: is a link to a file outside the project folder" in run.stderr
    assert not (project / "build").exists() and not (other / "build").exists()


def test_a_statement_name_as_long_as_allowed_builds(project):
    name = "s" * (255 - len(".yaml")) + ".yaml"  # its .docx name is as long: 255 bytes
    (project / "statements" / name).write_text(MINIMAL, encoding="utf-8")
    run = mmnpress("build", "--to", "docx", f"statements/{name}", cwd=project)
    assert_no_traceback(run)
    assert run.status == 0, run.stderr
    assert (project / "build" / (name[:-len(".yaml")] + ".docx")).is_file()
    assert not [p for p in (project / "build").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("hazard", ["fifo", "dev-zero", "deep-json", "huge"])
def test_a_hostile_build_cache_is_ignored_and_rewritten(project, hazard):
    cache = project / "build/.mmnpress-cache.json"
    cache.parent.mkdir()
    if hazard == "fifo":
        os.mkfifo(cache)
    elif hazard == "dev-zero":
        cache.symlink_to("/dev/zero")
    elif hazard == "deep-json":
        cache.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    else:
        cache.write_bytes(b'{"format": 1, "outputs": {"x": "' + b"y" * (9 * 1024 * 1024) + b'"}}')
    run = mmnpress("build", "--to", "docx", "statements/short.yaml", cwd=project, timeout=120)
    assert_no_traceback(run)
    assert run.status == 0, run.stderr
    assert cache.is_file() and not cache.is_symlink()
    assert "short.docx" in json.loads(cache.read_text(encoding="utf-8"))["outputs"]


def test_a_terminal_that_is_not_utf8_gets_escapes_not_an_internal_error(project):
    (project / "statements/thai.yaml").write_text(MINIMAL.replace("A short statement", "แถลงการณ์") + "หัวข้อ: 1\n",
                                                  encoding="utf-8")
    run = mmnpress("check", "statements/thai.yaml", cwd=project, env={"PYTHONIOENCODING": "latin-1"})
    assert_no_traceback(run)
    assert run.status == 2
    assert "statements/thai.yaml:9:1:" in run.stdout + run.stderr
