"""`redline --against` names the old version as REV:FILE, and its hidden copy (any dot-file) is never a statement.

Real git, real command line.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINIMAL, SEED
from tests.hostile.helpers import assert_clean_failure, mmnpress

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Tester", "-c", "user.email=t@example.org", *args], cwd=project, check=True, capture_output=True)


def test_problems_of_the_old_version_are_named_rev_colon_file(project):
    path = project / "statements" / "x.yaml"
    path.write_text(MINIMAL + "title: Again\n", encoding="utf-8")  # a duplicate key at line 9
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "broken")
    path.write_text(MINIMAL, encoding="utf-8")
    run = mmnpress("redline", "statements/x.yaml", "--against", "HEAD", cwd=project)
    assert_clean_failure(run, expect="duplicate key 'title'")
    assert run.lines == ["HEAD:statements/x.yaml:9:1: duplicate key 'title' (first given at line 3)"], run.lines
    assert not list((project / "statements").glob(".*"))


def test_dot_files_in_a_folder_are_never_statements(project):
    statements = project / "statements"
    shutil.copy(project / SEED, statements / ".mmnpress-old-17800.yaml")  # what a redline --against keeps meanwhile
    (statements / ".#x.yaml").write_text("not: [a statement\n", encoding="utf-8")  # an editor's lock file
    checked = mmnpress("check", "statements", cwd=project)
    assert ".mmnpress-old" not in checked.stdout + checked.stderr and ".#x" not in checked.stdout + checked.stderr
    built = mmnpress("build", "statements", "--to", "docx", "-o", "out", cwd=project)
    assert built.status == 0, built.lines
    assert not list((project / "out").glob(".mmnpress-old*")) and not list((project / "out").glob(".#*"))
    assert ".mmnpress-old" not in built.stdout + built.stderr
