"""A new organisation installs mmnpress from pip alone (not editable) and builds in an empty folder.

The package is installed into a fresh virtual environment; init, new and
build then run there, in a temporary folder with no repository files around,
and the organisation's name is read back from the DOCX header (python-docx)
and the PDF (pdftotext).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docx_reader import header_text

REPO = Path(__file__).resolve().parent.parent
NAME = "Delta Fishers Cooperative"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")]


def _run(command: list, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def test_pip_install_init_new_build_in_an_empty_folder(tmp_path):
    source = tmp_path / "source"  # a clean copy, so the check below sees what pip itself writes
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__",
                                                                  ".pytest_cache", ".ruff_cache", ".hypothesis"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], tmp_path, env)
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", source], tmp_path, env)
    assert not (source / "build").exists(), "installing wrote into the folder mmnpress uses for outputs"
    located = _run([python, "-c", "import mmnpress, sys; print(mmnpress.__file__)"], tmp_path, env).stdout
    assert str(venv) in located and str(REPO) not in located  # the installed copy, not the checkout
    empty = tmp_path / "empty"
    empty.mkdir()
    mmnpress = venv / "bin" / "mmnpress"
    _run([mmnpress, "init", "--name", NAME], empty, env)
    _run([mmnpress, "new", "press-release", "wage-theft"], empty, env)
    built = _run([mmnpress, "build"], empty, env).stdout
    assert "built 4, up to date 0, failed 0" in built, built
    release = next((empty / "build").glob("*-wage-theft.docx"))
    assert NAME in header_text(release)
    pdf = subprocess.run(["pdftotext", str(release.with_suffix(".pdf")), "-"], capture_output=True, text=True, check=True).stdout
    assert NAME in " ".join(pdf.split())
