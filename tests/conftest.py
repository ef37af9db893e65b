"""Shared fixtures: a throw-away project with the repository's templates and sources."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SEED = "statements/2017-11-22-asean-consensus.yaml"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """Return a copy of the repository's project folders, made the working folder."""
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def cli():
    """Return a function that runs the mmnpress command line in-process."""
    from mmnpress.cli import main

    def run(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run


def write_statement(project: Path, name: str, text: str) -> Path:
    """Write a statement file under statements/ and return its path relative to the project."""
    path = Path("statements") / name
    (project / path).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


MINIMAL = """\
kind: statement
lang: en
title: A short statement
date: 2020-05-01
organisation: mmn
references: ../bibliography/mmn.json
body:
  - First paragraph.
"""
