"""Every validation rule: the exact FILE:LINE:COLUMN, exit status 2, nothing written."""

from __future__ import annotations

import pytest

from tests.conftest import MINIMAL, write_statement

F = "statements/s.yaml"


def _errors(project, cli, text: str) -> list[str]:
    path = write_statement(project, "s.yaml", text)
    result = cli("build", str(path), "--to", "docx")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not (project / "build").exists(), "a failed build must write nothing"
    return result.stderr.strip().splitlines()


CASES = {
    "missing required key": (
        MINIMAL.replace("kind: statement\n", ""),
        f"{F}:1:1: missing required key 'kind'",
    ),
    "unknown key with a hint": (
        MINIMAL + "titel: x\n",
        f"{F}:9:1: unknown key 'titel'; did you mean 'title'?",
    ),
    "unknown key in a contact": (
        MINIMAL + "contacts:\n  - name: A\n    emial: a@example.org\n",
        f"{F}:11:5: unknown key 'emial'; did you mean 'email'?",
    ),
    "date that does not exist": (
        MINIMAL.replace("2020-05-01", "2020-02-30"),
        f"{F}:4:7: 'date' must be a real date written YYYY-MM-DD (got '2020-02-30')",
    ),
    "kind outside its values": (
        MINIMAL.replace("kind: statement", "kind: letter"),
        f"{F}:1:7: 'kind' must be one of: statement, press-release, position-paper (got 'letter')",
    ),
    "status outside its values": (
        MINIMAL + "status: done\n",
        f"{F}:9:9: 'status' must be one of: draft, final (got 'done')",
    ),
    "release outside its values": (
        MINIMAL + "release: later\n",
        f"{F}:9:10: 'release' must be one of: immediate, embargoed (got 'later')",
    ),
    "embargo without an offset": (
        MINIMAL + "release: embargoed\nembargo: 2020-05-01T09:00:00\n",
        f"{F}:10:10: 'embargo' must carry a UTC offset, e.g. 2017-11-22T09:00:00+07:00",
    ),
    "embargoed without an embargo": (
        MINIMAL + "release: embargoed\n",
        f"{F}:9:1: 'embargo' is required when release is embargoed",
    ),
    "email address": (
        MINIMAL + "contacts:\n  - name: A\n    email: a-at-example.org\n",
        f"{F}:11:12: 'a-at-example.org' is not an email address",
    ),
    "phone number": (
        MINIMAL + "contacts:\n  - name: A\n    phone: [call me]\n",
        f"{F}:11:13: 'call me' is not a phone number; write it like +66 53 283 259",
    ),
    "contact language": (
        MINIMAL + "contacts:\n  - name: A\n    languages: [thai]\n",
        f"{F}:11:17: 'thai' is not a language code such as th, en, my, km",
    ),
    "document language": (
        MINIMAL.replace("lang: en", "lang: english"),
        f"{F}:2:7: 'lang' must be a BCP 47 language tag such as en, th, my, km, lo, vi (got 'english')",
    ),
    "duplicate key": (
        MINIMAL + "title: Again\n",
        f"{F}:9:1: duplicate key 'title' (first given at line 3)",
    ),
    "python object tag": (
        MINIMAL + "place: !!python/object/apply:os.system [ls]\n",
        f"{F}:9:8: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; write plain values",
    ),
    "unknown citation key": (
        MINIMAL.replace("First paragraph.", "First paragraph, see [@nosuch, p. 3]."),
        f"{F}:8:27: unknown citation key 'nosuch'",
    ),
    "unknown note label": (
        MINIMAL.replace("First paragraph.", "First paragraph.[^missing]"),
        f"{F}:8:21: unknown note label 'missing'; add it under notes:",
    ),
    "unknown citation style": (
        MINIMAL + "csl: chicago-notes-bibliografy\n",
        f"{F}:9:6: unknown citation style 'chicago-notes-bibliografy'; close names: ",
    ),
    "empty body": (
        MINIMAL.replace("body:\n  - First paragraph.\n", "body: []\n"),
        f"{F}:7:7: 'body' needs at least one paragraph",
    ),
    "empty text": (
        MINIMAL + "closing:\n  - ''\n",
        f"{F}:10:5: 'closing[0]' is empty",
    ),
    "missing bibliography": (
        MINIMAL.replace("../bibliography/mmn.json", "../bibliography/none.json"),
        f"{F}:6:13: bibliography file not found: ../bibliography/none.json",
    ),
    "unknown organisation": (
        MINIMAL.replace("organisation: mmn", "organisation: nobody"),
        f"{F}:5:15: no organisation 'nobody': templates/nobody/profile.yaml does not exist (profiles found: mmn)",
    ),
    "YAML syntax": (
        MINIMAL + "about: [unclosed\n",
        f"{F}:10:1: YAML syntax: ",
    ),
    "top level not a mapping": (
        "- just\n- a list\n",
        f"{F}:1:1: a statement must be a YAML mapping of keys",
    ),
}


@pytest.mark.parametrize("rule", CASES)
def test_rule_reports_exact_position(project, cli, rule):
    text, expected = CASES[rule]
    lines = _errors(project, cli, text)
    assert any(line.startswith(expected) for line in lines), lines


def test_all_problems_are_reported_at_once(project, cli):
    text = MINIMAL.replace("kind: statement", "kind: letter").replace("2020-05-01", "2020-13-01") + "titel: x\n"
    lines = _errors(project, cli, text)
    assert [line.split(":")[1] for line in lines] == ["1", "4", "9"]


def test_chicago_note_bibliography_is_an_alias_of_the_default(project, cli):
    path = write_statement(project, "s.yaml", MINIMAL + "csl: chicago-note-bibliography\n")
    assert cli("build", str(path), "--to", "docx").exit_code == 0


def test_csl_style_by_path(project, cli):
    from mmnpress.pipeline.bibliography import find_style

    style = find_style("apa", project)
    (project / "bibliography" / "house.csl").write_bytes(style.read_bytes())
    path = write_statement(project, "s.yaml", MINIMAL + "csl: ../bibliography/house.csl\n")
    assert cli("build", str(path), "--to", "docx").exit_code == 0


def test_bibtex_and_csl_yaml_bibliographies(project, cli):
    text = MINIMAL.replace(
        "references: ../bibliography/mmn.json",
        "references: [../bibliography/sez.yaml, ../bibliography/garment.bib]",
    ).replace("First paragraph.", "See [@mmn2019sez] and [@testaverde2017, 5].")
    path = write_statement(project, "s.yaml", text)
    result = cli("build", str(path), "--to", "docx")
    assert result.exit_code == 0, result.output
