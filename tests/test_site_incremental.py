"""A site built again takes untouched statements from its records, and builds again whatever anything they read changed.

Each test changes one thing a statement reads (its bibliography, the
profile, the templates folder, its language family, its output in build/,
the tool, the clock against its embargo) and checks, by the outputs the
build wrote anew and by what readers then see, that exactly the statements
concerned were built again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import REPO

AT = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)  # after every embargo the tests write
ORIGINAL = "2017-11-22-asean-consensus"
FAMILY = {ORIGINAL, *(f"{ORIGINAL}.{lang}" for lang in ("th", "my", "km", "lo", "vi"))}


def make(root: Path, at: dt.datetime = AT):
    """Build the site of `root` in this process; return its report."""
    from mmnpress.site.make import make_site

    return make_site(root, at=at)


def rebuilt(root: Path, at: dt.datetime = AT) -> set[str]:
    """Build the site of `root` again; return the statements (by stem) whose outputs were written anew."""
    before = _inodes(root)
    make(root, at)
    return {stem for stem, inode in _inodes(root).items() if before.get(stem) != inode}


def _inodes(root: Path) -> dict[str, tuple[int, ...]]:
    """Return the inodes of each statement's web page, PDF and Word file in build/ (a build writes new files, so new inodes)."""
    return {pdf.stem: tuple(pdf.with_suffix(suffix).stat().st_ino for suffix in (".html", ".pdf", ".docx"))
            for pdf in (root / "build").glob("*.pdf")}


def held(root: Path) -> set[str]:
    """Return the statements the site holds (the example's drafts stay out)."""
    return {stem for stem in _inodes(root) if stem.startswith(ORIGINAL)}


