"""A watcher or server hands pandoc only the text fields an edit changed, and gets what one parse of all gives."""

from __future__ import annotations

import pytest
import yaml
from conftest import MINIMAL, SEED, write_statement
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmnpress.pipeline import pandocworker, text
from mmnpress.pipeline.resolve import Options, resolve


@pytest.fixture
def fresh_memory(monkeypatch, tmp_path):
    """Start with no field parsed and no citation formatted before."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(text, "_PARSED", {})
    from mmnpress.pipeline import citations

    monkeypatch.setattr(citations, "_CACHE", {})


def _text_stage(path):
    resolved = resolve(path, Options())
    return text.run_text_stage(resolved.statement, resolved.style, resolved.bibliographies, resolved.note_style)


def _parsed_markdown(monkeypatch) -> list[str]:
    """Record the Markdown of every parse handed to pandoc."""
    sent: list[str] = []
    real = pandocworker.run

    def run(command, data):
        if text.MARKDOWN in command:
            sent.append(data.decode("utf-8"))
        return real(command, data)

    monkeypatch.setattr(pandocworker, "run", run)
    return sent


def _alone(path):
    """Return the text stage of `path` with nothing parsed before."""
    kept = dict(text._PARSED)
    text._PARSED.clear()
    try:
        return _text_stage(path)
    finally:
        text._PARSED.clear()
        text._PARSED.update(kept)


def test_an_edit_hands_pandoc_only_the_edited_field(project, fresh_memory, monkeypatch):
    sent = _parsed_markdown(monkeypatch)
    _text_stage(project / SEED)
    assert len(sent) == 1 and sent[0].count("Zq") > 20  # every field, the first time
    source = (project / SEED).read_text(encoding="utf-8")
    (project / SEED).write_text(source.replace("cautiously welcomes", "welcomes", 1), encoding="utf-8")
    edited = _text_stage(project / SEED)
    assert len(sent) == 2
    assert sent[1].count(" ") < 80 and "Mekong Migration Network (MMN) welcomes" in sent[1]
    assert edited == _alone(project / SEED)
    parses = len(sent)
    _text_stage(project / SEED)
    assert len(sent) == parses  # nothing new to parse


def test_a_changed_note_definition_parses_every_field_again(project, fresh_memory, monkeypatch):
    statement = MINIMAL.replace("  - First paragraph.", "  - First[^a] paragraph.\n  - Second paragraph.\nnotes:\n  a: A note.")
    path = write_statement(project, "noted.yaml", statement)
    sent = _parsed_markdown(monkeypatch)
    _text_stage(project / path)
    write_statement(project, "noted.yaml", statement.replace("A note.", "A better note."))
    edited = _text_stage(project / path)
    assert len(sent) == 2 and "Second paragraph." in sent[1]
    assert "A better note." in str(edited.fields["body[0]"])


PIECES = st.sampled_from([
    "word", "Thai ภาษาไทย", "*emphasis*", "**strong**", "_under_", "[@tfamw2009]", "[@tfamw2009, 9]",
    "[@worldbank2017, 5]", "^[an inline note]", "[^a]", '"quoted"', "it's", "[a link](https://example.org)",
    "`code`", "H~2~O", "x^2^", "--", "...", "#", "$", "\\*", "<", "&", "100%", "@", "-", "1.",
])
FIELDS = st.lists(st.lists(PIECES, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=FIELDS, after=FIELDS)
def test_fields_parsed_alone_join_as_one_parse_gives(project, fresh_memory, before, after):
    """After an edit that keeps some fields and changes others, the joined fields are pandoc's parse of the whole."""
    def write(body: list[str]):
        statement = yaml.safe_load(MINIMAL)
        statement.update(body=body, notes={"a": "A note with *emphasis* [@worldbank2017]."}, summary=body[0])
        return resolve(project / write_statement(project, "random.yaml", yaml.safe_dump(statement, allow_unicode=True)),
                       Options()).statement

    earlier = write(before)
    text.parse_fields(earlier.texts(), earlier.notes, "en", "Zq00000000")
    statement = write(before[:2] + after)
    parsed = text.parse_fields(statement.texts(), statement.notes, "en", "Zq00000000")
    whole = text._parse(text._joined_markdown(statement.texts(), statement.notes, "Zq00000000"), "en")
    assert text._joined_ast(parsed, "Zq00000000", "en") == whole
