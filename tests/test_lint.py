"""Tests of `mmnpress check`: one test per lint rule, exit statuses, --strict and JSON."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import MINIMAL, SEED, write_statement

PRESS = """\
kind: press-release
lang: en
title: A release
date: 2020-05-01
organisation: mmn
body:
  - First paragraph.
"""
CONTACT = """\
contacts:
  - name: Omsin Boonlert
    email: omsin@example.org
"""
RECOMMENDATIONS = """\
recommendations:
  items:
    - title: One
      text: First.
    - title: Two
      text: Second.
"""


def lines(result) -> list[str]:
    """Return the output lines of a command run."""
    return result.output.splitlines()


def test_clean_statement_exits_0(project, cli):
    result = cli("check", SEED)
    assert (result.exit_code, lines(result)) == (0, [f"{SEED}: ok"])


def test_unused_note(project, cli):
    text = MINIMAL.replace("First paragraph.", "First paragraph.[^used]") + "notes:\n  used: A note.\n  spare: Never cited.\n"
    path = write_statement(project, "x.yaml", text)
    result = cli("check", str(path))
    assert lines(result) == [f"{path}:11:3: warning: note 'spare' is never used; refer to it as [^spare] or remove it"]
    assert result.exit_code == 1


def test_embargo_in_the_past(project, cli):
    text = PRESS + CONTACT + "release: embargoed\nembargo: 2020-05-01T09:00:00+07:00\n"
    path = write_statement(project, "x.yaml", text)
    assert lines(cli("check", str(path))) == [
        f"{path}:12:10: warning: the embargo (2020-05-01T09:00:00+07:00) has passed; change it or set release: immediate"
    ]


def test_future_embargo_is_clean(project, cli):
    path = write_statement(project, "x.yaml", PRESS + CONTACT + "release: embargoed\nembargo: 2999-01-01T09:00:00+07:00\n")
    assert cli("check", str(path)).exit_code == 0


def test_press_release_without_media_contact(project, cli):
    path = write_statement(project, "x.yaml", PRESS)
    message = "warning: a press release needs a media contact: add one with an email or phone under contacts:"
    assert lines(cli("check", str(path))) == [f"{path}:1:7: {message}"]
    path = write_statement(project, "y.yaml", PRESS + "contacts:\n  - name: Nobody Reachable\n")
    assert lines(cli("check", str(path))) == [f"{path}:9:3: {message}"]


def test_translation_dated_before_its_original(project, cli):
    write_statement(project, "original.yaml", MINIMAL)
    path = write_statement(project, "original.th.yaml", "extends: original.yaml\nlang: th\ndate: 2020-04-01\n")
    assert lines(cli("check", str(path))) == [
        f"{path}:3:7: warning: this translation is dated 2020-04-01, before its original "
        "statements/original.yaml (2020-05-01); bring it up to date"
    ]


def test_translation_with_another_number_of_recommendations(project, cli):
    write_statement(project, "original.yaml", MINIMAL + RECOMMENDATIONS)
    path = write_statement(project, "original.th.yaml", "extends: original.yaml\nlang: th\n" + RECOMMENDATIONS[:-34])
    assert lines(cli("check", str(path))) == [
        f"{path}:3:1: warning: this translation has 1 recommendations, its original statements/original.yaml has 2"
    ]


def test_inherited_date_and_recommendations_are_clean(project, cli):
    write_statement(project, "original.yaml", MINIMAL + RECOMMENDATIONS)
    path = write_statement(project, "original.th.yaml", "extends: original.yaml\nlang: th\n")
    assert cli("check", str(path)).exit_code == 0


def test_empty_sections(project, cli):
    path = write_statement(project, "x.yaml", MINIMAL + "closing: []\nrecommendations:\n  items: []\n")
    assert lines(cli("check", str(path))) == [
        f"{path}:9:10: warning: 'closing' is empty; fill it in or remove it",
        f"{path}:11:10: warning: 'recommendations.items' is empty; fill it in or remove it",
    ]


def test_label_missing_in_the_catalog(project, cli):
    path = write_statement(project, "x.yaml", MINIMAL.replace("lang: en", "lang: fr"))
    assert lines(cli("check", str(path))) == [f"{path}:2:7: warning: no label catalog for 'fr': every label prints in English"]


def test_partial_catalog_names_the_missing_labels(project, monkeypatch):
    from mmnpress import i18n
    from mmnpress.check import engine as lint
    from mmnpress.pipeline.translations import load_statement

    path = write_statement(project, "x.yaml", MINIMAL.replace("lang: en", "lang: th"))
    statement = load_statement(path, project)
    full = i18n.labels("th")
    monkeypatch.setattr(i18n, "labels", lambda lang: i18n.Labels(full.text, ("tel", "email")))
    [finding] = lint.missing_labels(statement)
    assert (finding.line, finding.column, finding.severity) == (2, 7, "warning")
    assert finding.message == "the 'th' label catalog lacks tel, email; these print in English"


def test_errors_exit_2_with_positions(project, cli):
    path = write_statement(project, "x.yaml", MINIMAL.replace("First paragraph.", "Cites [@nosuchkey] and [^nolabel]."))
    result = cli("check", str(path))
    assert result.exit_code == 2
    assert lines(result) == [
        f"{path}:8:12: error: unknown citation key 'nosuchkey'",
        f"{path}:8:28: error: unknown note label 'nolabel'; add it under notes:",
    ]


def test_errors_and_warnings_together(project, cli):
    path = write_statement(project, "x.yaml", MINIMAL.replace("First paragraph.", "Cites [@nosuchkey].") + "closing: []\n")
    result = cli("check", str(path))
    assert result.exit_code == 2
    assert [line.split(": ")[1] for line in lines(result)] == ["error", "warning"]


def test_invalid_yaml_is_one_error(project, cli):
    path = write_statement(project, "x.yaml", "kind: statement\ntitle: [unclosed\n")
    result = cli("check", str(path))
    assert result.exit_code == 2
    assert lines(result)[0].startswith(f"{path}:3:1: error: YAML syntax")


def test_strict_turns_warnings_into_errors(project, cli):
    path = write_statement(project, "x.yaml", MINIMAL + "closing: []\n")
    assert cli("check", str(path)).exit_code == 1
    result = cli("check", "--strict", str(path))
    assert result.exit_code == 2
    assert lines(result) == [f"{path}:9:10: error: 'closing' is empty; fill it in or remove it"]


def test_json_report(project, cli):
    path = write_statement(project, "x.yaml", MINIMAL + "closing: []\n")
    result = cli("check", "--format", "json", str(path), SEED)
    report = json.loads(result.output)
    assert result.exit_code == report["exit_status"] == 1
    assert report["files"] == [str(path), SEED]
    assert (report["errors"], report["warnings"]) == (0, 1)
    assert report["problems"] == [
        {"file": str(path), "line": 9, "column": 10, "severity": "warning",
         "message": "'closing' is empty; fill it in or remove it", "rule": "empty-section"}
    ]


def test_check_writes_nothing(project, cli):
    before = sorted(p for p in project.rglob("*"))
    cli("check", "statements")
    assert sorted(p for p in project.rglob("*")) == before
    assert not Path("build").exists()
