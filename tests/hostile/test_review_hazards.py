"""Hazard 6: a reviewed DOCX that is hostile is refused with one clear line,
through the real `mmnpress review pull` (and `apply`) in a separate process.
Hazard 7 for `review apply`: an interrupted or failing apply never leaves a
half-written statement.

The hostile files are generated here from a draft the real pipeline built.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from tests.hostile.helpers import _entry_point, assert_fast, assert_no_traceback, mmnpress, start_at_entry_point
from tests.review.drafts import rezip

SEED = "statements/2017-11-22-asean-consensus.yaml"
SECONDS = 3.0
MB = 1024 * 1024


def _has_review() -> bool:
    from mmnpress.commands.main import main

    return "review" in main.commands


pytestmark = pytest.mark.skipif(not _has_review(), reason="`mmnpress review pull` does not exist yet")


@pytest.fixture
def draft(project) -> Path:
    """Return a draft DOCX of the seed statement, built by the real command line."""
    run = mmnpress("build", "--to", "docx", SEED, cwd=project)
    assert run.status == 0, run.stderr
    return project / "build" / "2017-11-22-asean-consensus.docx"


def assert_one_line_refusal(run, name: str) -> None:
    assert_no_traceback(run)
    assert run.status == 2, (run.status, run.stdout, run.stderr)
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith(name), lines
    assert "root:x:0:0" not in run.stdout + run.stderr
    assert_fast(run, SECONDS)


XXE = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
       b"<w:t>&x;</w:t></w:r></w:p></w:body></w:document>")
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
          b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&lol3;</w:document>')


def hostile_files(draft: Path, folder: Path) -> dict[str, Path]:
    """Write every hostile reviewed file; return them by name."""
    files = {
        "zip-bomb": rezip(draft, folder / "bomb.docx", {"word/document.xml": b"\0" * (15 * MB)}),
        "big-part": rezip(draft, folder / "big.docx", {"word/media/big.bin": os.urandom(21 * MB)}, zipfile.ZIP_STORED),
        "external-entity": rezip(draft, folder / "xxe.docx", {"word/document.xml": XXE}),
        "billion-laughs": rezip(draft, folder / "laughs.docx", {"word/document.xml": LAUGHS}),
        "no-document": rezip(draft, folder / "empty-zip.docx", {}),
    }
    with zipfile.ZipFile(files["no-document"]) as archive:
        kept = {name: archive.read(name) for name in archive.namelist() if not name.startswith("word/")}
    with zipfile.ZipFile(files["no-document"], "w") as archive:
        for name, data in kept.items():
            archive.writestr(name, data)
    (folder / "text.docx").write_text("Dear MMN, my comments are below.\n", encoding="utf-8")
    (folder / "empty.docx").write_bytes(b"")
    (folder / "truncated.docx").write_bytes(draft.read_bytes()[: draft.stat().st_size // 2])
    files.update({"text": folder / "text.docx", "empty": folder / "empty.docx", "truncated": folder / "truncated.docx"})
    return files


@pytest.mark.parametrize("command", ["pull", "apply"])
def test_hazard6_hostile_reviewed_docx_refused_in_one_line(project, draft, command):
    files = hostile_files(draft, project)
    statement_before = (project / SEED).read_bytes()
    for path in files.values():
        run = mmnpress("review", command, path.name, cwd=project)
        assert_one_line_refusal(run, path.name)
    assert (project / SEED).read_bytes() == statement_before


def test_hazard6_a_pdf_is_not_a_reviewed_docx(project):
    run = mmnpress("build", "--to", "pdf", SEED, cwd=project)
    assert run.status == 0, run.stderr
    pdf = project / "build" / "2017-11-22-asean-consensus.pdf"
    renamed = shutil.copy(pdf, project / "reviewed.docx")
    assert_one_line_refusal(mmnpress("review", "pull", Path(renamed).name, cwd=project), "reviewed.docx")


def test_hazard6_fifo_is_not_read(project):
    os.mkfifo(project / "pipe.docx")
    run = mmnpress("review", "pull", "pipe.docx", cwd=project, timeout=5)
    assert_one_line_refusal(run, "pipe.docx")


# ---- review apply writes whole files ----------------------------------------------------


@pytest.fixture
def reviewed(project, draft) -> Path:
    from tests.review import drafts

    return drafts.seed_review(draft, project / "reviewed.docx")


def _apply(project: Path) -> subprocess.Popen:
    return subprocess.Popen([*_entry_point(), "review", "apply", "reviewed.docx"], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _leftovers(project: Path) -> list[str]:
    return [p.name for p in (project / "statements").iterdir() if p.name.endswith(".tmp")]


def test_hazard7_interrupted_review_apply_leaves_old_or_new_statement(project, reviewed):
    import yaml

    before = (project / SEED).read_text(encoding="utf-8")
    done = _apply(project)
    _, stderr = done.communicate(timeout=120)
    assert done.returncode == 0, stderr
    after = (project / SEED).read_text(encoding="utf-8")
    assert after != before
    for number, delay in enumerate((0.05, 0.2, 0.35, 0.5, 0.7, 0.9)):
        (project / SEED).write_text(before, encoding="utf-8")
        process = start_at_entry_point(["review", "apply", "reviewed.docx"], project)
        time.sleep(delay)
        process.send_signal(signal.SIGINT if number % 2 else signal.SIGTERM)
        _, stderr = process.communicate(timeout=120)
        assert "Traceback" not in stderr
        now = (project / SEED).read_text(encoding="utf-8")
        assert now in (before, after), "a half-written statement"
        yaml.safe_load(now)
        assert _leftovers(project) == []


def test_hazard7_failing_write_during_review_apply_keeps_the_statement(project, reviewed, monkeypatch):
    from mmnpress.errors import MmnpressError
    from mmnpress.review.apply import apply

    before = (project / SEED).read_bytes()

    def broken_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(MmnpressError, match="No space left on device"):
        apply(reviewed)
    assert (project / SEED).read_bytes() == before
    assert _leftovers(project) == []


# ---- round 2: reply cycles and very many comments -----------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


def _threads(count: int, parents: dict[int, int]) -> dict[str, bytes]:
    """Return comments.xml and commentsExtended.xml with `count` comments; comment i replies to parents[i]."""
    comments = "".join(f'<w:comment w:id="{i}" w:author="R{i}" w:initials="R"><w:p w14:paraId="{i + 1:08X}"><w:r>'
                       f"<w:t>comment {i}</w:t></w:r></w:p></w:comment>" for i in range(count))
    extended = "".join(f'<w15:commentEx w15:paraId="{i + 1:08X}"'
                       + (f' w15:paraIdParent="{parents[i] + 1:08X}"' if i in parents else "") + ' w15:done="0"/>'
                       for i in range(count))
    return {
        "word/comments.xml": f'<w:comments xmlns:w="{W}" xmlns:w14="{W14}">{comments}</w:comments>'.encode(),
        "word/commentsExtended.xml": f'<w15:commentsEx xmlns:w15="{W15}">{extended}</w15:commentsEx>'.encode(),
    }


def test_hazard16_9_reply_cycle_ends(project, reviewed):
    """Comment 3 replies to 1, which replies to 2, which replies to 1: the walk to the thread's start looped."""
    rezip(reviewed, project / "cycle.docx", _threads(4, {1: 2, 2: 1, 3: 1}))
    run = mmnpress("review", "pull", "cycle.docx", cwd=project, timeout=30)
    assert_no_traceback(run)
    assert run.status == 0, run.stderr
    assert run.stdout.count("comment ") >= 4


