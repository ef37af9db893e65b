"""Tests of `mmnpress new`: every skeleton builds as it is, and nothing is overwritten."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mmnpress import schema

TODAY = dt.date.today().isoformat()


@pytest.mark.parametrize("kind", schema.KINDS)
def test_each_kind_checks_clean_and_builds(project, cli, kind):
    result = cli("new", kind, "a-new-one")
    path = Path(f"statements/{TODAY}-a-new-one.yaml")
    assert (result.exit_code, result.output) == (0, f"wrote {path}\n")
    assert cli("check", str(path)).exit_code == 0
    result = cli("build", str(path))
    assert result.exit_code == 0, result.output
    assert Path(f"build/{path.stem}.docx").is_file() and Path(f"build/{path.stem}.pdf").is_file()


def test_other_language_builds(project, cli):
    assert cli("new", "statement", "thai", "--lang", "th", "--organisation", "mmn").exit_code == 0
    path = Path(f"statements/{TODAY}-thai.yaml")
    assert "lang: th\n" in path.read_text(encoding="utf-8")
    assert cli("build", str(path), "--to", "docx").exit_code == 0


def test_refuses_to_overwrite(project, cli):
    cli("new", "statement", "once")
    path = Path(f"statements/{TODAY}-once.yaml")
    path.write_text("kept\n", encoding="utf-8")
    result = cli("new", "press-release", "once")
    assert result.exit_code == 2
    assert result.stderr == f"{path} already exists; choose another slug or remove it\n"
    assert path.read_text(encoding="utf-8") == "kept\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["statement", "Bad Slug"], "slug 'Bad Slug' must be lower-case letters and digits joined by hyphens"),
        (["statement", "ok", "--lang", "x-no"], "--lang must be a BCP 47 language tag"),
        (["statement", "ok", "--organisation", "nobody"],
         "no organisation 'nobody': templates/nobody/profile.yaml does not exist (profiles found: mmn)"),
    ],
)
def test_bad_arguments_exit_2(project, cli, args, message):
    result = cli("new", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert not list(Path("statements").glob(f"{TODAY}-*"))


def test_unknown_kind_is_a_usage_error(project, cli):
    assert cli("new", "memo", "x").exit_code == 2


def test_writes_into_the_project_from_a_subfolder(project, cli, monkeypatch):
    monkeypatch.chdir(project / "bibliography")
    assert cli("new", "statement", "from-below").exit_code == 0
    assert (project / f"statements/{TODAY}-from-below.yaml").is_file()


def test_the_schema_drives_the_kinds_of_the_command():
    from mmnpress.commands.main import new

    kind = next(p for p in new.params if p.name == "kind")
    assert tuple(kind.type.choices) == schema.KINDS
    assert sorted(p.stem for p in schema_skeletons()) == sorted(schema.KINDS)


def schema_skeletons() -> list[Path]:
    from mmnpress.skeleton import SKELETONS

    return sorted(SKELETONS.glob("*.yaml"))