def page(root: Path, folder: str) -> str:
    return (root / "build/site" / folder / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A copy of the example project whose site was built once."""
    folder = tmp_path_factory.mktemp("incremental")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, folder / name)
    make(folder)
    return folder


def test_nothing_changed_resolves_no_statement(root, monkeypatch):
    import mmnpress.build

    resolved = []
    real = mmnpress.build.resolve_request
    monkeypatch.setattr(mmnpress.build, "resolve_request", lambda request: resolved.append(request) or real(request))
    assert rebuilt(root) == set()
    assert resolved == []
    report = make(root)
    assert report.written.written == [] and report.written.removed == []


def test_an_edited_bibliography_entry_builds_its_statements_again(root):
    bibliography = root / "bibliography/mmn.json"
    entries = json.loads(bibliography.read_text(encoding="utf-8"))
    cited = next(e for e in entries if e["id"] == "tfamw2009")
    cited["title"] = "Civil Society Proposal, revised edition"
    bibliography.write_text(json.dumps(entries, indent=2, ensure_ascii=False), encoding="utf-8")
    assert ORIGINAL in rebuilt(root)
    assert "Civil Society Proposal, Revised Edition" in page(root, "2017/asean-consensus")  # as the style cases titles


def test_an_edited_profile_builds_every_statement_again(root):
    profile = root / "templates/mmn/profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("name: Mekong Migration Network\n", "name: Mekong Migration Network (MMN)\n", 1),
                       encoding="utf-8")
    assert rebuilt(root) == held(root)
    assert "Mekong Migration Network (MMN)" in page(root, "2017/asean-consensus")


def test_a_file_added_to_the_templates_folder_builds_every_statement_again(root):
    (root / "templates/mmn/notes.txt").write_text("what the letterhead should look like\n", encoding="utf-8")
    assert rebuilt(root) == held(root)


def test_a_translation_taken_out_and_put_back_changes_its_familys_pages(root, tmp_path):
    lao = root / f"statements/{ORIGINAL}.lo.yaml"
    shutil.move(lao, tmp_path / lao.name)
    try:
        make(root)
        assert 'hreflang="lo"' not in page(root, "2017/asean-consensus")
        assert not (root / "build/site/2017/asean-consensus/lo").exists()
    finally:
        shutil.move(tmp_path / lao.name, lao)
    make(root)
    assert 'hreflang="lo"' in page(root, "2017/asean-consensus")
    assert 'hreflang="en"' in page(root, "2017/asean-consensus/lo")


def test_an_output_replaced_in_build_is_built_again(root):
    pdf = root / f"build/{ORIGINAL}.pdf"
    pdf.write_bytes(b"not the statement")
    assert rebuilt(root) == {ORIGINAL}
    assert (root / "build/site/2017/asean-consensus/asean-consensus.pdf").read_bytes().startswith(b"%PDF-")


def test_another_version_of_the_tool_builds_every_statement_again(root, monkeypatch):
    import mmnpress.installation
    import mmnpress.pipeline.cache

    for module in (mmnpress.installation, mmnpress.pipeline.cache):
        monkeypatch.setattr(module, "fingerprint", lambda: "another version")
    assert rebuilt(root) == held(root)


def test_the_end_of_an_embargo_builds_the_release_again(root):
    release = root / "statements/2030-01-01-embargoed.yaml"
    original = (root / f"statements/{ORIGINAL}.yaml").read_text(encoding="utf-8")
    ends = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=8)  # time for its first build, even on a busy machine
    release.write_text(original.replace("kind: statement", "kind: press-release", 1)
                       + f"release: embargoed\nembargo: {ends.isoformat(timespec='seconds')}\n", encoding="utf-8")
    try:
        assert "2030-01-01-embargoed" in rebuilt(root)
        assert 'class="notice embargo"' in (root / "build/2030-01-01-embargoed.html").read_text(encoding="utf-8")
        time.sleep(max(0.0, (ends - dt.datetime.now(dt.UTC)).total_seconds()) + 1)
        assert rebuilt(root) == {"2030-01-01-embargoed"}
        assert 'class="notice embargo"' not in (root / "build/2030-01-01-embargoed.html").read_text(encoding="utf-8")
    finally:
        release.unlink()
        make(root)


def test_a_statement_edited_while_the_site_builds_is_built_again_next_time(root, monkeypatch):
    from mmnpress.site import make as site_make

    thai = root / f"statements/{ORIGINAL}.th.yaml"
    source = thai.read_text(encoding="utf-8")
    edited = source.replace("หลักนิติธรรม", "หลักนิติธรรมอันดี", 1)
    assert edited != source
    thai.write_text(source.replace("หลักนิติธรรม", "หลักนิติธรรมที่", 1), encoding="utf-8")  # a change to build
    start = site_make._SearchIndex.start

    def edit_between_page_and_files(index, html):
        start(index, html)
        thai.write_text(edited, encoding="utf-8")  # after its page was built, before its PDF and Word files

    monkeypatch.setattr(site_make._SearchIndex, "start", edit_between_page_and_files)
    make(root)
    monkeypatch.undo()
    assert "หลักนิติธรรมอันดี" not in page(root, "2017/asean-consensus/th")  # its page was built before the edit
    assert f"{ORIGINAL}.th" in rebuilt(root)
    assert "หลักนิติธรรมอันดี" in page(root, "2017/asean-consensus/th")


def test_a_hand_edited_record_is_only_compared_never_read_or_copied(root, tmp_path):
    manifest = root / "build/site/.mmnpress-site.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    thai = str((root / f"statements/{ORIGINAL}.th.yaml").resolve())
    data["builds"][thai]["read"][str(fifo)] = [0, 0, 0, ""]  # reading a FIFO would block
    original = str((root / f"statements/{ORIGINAL}.yaml").resolve())
    data["builds"][original]["wrote"] = "/etc/passwd"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    signal.alarm(120)  # a blocked read fails the test instead of hanging it
    try:
        assert rebuilt(root) == set()  # the build cache finds both up to date
    finally:
        signal.alarm(0)
    assert (root / "build/site/2017/asean-consensus/asean-consensus.pdf").read_bytes() == (root / f"build/{ORIGINAL}.pdf").read_bytes()
    data["builds"] = ["not", "records"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert rebuilt(root) == set()


def test_a_site_built_again_in_one_process_sees_a_statement_made_draft_and_a_moved_original(tmp_path):
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, tmp_path / name)
    first = make(tmp_path)
    assert {e.folder for e in first.entries} >= {"2017/asean-consensus", "2017/asean-consensus/th"}
    vietnamese = tmp_path / f"statements/{ORIGINAL}.vi.yaml"
    vietnamese.write_text(vietnamese.read_text(encoding="utf-8") + "status: draft\n", encoding="utf-8")
    original = tmp_path / f"statements/{ORIGINAL}.yaml"
    original.write_text(original.read_text(encoding="utf-8").replace("date: 2017-11-22", "date: 2019-11-22", 1), encoding="utf-8")
    again = make(tmp_path)
    thai = next(e for e in again.entries if e.folder.endswith("/th"))
    assert thai.date == dt.date(2019, 11, 22)  # the translation takes its date from the original it extends
    assert thai.folder == "2019/asean-consensus/th"
    assert not any(e.folder.endswith("/vi") for e in again.entries)
    assert {left.path.name for left in again.left_out} >= {vietnamese.name}


@given(st.lists(st.sampled_from(["2017", "x", "page", "2", "th", "index.html", "a b"]), max_size=4),
       st.lists(st.sampled_from(["2017", "x", "page", "2", "th", "index.html", "feed.xml"]), min_size=1, max_size=4))
def test_a_link_between_site_paths_is_the_one_the_file_system_would_give(page_parts, target_parts):
    import posixpath
    from urllib.parse import quote

    from mmnpress.site.layout import link

    from_page, to_path = "/".join([*page_parts, "index.html"]), "/".join(target_parts)
    expected = posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")
    assert link(from_page, to_path) == quote(expected, safe="/#-._~")
