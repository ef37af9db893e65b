"""Citations formatted once are kept on disk and reused by later processes, never trusted blindly."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEED


@pytest.fixture
def citeproc_runs(monkeypatch, tmp_path) -> list:
    """Return the citeproc commands pandoc is started with from now on, nothing formatted in memory or on disk."""
    from mmnpress.pipeline import citations, pandocrun

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(citations, "_CACHE", {})
    runs = []
    real = pandocrun.PandocRun

    class Counting(real):
        def __init__(self, command, data):
            if "--citeproc" in command:
                runs.append(command)
            super().__init__(command, data)

    monkeypatch.setattr(pandocrun, "PandocRun", Counting)
    return runs


def _build(project):
    from mmnpress.build import Request, build

    return build(Request(project / SEED, ("docx",)))


def test_a_later_process_reuses_the_citations_on_disk(project, citeproc_runs, monkeypatch):
    from mmnpress.pipeline import citations

    first = _build(project)
    assert len(citeproc_runs) == 1
    monkeypatch.setattr(citations, "_CACHE", {})  # as in a new process
    second = _build(project)
    assert len(citeproc_runs) == 1, "the second build formats nothing"
    assert first.document == second.document


def test_a_changed_bibliography_is_formatted_again(project, citeproc_runs, monkeypatch):
    from mmnpress.pipeline import citations

    first = _build(project).document
    before = len(citeproc_runs)
    path = project / "bibliography/mmn.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data[0]["title"] = data[0]["title"] + " (revised)"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(citations, "_CACHE", {})
    document = _build(project).document
    assert len(citeproc_runs) == before + 1
    assert document.body != first.body and document.title == first.title


@pytest.mark.parametrize("damage", [b"not json", b'{"cites": [1, 2], "references": null}', b"[" * 50000])
def test_a_damaged_entry_is_ignored(project, citeproc_runs, monkeypatch, damage):
    from mmnpress.pipeline import citations

    first = _build(project)
    before = len(citeproc_runs)
    for entry in citations.user_cache_entries():
        entry.write_bytes(damage)
    monkeypatch.setattr(citations, "_CACHE", {})
    second = _build(project)
    assert len(citeproc_runs) == before + 1
    assert first.document == second.document


@pytest.mark.parametrize(("body", "reused", "printed"), [
    ("Migrants work hard.[@tfamw2009] They deserve rights.[@worldbank2017, 5] And more.", True, "hard. They"),
    ("Migrants work hard [@tfamw2009]. They \"deserve rights\" [@worldbank2017, 5], and more.", False,
     "hard. They “deserve rights”, and"),
    ("Migrants work hard ^[As the proposal says [@tfamw2009].] and more.", False, "hard  and"),
])
def test_citations_whose_punctuation_moves_are_formatted_afresh(project, citeproc_runs, monkeypatch, body, reused, printed):
    """In a note style pandoc moves "hard [@a]." to "hard.¹", which depends on the words around: no reuse there."""
    import yaml
    from conftest import MINIMAL, write_statement

    from mmnpress.build import Request, build
    from mmnpress.document import plain_text
    from mmnpress.pipeline import citations

    statement = yaml.safe_load(MINIMAL)
    statement["body"] = [body]
    path = project / write_statement(project, "moved.yaml", yaml.safe_dump(statement))
    first = build(Request(path, ("docx",), project / "first")).document
    monkeypatch.setattr(citations, "_CACHE", {})  # as in a new process
    second = build(Request(path, ("docx",), project / "second")).document
    assert printed in plain_text(second.body[0].text)
    assert second == first
    assert len(citeproc_runs) == (1 if reused else 2)