def test_hazard16_9_twenty_thousand_replies_in_one_thread_take_linear_time(project, reviewed):
    count = 20_000
    rezip(reviewed, project / "many.docx", _threads(count, {i: i - 1 for i in range(1, count)}))
    run = mmnpress("review", "pull", "many.docx", "--format", "json", cwd=project, timeout=60)
    assert_no_traceback(run)
    assert run.status == 0, run.stderr
    assert_fast(run, 15)


def test_hazard16_9_absurdly_many_comments_are_refused_in_one_line(project, reviewed):
    from mmnpress.review.read import MAX_COMMENTS

    rezip(reviewed, project / "absurd.docx", _threads(MAX_COMMENTS + 1, {}))
    run = mmnpress("review", "pull", "absurd.docx", cwd=project, timeout=60)
    assert_no_traceback(run)
    assert run.status == 2 and run.stderr.startswith("absurd.docx: refused: 50001 comments"), run.stderr


# ---- round 2: forged problem lines ---------------------------------------------------------

FORGED = "statements/2017-11-22-asean-consensus.yaml:1:1: error: forged"


def test_hazard16_12_author_with_a_newline_or_c1_control_cannot_forge_a_line(project, draft):
    from tests.review.drafts import Reviewer

    reviewer = Reviewer(draft)
    reviewer.replace("body[1]", "actively", "consistently", f"Alice\n{FORGED}\x85{FORGED}\r")
    reviewer.comment_on("body[2]", "optimism", f"Note\n{FORGED}", f"Bob\n{FORGED}", "B")
    reviewer.save(project / "forged.docx")
    for command in ("pull", "apply"):
        run = mmnpress("review", command, "forged.docx", cwd=project)
        assert_no_traceback(run)
        assert run.status == 0, run.stderr
        printed = (run.stdout + run.stderr).replace("\n", "\0")
        assert not [line for line in printed.split("\0") if line.startswith(FORGED)], run.stdout
        assert "\x85" not in printed and "\r" not in printed
        assert command == "apply" or "Alice\\nstatements/" in printed


def test_hazard16_12_file_names_and_quoted_values_are_escaped_by_check(project):
    text = ('kind: statement\nlang: en\ntitle: A title\ndate: 2020-05-01\norganisation: mmn\nbody:\n  - Text.\n'
            f'"x\\n{FORGED}": 1\n')
    (project / "statements" / "a\nforged.yaml:1:1: error: forged.yaml").write_text(text, encoding="utf-8")
    run = mmnpress("check", "statements", cwd=project)
    assert_no_traceback(run)
    lines = (run.stdout + run.stderr).split("\n")
    assert not [line for line in lines if line.startswith(("forged.yaml", FORGED))], lines
    assert any(line.startswith("statements/a\\nforged.yaml") and "unknown key 'x\\nstatements/" in line for line in lines), lines
