"""Property: `review apply` runs started at once on the same statement never lose an edit.

Several reviewers' drafts are applied by separate `mmnpress review apply`
processes; Hypothesis picks the drafts, how many run at once, when each starts
and how long each holds the project's lock. The drafts form a small history:
some were built from the statement as it is (v0), one from the statement after
Alice's edit (v1), one from v2 after Carol's edit on top of that, one edits a
footnote's note, one edits the field Alice edited again, and one would write a
statement `check` refuses. Each draft's change was computed once, alone, by the
same pipeline.

Every run must end in exit status 0 or a refusal (exit 2, located lines, "nothing
was written", no traceback); the successful runs must form a history that starts
at v0, each applied to exactly the text its draft was built from; the statement
must end as the text the last of them wrote, byte for byte, and must pass
`mmnpress check`. As each draft alone changes only the lines of the field it
edits, no success is lost (unless a later draft of the text it made changed
the same field), nothing is half-written, and no other field changes.
"""

from __future__ import annotations

import difflib
import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmnpress.render.bookmarks import split_path
from tests.hostile.helpers import POSITIONED, Run, _entry_point, assert_no_traceback, mmnpress
from tests.review.drafts import SEED, Reviewer, build_draft, edit_footnote, noted_statement


def _replace(path: str, phrase: str, text: str, author: str):
    def review(draft: Path, out: Path) -> Path:
        reviewer = Reviewer(draft)
        reviewer.replace(path, phrase, text, author)
        return reviewer.save(out)
    return review


def _note(draft: Path, out: Path) -> Path:
    out.write_bytes(draft.read_bytes())
    edit_footnote(out, "Nora Notes")
    return out


# name: (the version its draft is built from, how the reviewer changes it, the field it edits, the version it makes)
DRAFTS = {
    "alice": ("v0", _replace("body[1]", "actively", "consistently", "Alice"), "body[1]", "v1"),
    "bob": ("v0", _replace("recommendations.items[1].text", "relatively", "very", "Bob"), "recommendations.items[1].text", None),
    "nora": ("v0", _note, "body[1]", None),  # footnote 1 is body[1]'s inline note
    "bad": ("v0", _replace("body[1]", "actively", "\ufeff", "Mallory"), "body[1]", None),  # check refuses the result (U+FEFF)
    "carol": ("v1", _replace("closing[0]", "significant", "lasting", "Carol"), "closing[0]", "v2"),
    "dave": ("v1", _replace("body[1]", "consistently", "steadily", "Dave"), "body[1]", None),  # Alice's word, changed again
    "erin": ("v2", _replace("body[0]", "cautiously", "warmly", "Erin"), "body[0]", None),
}


def _lines_of(text: bytes, path: str) -> range:
    """Return the 0-based lines the value at YAML `path` is typed on."""
    node = yaml.compose(text.decode("utf-8"))
    for part in split_path(path):
        if isinstance(part, int):
            node = node.value[part]
        else:
            node = next(value for key, value in node.value if key.value == part)
    return range(node.start_mark.line, node.end_mark.line + 1)


def _only_field_changed(before: bytes, after: bytes, path: str) -> bool:
    """Tell whether every line that differs between the two texts is a line of the value at `path`."""
    lines = _lines_of(before, path)
    opcodes = difflib.SequenceMatcher(None, before.split(b"\n"), after.split(b"\n"), autojunk=False).get_opcodes()
    return all(set(range(i1, i2)) <= set(lines) and (i1 < i2 or i1 in lines) for tag, i1, i2, _, _ in opcodes if tag != "equal")


