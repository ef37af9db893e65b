"""Tests of `mmnpress new`: every skeleton builds as it is, and nothing is overwritten."""

from __future__ import annotations

import datetime as dt
import re
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


ORIGINAL = "statements/2018-06-01-sez-garment-workers.yaml"
TRANSLATION = Path("statements/2018-06-01-sez-garment-workers.km.yaml")


def test_translate_writes_a_skeleton_that_extends_the_original_and_builds(project, cli):
    import yaml

    result = cli("new", "--translate", ORIGINAL, "--lang", "km")
    assert (result.exit_code, result.output) == (0, f"wrote {TRANSLATION}\n")
    text = TRANSLATION.read_text(encoding="utf-8")
    assert yaml.safe_load(text) == {"extends": "2018-06-01-sez-garment-workers.yaml", "lang": "km"}
    assert cli("check", str(TRANSLATION)).exit_code == 0
    built = cli("build", str(TRANSLATION), "--to", "docx")
    assert built.exit_code == 0, built.output
    original = yaml.safe_load(Path(ORIGINAL).read_text(encoding="utf-8"))
    uncommented = yaml.safe_load(re.sub(r"^# ?", "", text.split("\nlang: km\n", 1)[1], flags=re.M))
    translatable = [f.key for f in schema.STATEMENT.fields if f.translatable]
    assert uncommented == {key: original[key] for key in translatable if key in original}  # the original's text, as typed
    assert {"date", "organisation", "references", "kind"} <= set(original) - set(uncommented)


def test_translate_refuses_to_overwrite_and_to_translate_into_the_same_language(project, cli):
    TRANSLATION.write_text("kept\n", encoding="utf-8")
    result = cli("new", "--translate", ORIGINAL, "--lang", "km")
    assert result.exit_code == 2
    assert result.stderr == f"{TRANSLATION} already exists; translate into another --lang, or remove it\n"
    assert TRANSLATION.read_text(encoding="utf-8") == "kept\n"
    same = cli("new", "--translate", ORIGINAL, "--lang", "en")
    assert same.exit_code == 2 and "is already in 'en'" in same.stderr
    assert cli("new").exit_code == 2 and not Path("statements/2018-06-01-sez-garment-workers.en.yaml").exists()
