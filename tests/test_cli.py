"""Tests of the command line itself: version, styles, help, completion, lazy imports."""

from __future__ import annotations

import os
import subprocess
import sys

from mmnpress import __version__

HEAVY = ("yaml", "docx", "docxtpl", "jinja2", "typst", "babel", "lxml", "mmnpress.pipeline.assemble", "concurrent.futures")


def test_version(cli):
    result = cli("--version")
    assert (result.exit_code, result.output) == (0, f"mmnpress, version {__version__}\n")


def test_styles_filters_by_query(cli):
    names = cli("styles", "chicago-notes").output.splitlines()
    assert "chicago-notes-bibliography-subsequent-ibid" in names
    assert all("chicago-notes" in name for name in names)


def test_help_lists_every_command(cli):
    output = cli("--help").output
    for command in ("build", "check", "new", "watch", "styles"):
        assert f"  {command} " in output


def test_importing_the_cli_loads_no_pipeline():
    code = "import sys, mmnpress.commands.main; print(' '.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert not loaded & set(HEAVY)


def complete(**env: str) -> str:
    """Run the CLI as `mmnpress` with completion variables set; return what it prints."""
    code = "from mmnpress.commands.main import main; main(prog_name='mmnpress')"
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True)
    return done.stdout


def test_bash_completion_script_and_candidates():
    assert "complete -o nosort -F _mmnpress_completion mmnpress" in complete(_MMNPRESS_COMPLETE="bash_source")
    candidates = complete(_MMNPRESS_COMPLETE="bash_complete", COMP_WORDS="mmnpress new press", COMP_CWORD="2")
    assert candidates.splitlines() == ["plain,press-release"]


def test_review_imports_neither_the_cli_nor_the_build():
    code = ("import sys, mmnpress.commands.review, mmnpress.review.pull, mmnpress.review.apply; "
            "print(sorted(m for m in ('mmnpress.commands.main', 'mmnpress.build', 'mmnpress.pipeline.resolve', 'mmnpress.pipeline.assemble') "
            "if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout == "[]\n"
    from mmnpress.commands import main as cli

    assert cli.main.commands["review"].commands.keys() == {"pull", "apply"}
