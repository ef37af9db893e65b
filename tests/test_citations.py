"""Formatted citations are reused only when nothing citeproc depends on changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmnpress.document import Note, plain_text
from mmnpress.pipeline import pandocrun
from mmnpress.pipeline.assemble import assemble
from mmnpress.pipeline.resolve import Options, resolve
from tests.conftest import SEED


@pytest.fixture
def citeproc_runs(monkeypatch, tmp_path) -> list:
    """Count the pandoc runs that format citations, nothing formatted yet in memory or on disk."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    runs = []
    real = pandocrun.PandocRun

    def counting(command, data):
        if "--citeproc" in command:
            runs.append(command)
        return real(command, data)

    monkeypatch.setattr(pandocrun, "PandocRun", counting)
    from mmnpress.pipeline import citations

    monkeypatch.setattr(citations, "_CACHE", {})
    return runs


def _notes(path: Path) -> list[str]:
    document = assemble(resolve(path, Options()), Options())
    blocks = [*document.body, *document.closing]
    return [" ".join(plain_text(p) for p in i.paragraphs) for b in blocks for i in b.text if isinstance(i, Note)]


def _edit(path: Path, old: str, new: str) -> None:
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new), encoding="utf-8")


def test_a_text_edit_reuses_the_formatted_citations(project, citeproc_runs):
    first = _notes(Path(SEED))
    _edit(project / SEED, "countless CSO and government meetings", "many CSO and government meetings")
    assert _notes(Path(SEED)) == first
    assert len(citeproc_runs) == 1


def test_a_changed_locator_is_formatted_again(project, citeproc_runs):
    assert _notes(Path(SEED))[1] == "Ibid., 9."
    _edit(project / SEED, "[@tfamw2009, 9]", "[@tfamw2009, 12]")
    assert _notes(Path(SEED))[1] == "Ibid., 12."
    assert len(citeproc_runs) == 2


def test_a_note_between_citations_changes_the_sequence(project, citeproc_runs):
    _notes(Path(SEED))
    _edit(project / SEED, "policy dialogues wherever possible.", "policy dialogues wherever possible.^[A free note.]")
    notes = _notes(Path(SEED))
    assert notes[0] == "A free note." and notes[1].startswith("Task Force on ASEAN Migrant Workers")
    assert len(citeproc_runs) == 2


def test_a_changed_bibliography_is_formatted_again(project, citeproc_runs):
    _notes(Path(SEED))
    _edit(project / "bibliography" / "mmn.json", '"Migrating to Opportunity: Overcoming', '"Migrating towards Opportunity: Overcoming')
    assert "Migrating Towards Opportunity" in _notes(Path(SEED))[2]
    assert len(citeproc_runs) == 2


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).parent.parent / "statements").glob("*.yaml")))
def test_remembered_citations_give_the_same_document(project, citeproc_runs, name):
    from mmnpress.document import to_data

    path = Path("statements") / name
    fresh = to_data(assemble(resolve(path, Options()), Options()))
    again = to_data(assemble(resolve(path, Options()), Options()))
    assert again == fresh
    assert len(citeproc_runs) <= 1
