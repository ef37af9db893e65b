"""Hazards of `review apply`, round 2: a draft that names a file outside the
project, two applies at once, a failing write among several files, an
apply whose result would not pass `check`, and line endings kept.

The reviewed files are made here from drafts the real pipeline built.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.hostile.helpers import _entry_point, assert_no_traceback, mmnpress
from tests.review.drafts import Reviewer, rezip

SEED = "statements/2017-11-22-asean-consensus.yaml"
VERSION = "statements/2017-11-22-asean-consensus.short.yaml"  # extends SEED


def _build(project: Path, statement: str) -> Path:
    run = mmnpress("build", "--to", "docx", statement, cwd=project)
    assert run.status == 0, run.stderr
    return project / "build" / (Path(statement).stem + ".docx")


@pytest.fixture
def draft(project) -> Path:
    """Return a draft DOCX of the seed statement, built by the real command line."""
    return _build(project, SEED)


def _reviewed(draft: Path, out: Path, replace: tuple[str, str, str] = ("body[1]", "actively", "consistently")) -> Path:
    reviewer = Reviewer(draft)
    reviewer.replace(*replace, "Alice Reviewer")
    return reviewer.save(out)


def _recording(reviewed: Path, out: Path, statement: str) -> Path:
    """Copy `reviewed` with its recorded statement path rewritten, as a hostile reviewer would."""
    with zipfile.ZipFile(reviewed) as archive:
        custom = archive.read("docProps/custom.xml").decode("utf-8")
    start = custom.index('name="mmnpress.statement"')
    value_start = custom.index("<vt:lpwstr>", start) + len("<vt:lpwstr>")
    value_end = custom.index("</vt:lpwstr>", value_start)
    custom = custom[:value_start] + statement + custom[value_end:]
    return rezip(reviewed, out, {"docProps/custom.xml": custom.encode("utf-8")})


# ---- item 2: the recorded statement path must stay inside the project -------------------


@pytest.mark.parametrize("how", ["absolute", "relative"])
def test_hazard16_2_recorded_statement_outside_the_project_is_refused(project, draft, tmp_path_factory, how):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "victim.yaml"
    shutil.copy(project / SEED, elsewhere)  # same bytes, so the draft's hash matches
    before = elsewhere.read_bytes()
    recorded = str(elsewhere) if how == "absolute" else os.path.relpath(elsewhere, project)
    _recording(_reviewed(draft, project / "reviewed.docx"), project / "hostile.docx", recorded)
    for command in ("apply", "pull"):
        run = mmnpress("review", command, "hostile.docx", cwd=project)
        assert_no_traceback(run)
        assert run.status == 2, (run.stdout, run.stderr)
        assert "--statement" in run.stderr and "not inside the project" in run.stderr, run.stderr
    assert elsewhere.read_bytes() == before
    named = mmnpress("review", "apply", "hostile.docx", "--statement", SEED, cwd=project)
    assert named.status == 0, named.stderr
    assert "consistently" in (project / SEED).read_text(encoding="utf-8")


# ---- item 4: two applies at once ---------------------------------------------------------

SLOW_PLAN = ("import time, mmnpress.review.apply as a; plan = a._Planner.plan; "
             "a._Planner.plan = lambda self: (time.sleep(1.5), plan(self))[1]")


def test_hazard16_4_concurrent_applies_lose_no_edit(project, draft):
    _reviewed(draft, project / "alice.docx")
    _reviewed(draft, project / "bob.docx", ("recommendations.items[1].text", "relatively", "very"))
    command = [*_entry_point(SLOW_PLAN), "review", "apply"]
    runs = [subprocess.Popen([*command, name], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name in ("alice.docx", "bob.docx")]
    outcomes = [(run.wait(timeout=120), run.stdout.read(), run.stderr.read()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    statuses = sorted(status for status, _, _ in outcomes)
    assert statuses == [0, 2], outcomes
    refused = next(stderr for status, _, stderr in outcomes if status == 2)
    assert "changed since this draft was built" in refused and "Traceback" not in refused
    text = (project / SEED).read_text(encoding="utf-8")
    alice_won = outcomes[0][0] == 0
    assert ("consistently" in text, "relatively" not in text) == (alice_won, not alice_won)


def test_hazard16_4_statement_edited_during_apply_is_not_overwritten(project, draft, monkeypatch):
    from mmnpress.review import apply as applying
    from mmnpress.review.apply import ReviewError

    reviewed = _reviewed(draft, project / "reviewed.docx")
    edited_by_hand = (project / SEED).read_text(encoding="utf-8") + "# saved in an editor meanwhile\n"
    real = applying._validate

    def validate_then_edit(*args):
        real(*args)
        (project / SEED).write_text(edited_by_hand, encoding="utf-8")

    monkeypatch.setattr(applying, "_validate", validate_then_edit)
    with pytest.raises(ReviewError, match="changed since this draft was built"):
        applying.apply(reviewed)
    assert (project / SEED).read_text(encoding="utf-8") == edited_by_hand
    assert not [p for p in (project / "statements").iterdir() if p.name.startswith(".mmnpress-")]


# ---- item 5: a translation and its original are replaced together ------------------------


def test_hazard16_5_failing_second_rename_restores_the_first_file(project, monkeypatch):
    from mmnpress.errors import MmnpressError
    from mmnpress.review.apply import apply

    (project / VERSION).write_text("extends: 2017-11-22-asean-consensus.yaml\nsubtitle: Statement of the network\n",
                                   encoding="utf-8")
    reviewer = Reviewer(_build(project, VERSION))
    reviewer.replace("subtitle", "network", "Network", "Alice Reviewer")  # in the version
    reviewer.replace("body[1]", "actively", "consistently", "Alice Reviewer")  # in the original it extends
    reviewed = reviewer.save(project / "reviewed.docx")
    before = {name: (project / name).read_bytes() for name in (SEED, VERSION)}
    real, calls = os.replace, []

    def second_fails(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(source, target)

    monkeypatch.setattr(os, "replace", second_fails)
    with pytest.raises(MmnpressError, match="No space left on device"):
        apply(reviewed)
    assert {name: (project / name).read_bytes() for name in (SEED, VERSION)} == before
    assert not [p for p in (project / "statements").iterdir() if p.name.startswith(".mmnpress-")]
    monkeypatch.setattr(os, "replace", real)
    outcome = apply(reviewed)
    assert sorted(outcome.written) == sorted([SEED, VERSION])


# ---- item 6: the new text must pass check ------------------------------------------------


@pytest.mark.parametrize(("where", "phrase", "text", "reason"), [
    ("contacts[0]", "@", " at ", "is not an email address"),
    ("body[1]", "actively", "\ufeff", "nothing was written"),  # a character no PDF may hold: check refuses the statement
])
def test_hazard16_6_apply_refuses_a_statement_check_would_refuse(project, where, phrase, text, reason):
    seed = project / SEED
    seed.write_text(seed.read_text(encoding="utf-8").replace(
        "    role: MMN Regional Coordinator\n", "    role: MMN Regional Coordinator\n    email: info@mekongmigration.org\n", 1),
        encoding="utf-8")
    reviewer = Reviewer(_build(project, SEED))
    reviewer.replace(where, phrase, text, "Alice Reviewer")
    reviewer.save(project / "reviewed.docx")
    before = seed.read_bytes()
    run = mmnpress("review", "apply", "reviewed.docx", cwd=project)
    assert_no_traceback(run)
    assert run.status == 2, (run.stdout, run.stderr)
    assert reason in run.stderr, run.stderr
    assert seed.read_bytes() == before


# ---- item 7: line endings of lines the apply does not edit are kept -----------------------


@pytest.mark.parametrize("endings", [("\r",), ("\r\n", "\n", "\r")])
def test_hazard16_7_only_edited_lines_change_whatever_their_endings(project, endings):
    seed = project / SEED
    lines = seed.read_text(encoding="utf-8").split("\n")
    old = "".join(line + endings[number % len(endings)] for number, line in enumerate(lines[:-1]))
    seed.write_bytes(old.encode("utf-8"))
    _reviewed(_build(project, SEED), project / "reviewed.docx", ("body[1]", "MMN has actively", "MMN actively", ))
    run = mmnpress("review", "apply", "reviewed.docx", cwd=project)
    assert run.status == 0, run.stderr
    new = seed.read_bytes().decode("utf-8")
    assert new == old.replace("MMN has actively", "MMN actively", 1)


# ---- item 8: a file saved as "Strict Open XML" -------------------------------------------


def _as_strict(path: Path, out: Path) -> Path:
    """Copy a DOCX with every part named as Word's "Strict Open XML Document" names it."""
    STRICT_RELS = "http://purl.oclc.org/ooxml/officeDocument/relationships/"
    from mmnpress.safedocx import STRICT_NAMESPACES

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    renamed = {}
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            for strict, transitional in STRICT_NAMESPACES.items():
                data = data.replace(transitional, strict)
            data = data.replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/", STRICT_RELS.encode())
        renamed[name] = data
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in renamed.items():
            archive.writestr(name, data)
    return out


def test_hazard16_8_strict_open_xml_file_is_read(project, draft):
    strict = _as_strict(_reviewed(draft, project / "reviewed.docx"), project / "strict.docx")
    assert b"purl.oclc.org" in zipfile.ZipFile(strict).read("word/document.xml")
    run = mmnpress("review", "apply", "strict.docx", cwd=project)
    assert run.status == 0, run.stderr
    assert "applied 2 tracked change(s)" in run.stdout, run.stdout  # a deletion and an insertion
    assert "consistently" in (project / SEED).read_text(encoding="utf-8")
