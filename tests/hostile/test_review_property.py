"""Property: random tracked changes and comments on a real draft never crash
`review pull` or `review apply`, never make them write a statement that does
not load and validate, and never change a field the reviewed file did not touch.

The draft is built once by the real pipeline; Hypothesis picks the fields,
the words and the text (Markdown and Typst specials, scripts, controls).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmnpress.errors import MmnpressError
from tests.review.drafts import SEED, Reviewer, build_draft

PATHS = ("title", "body[0]", "body[1]", "body[2]", "recommendations.items[0].title", "recommendations.items[1].text",
         "contacts[0]", "closing[0]")
TEXT = st.text(st.sampled_from("abc xyz ,.*_`[]^@<>#$\\\"'ไทยမြန်မာ\u200b\u202e\u2028\x85"), min_size=0, max_size=12)
EDIT = st.tuples(st.sampled_from(("insert", "delete", "replace", "comment")), st.sampled_from(PATHS), st.integers(0, 30), TEXT)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """Return the project folder and a draft of the seed statement, built once."""
    folder = tmp_path_factory.mktemp("review-property")
    return folder, build_draft(folder)


def _flat(value, path: str = "") -> dict[str, object]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in _flat(item, f"{path}.{key}" if path else key).items()}
    if isinstance(value, list):
        return {k: v for index, item in enumerate(value) for k, v in _flat(item, f"{path}[{index}]").items()}
    return {path: value}


def _word(reviewer: Reviewer, path: str, index: int) -> str | None:
    words = [word for run in reviewer.runs(path) for word in (run.findtext("{*}t") or "").split(" ") if len(word) > 2]
    return words[index % len(words)] if words else None


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(EDIT, min_size=1, max_size=3, unique_by=lambda e: e[1]))
def test_random_reviews_apply_or_refuse_cleanly(built, monkeypatch, edits):
    from mmnpress.pipeline.translations import load_statement
    from mmnpress.review.apply import apply
    from mmnpress.review.pull import pull

    project, draft = built
    monkeypatch.chdir(project)
    statement = project / SEED
    original = statement.read_bytes()
    reviewer = Reviewer(draft)
    touched = set()
    for kind, path, index, text in edits:
        word = _word(reviewer, path, index)
        if word is None:
            continue
        touched.add(path)
        if kind == "insert":
            reviewer.insert_after(path, word, text or "x", "Alice")
        elif kind == "delete":
            reviewer.delete(path, word, "Alice")
        elif kind == "replace":
            reviewer.replace(path, word, text or "y", "Alice")
        else:
            reviewer.comment_on(path, word, text or "?", f"Bob{text}", "B")
    reviewed = reviewer.save(project / "reviewed.docx")
    try:
        pull(reviewed)
        try:
            apply(reviewed)
        except MmnpressError:
            assert statement.read_bytes() == original  # refused: nothing written
            return
        load_statement(statement, project)
        before, after = _flat(yaml.safe_load(original)), _flat(yaml.safe_load(statement.read_bytes()))
        untouched = [key for key in before if not any(key.startswith(path) for path in touched)]
        assert {key: after.get(key) for key in untouched} == {key: before[key] for key in untouched}
    finally:
        statement.write_bytes(original)
