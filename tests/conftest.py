"""Shared fixtures: a throw-away project with the repository's templates and sources."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
HOSTILE = REPO / "tests" / "hostile"  # every test below it runs the real command line on hostile input: slow
SEED = "statements/2017-11-22-asean-consensus.yaml"


def pytest_configure(config) -> None:
    """Keep what builds cache for the user (Word templates, citations) in a folder of the test run's own, removed at its end."""
    import atexit
    import os
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="mmnpress-test-cache-")
    os.environ["XDG_CACHE_HOME"] = folder
    # builds run in the command's own process; tests/test_build_server.py turns the build server on where it tests it
    os.environ["MMNPRESS_SERVER"] = "off"
    atexit.register(shutil.rmtree, folder, True)
    _let_ctrl_c_reach_commands()
    _make_word_font_instances()
    _choose_hypothesis_profile()


def _choose_hypothesis_profile() -> None:
    """Let `.ci/run` (HYPOTHESIS_PROFILE=ci) run the property tests on the same examples every time.

    On a developer's machine they draw new examples at each run and find new
    problems; CI repeats one fixed draw, so a red CI is never a new random
    draw. (Hypothesis also picks this by itself where the CI variable is set.)
    """
    import os

    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def _let_ctrl_c_reach_commands() -> None:
    """Stop ignoring Ctrl-C in the test process, so the commands the tests start and interrupt receive it.

    A runner that starts the tests as a background job of a non-interactive
    shell (`.ci/run &`) has SIGINT ignored, every child inherits that, and
    Python then never installs its KeyboardInterrupt handler: a preview or a
    build the tests interrupt would run on. A handler of our own is reset to
    the default in each child, as in a terminal.
    """
    import signal

    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _make_word_font_instances() -> None:
    """Make the static font instances Word files embed before any test is timed (once per machine, seconds each)."""
    from mmnpress.render import wordfonts

    for family in ("Noto Sans", "Noto Serif", *wordfonts.SCRIPT_RANGES):
        for style in wordfonts.STYLES:
            try:
                wordfonts.static_instance(family, style)
            except LookupError:
                pass


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
    from mmnpress.commands.main import main

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


EXAMPLES = sorted(path.name for path in (REPO / "statements").glob("*.yaml"))


@dataclass(frozen=True)
class Built:
    """An example statement built once for the whole test session."""

    root: Path  # the project folder it was built in
    docx: Path
    pdf: Path
    document: object  # the render model


@pytest.fixture(scope="session")
def examples_project(tmp_path_factory) -> Path:
    """Return a session-wide copy of the repository's project folders; tests must not change it."""
    root = tmp_path_factory.mktemp("examples")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    return root


@pytest.fixture(scope="session")
def built_examples(examples_project):
    """Return a function that builds an example statement (a name under statements/) once per session."""
    from mmnpress.build import Request, build

    cache: dict[str, Built] = {}

    def built(name: str) -> Built:
        if name not in cache:
            with pytest.MonkeyPatch.context() as patch:
                patch.chdir(examples_project)
                result = build(Request(Path("statements") / name, out_dir=examples_project / "build"))
            outputs = {path.suffix: path for path in result.outputs}
            cache[name] = Built(examples_project, outputs[".docx"], outputs[".pdf"], result.document)
        return cache[name]

    return built


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the snapshots under tests/golden/ from the current outputs instead of comparing")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    """Mark every hostile-input test slow."""
    for item in items:
        if HOSTILE in item.path.parents:
            item.add_marker(pytest.mark.slow)