def _apply_alone(project: Path, folder: Path, draft: Path, base: bytes) -> bytes | None:
    """Return the statement after applying `draft` alone to `base` in a copy of `project`, or None when refused."""
    from mmnpress.errors import MmnpressError
    from mmnpress.review.apply import apply

    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(project / name, folder / name)
    (folder / SEED).write_bytes(base)
    previous = Path.cwd()
    os.chdir(folder)
    try:
        apply(draft)
    except MmnpressError:
        assert (folder / SEED).read_bytes() == base
        return None
    finally:
        os.chdir(previous)
    return (folder / SEED).read_bytes()


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> tuple[Path, dict[str, bytes], dict[str, tuple[bytes, bytes | None]]]:
    """Return the project, the statement's versions, and each draft's (base text, text after applying it alone)."""
    project = tmp_path_factory.mktemp("concurrent")
    built = {"v0": build_draft(project, noted_statement)}
    versions = {"v0": (project / SEED).read_bytes()}
    outcomes: dict[str, tuple[bytes, bytes | None]] = {}
    for name, (base, review, field, makes) in DRAFTS.items():  # in dependency order: a version is made before it is used
        if base not in built:
            text = versions[base].decode("utf-8")
            built[base] = build_draft(tmp_path_factory.mktemp(base), lambda _, text=text: text)
        draft = review(built[base], project / f"{name}.docx")
        outcomes[name] = (versions[base], _apply_alone(project, tmp_path_factory.mktemp(f"alone-{name}"), draft, versions[base]))
        assert (outcomes[name][1] is None) == (name == "bad"), name
        assert outcomes[name][1] != versions[base], f"{name}'s draft changes nothing"
        assert outcomes[name][1] is None or _only_field_changed(versions[base], outcomes[name][1], field), name
        if makes:
            versions[makes] = outcomes[name][1]
    (project / SEED).write_bytes(versions["v0"])
    return project, versions, outcomes


def _histories(succeeded: list[str], outcomes, start: bytes):
    """Yield the text each order of `succeeded` ends with when each apply found exactly its draft's base."""
    for order in itertools.permutations(succeeded):
        text = start
        for name in order:
            base, after = outcomes[name]
            if base != text:
                break
            text = after
        else:
            yield text


def _prelude(delay: float, hold: float) -> str:
    """Return Python run before the entry point: wait `delay` s, then hold the lock `hold` s longer while planning."""
    return (f"import time; time.sleep({delay}); import mmnpress.review.apply as a; plan = a._Planner.plan; "
            f"a._Planner.plan = lambda self: (time.sleep({hold}), plan(self))[1]")


TIMING = st.tuples(st.sampled_from((0.0, 0.1, 0.3)), st.sampled_from((0.0, 0.5)))  # (delay before starting, extra time holding the lock)


@st.composite
def appliers(draw) -> list[tuple[str, float, float]]:
    """Draw two drafts of the statement as it is (rivals: only one can land) and up to two more drafts of any version."""
    rivals = draw(st.lists(st.sampled_from(("alice", "bob", "nora")), min_size=2, max_size=2, unique=True))
    others = draw(st.lists(st.sampled_from(sorted(set(DRAFTS) - set(rivals))), max_size=2, unique=True))
    names = draw(st.permutations(rivals + others))
    return [(name, *draw(TIMING)) for name in names]


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(chosen=appliers())
def test_concurrent_applies_land_fully_or_refuse_and_lose_nothing(history, chosen):
    project, versions, outcomes = history
    statement = project / SEED
    statement.write_bytes(versions["v0"])
    runs = {name: subprocess.Popen([*_entry_point(_prelude(delay, hold)), "review", "apply", f"{name}.docx"], cwd=project,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name, delay, hold in chosen}
    ended = {name: (run.communicate(timeout=120), run.returncode) for name, run in runs.items()}
    succeeded = []
    for name, ((stdout, stderr), status) in ended.items():
        assert_no_traceback(Run(status, stdout, stderr, 0.0))
        assert status in (0, 2), (name, status, stderr)
        if status == 0:
            succeeded.append(name)
            continue
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert lines and all(POSITIONED.match(line) or line.startswith((f"{name}.docx: ", f"{SEED}: ")) for line in lines), lines
        assert "nothing was written" in lines[0], lines
    assert "bad" not in succeeded
    final = statement.read_bytes()
    assert any(final == text for text in _histories(succeeded, outcomes, versions["v0"])), \
        f"the statement is not what {succeeded} wrote, applied in an order each could have found (refused: {sorted(set(ended) - set(succeeded))})"
    assert succeeded, "one of the drafts of the statement as it was must land"
    assert not [p.name for p in statement.parent.iterdir() if p.name.startswith(".mmnpress-")]
    check = mmnpress("check", SEED, cwd=project)
    assert check.status == 0, check.stdout + check.stderr

