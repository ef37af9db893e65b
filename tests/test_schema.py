"""The declared schema drives the JSON Schema, the skeletons and FORMAT.md, and they agree with `check`."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from mmnpress import schema
from mmnpress.schema_json import SCHEMA_FILE, json_schema
from tests.conftest import MINIMAL, REPO, write_statement

EXAMPLES = sorted(p.name for p in (REPO / "statements").glob("*.yaml"))
VALIDATOR = jsonschema.Draft202012Validator(json_schema())
# The YAML language server reads draft-07; the schema uses only keywords that mean the same there.
DRAFT_7 = jsonschema.Draft7Validator({k: v for k, v in json_schema().items() if k != "$schema"})
CONTACT = "contacts:\n  - name: A\n"

BROKEN = {
    "unknown key": MINIMAL + "titel: x\n",
    "missing kind": MINIMAL.replace("kind: statement\n", ""),
    "missing body": MINIMAL.replace("body:\n  - First paragraph.\n", ""),
    "kind outside its values": MINIMAL.replace("kind: statement", "kind: letter"),
    "status outside its values": MINIMAL + "status: done\n",
    "release outside its values": MINIMAL + "release: later\n",
    "embargoed without an embargo": MINIMAL + "release: embargoed\n",
    "embargo without embargoed": MINIMAL + "embargo: 2020-05-01T09:00:00+07:00\n",
    "embargo without an offset": MINIMAL + "release: embargoed\nembargo: 2020-05-01T09:00:00\n",
    "language tag": MINIMAL.replace("lang: en", "lang: english"),
    "date not written YYYY-MM-DD": MINIMAL.replace("2020-05-01", "1 May 2020"),
    "organisation not a folder name": MINIMAL.replace("organisation: mmn", "organisation: Our Org"),
    "empty title": MINIMAL.replace("title: A short statement", "title: ''"),
    "null title": MINIMAL.replace("title: A short statement", "title:"),
    "subtitle a list": MINIMAL + "subtitle: [a, b]\n",
    "empty body": MINIMAL.replace("body:\n  - First paragraph.\n", "body: []\n"),
    "body not a list": MINIMAL.replace("body:\n  - First paragraph.\n", "body: One paragraph.\n"),
    "body block with two styles": MINIMAL + "  - {heading: A, quote: B}\n",
    "body block of an unknown style": MINIMAL + "  - headline: A\n",
    "recommendations a list": MINIMAL + "recommendations: [a, b]\n",
    "recommendations without items": MINIMAL + "recommendations:\n  intro: We urge\n",
    "recommendation without text": MINIMAL + "recommendations:\n  items:\n    - title: A\n",
    "empty closing paragraph": MINIMAL + "closing:\n  - ''\n",
    "signatory without a name": MINIMAL + "signatories:\n  - country: Thailand\n",
    "contact without a name": MINIMAL + "contacts:\n  - role: Officer\n",
    "contact email": MINIMAL + CONTACT + "    email: a-at-example.org\n",
    "contact phone": MINIMAL + CONTACT + "    phone: [call me]\n",
    "contact languages not a list": MINIMAL + CONTACT + "    languages: th\n",
    "contact language": MINIMAL + CONTACT + "    languages: [thai]\n",
    "unknown contact key": MINIMAL + CONTACT + "    emial: a@example.org\n",
    "note label": MINIMAL + "notes:\n  bad label: A note.\n",
    "notes a list": MINIMAL + "notes: [a]\n",
    "references a mapping": MINIMAL.replace("references: ../bibliography/mmn.json", "references: {a: b}"),
}
VALID = {
    "minimal": MINIMAL,
    "a number as a title": MINIMAL.replace("title: A short statement", "title: 2020"),
    "embargoed press release": MINIMAL.replace("kind: statement", "kind: press-release")
    + "release: embargoed\nembargo: 2099-05-01T09:00:00+07:00\n" + CONTACT + "    phone: '+66 53 283 259'\n",
    "every block style": MINIMAL + "  - heading: A\n  - quote: B\n",
    "recommendations": MINIMAL + "recommendations:\n  intro: We urge\n  items:\n    - {title: A, text: B}\n",
    "a translation giving only its title": "extends: s.yaml\nlang: th\ntitle: ชื่อเรื่อง\n",
}


def as_json(text: str):
    """Return YAML as the JSON data an editor validates: dates and times stay text."""
    def plain(value):
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value

    return plain(yaml.safe_load(text))


def schema_errors(text: str) -> list[str]:
    data = as_json(text)
    errors = [error.message for error in VALIDATOR.iter_errors(data)]
    assert bool(errors) == (not DRAFT_7.is_valid(data)), "draft-07 readers would disagree"
    return errors


def test_the_json_schema_is_a_valid_draft_2020_12_schema(cli):
    result = cli("schema")
    assert result.exit_code == 0
    printed = json.loads(result.output)
    assert printed == json_schema()
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(printed)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_statements_are_valid_for_both(project, cli, name):
    path = Path("statements") / name
    assert schema_errors(path.read_text(encoding="utf-8")) == []
    assert cli("check", str(path)).exit_code in (0, 1)


@pytest.mark.parametrize("case", VALID)
def test_valid_statements_are_valid_for_both(project, cli, case):
    write_statement(project, "s.yaml", MINIMAL)
    path = write_statement(project, "t.yaml", VALID[case])
    assert schema_errors(VALID[case]) == []
    result = cli("check", str(path))
    assert result.exit_code in (0, 1), result.output


@pytest.mark.parametrize("case", BROKEN)
def test_broken_statements_are_refused_by_both(project, cli, case):
    path = write_statement(project, "s.yaml", BROKEN[case])
    assert schema_errors(BROKEN[case]), "the JSON Schema accepts it"
    result = cli("check", str(path))
    assert result.exit_code == 2, result.output


def test_a_file_without_extends_must_give_the_required_keys():
    errors = schema_errors("lang: th\ntitle: ชื่อเรื่อง\n")
    assert {"'kind' is a required property", "'date' is a required property", "'body' is a required property"} <= set(errors)


@pytest.mark.parametrize("kind", schema.KINDS)
def test_skeletons_use_the_schema(project, cli, kind):
    cli("new", kind, "draft-one")
    path = next(Path("statements").glob("*-draft-one.yaml"))
    text = path.read_text(encoding="utf-8")
    first, _ = text.split("\n", 1)
    assert first == f"# yaml-language-server: $schema=../{SCHEMA_FILE.as_posix()}"
    schema_file = path.parent / first.split("$schema=")[1]
    assert json.loads(schema_file.read_text(encoding="utf-8")) == json_schema()
    assert schema_errors(text) == []
    given = set(as_json(text)) | set(re.findall(r"^# ([a-z_]+):", text, re.MULTILINE))
    applies = {f.key for f in schema.STATEMENT.fields if kind in f.kinds}
    own = {f.key for f in schema.STATEMENT.fields if f.kinds == (kind,)}
    assert given <= applies, "a skeleton gives keys its kind does not print"
    assert own <= given, "a skeleton leaves out keys only its kind has"


def test_new_refreshes_an_outdated_schema_file(project, cli):
    (project / SCHEMA_FILE).parent.mkdir()
    (project / SCHEMA_FILE).write_text("{}", encoding="utf-8")
    assert cli("new", "statement", "refresh").exit_code == 0
    assert json.loads((project / SCHEMA_FILE).read_text(encoding="utf-8")) == json_schema()


def test_format_md_holds_the_generated_field_table():
    text = (REPO / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    start, end = "<!-- fields: start -->\n", "<!-- fields: end -->"
    table = text[text.index(start) + len(start):text.index(end)]
    assert table == schema.markdown_table(), "run: python scripts/format_table.py"


def test_every_key_has_one_row_in_format_md():
    text = (REPO / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    for path, _ in schema.walk():
        assert f"| `{path}` |" in text


def test_texts_come_in_the_schema_reading_order(tmp_path):
    from mmnpress.pipeline import model, source

    path = tmp_path / "s.yaml"
    path.write_text(
        "about: A\nsignatories: [{name: S}]\nclosing: [C]\nbody: [B, {heading: H}]\n"
        "recommendations: {items: [{text: T0, title: R0}, {title: R1, text: T1}], intro: I}\n"
        "summary: U\ntitle: X\nkind: statement\nlang: en\ndate: 2020-01-01\nnotes: {n: N}\n",
        encoding="utf-8",
    )
    texts = [t.path for t in model.validate(source.load(path)).texts()]
    assert texts == [
        "title", "summary", "body[0]", "body[1].heading", "recommendations.intro",
        "recommendations.items[0].title", "recommendations.items[0].text",
        "recommendations.items[1].title", "recommendations.items[1].text",
        "closing[0]", "signatories[0].name", "about",
    ]


def test_empty_section_warnings_come_from_the_schema():
    from mmnpress.check.engine import EMPTY_SECTIONS

    assert "recommendations.items" in EMPTY_SECTIONS and "body" not in EMPTY_SECTIONS
    assert set(EMPTY_SECTIONS) == {p for p, f in schema.walk() if f.empty == schema.EMPTY_WARNING}


def test_review_takes_markdown_or_plain_from_the_schema():
    from mmnpress.review.mapping import CONTACT_FIELDS, is_markdown

    assert is_markdown("recommendations.items[2].title") and is_markdown("body[1].quote")
    assert not any(is_markdown(f"contacts[0].{key}") for key in CONTACT_FIELDS)
    assert not is_markdown("contacts[0].phone[1]")


@pytest.mark.parametrize("path", [p for p, f in schema.walk() if f.bookmarked])
def test_every_bookmarked_path_fits_a_word_bookmark_and_decodes(path):
    from mmnpress.render.bookmarks import bookmark_name, path_from_bookmark

    concrete = path.replace("[]", "[99]")
    assert path_from_bookmark(bookmark_name(concrete)) == concrete


def test_every_top_level_field_has_a_place_in_the_statement_and_its_texts_in_the_render_model():
    import dataclasses

    from mmnpress.document import Document
    from mmnpress.pipeline.model import Statement

    statement = {f.name for f in dataclasses.fields(Statement)}
    document = {f.name for f in dataclasses.fields(Document)}
    for item in schema.STATEMENT.fields:
        assert item.key in statement, f"add '{item.key}' to model.Statement"
        if item.type in (schema.TEXT, schema.TEXTS, schema.BLOCKS):
            assert item.key in document, f"add '{item.key}' to document.Document"
