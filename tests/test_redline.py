"""Redlines: NEW with every change from OLD as Word tracked changes.

Each pair of versions is checked by construction: accepting every change in
the redline gives exactly the text of NEW built normally, rejecting every
change gives OLD, body and footnotes paragraph by paragraph. The accept and
reject routine below works on the XML the way Word does: deleted runs go,
inserted runs stay (or the other way round), and a paragraph whose mark
goes joins the next one.
"""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import REPO

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SEED = "statements/2017-11-22-asean-consensus.yaml"
THAI = "statements/2017-11-22-asean-consensus.th.yaml"
BURMESE = "statements/2017-11-22-asean-consensus.my.yaml"


def _edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _drop_recommendation(text: str) -> str:
    start = text.index("    - title: Monitoring")
    end = text.index("    - title: Meaningful Dialogue")
    return text[:start] + text[end:]


PAIRS = {
    "word swap": (SEED, lambda t: _edit(t, ("(MMN) cautiously welcomes the ASEAN Consensus on\n    the",
                                            "(MMN) warmly welcomes the ASEAN Consensus on\n    the"))),
    "new sentence with a citation": (SEED, lambda t: _edit(t, ("Secretariat.[@tfamw2009, 9]",
                                                              "Secretariat.[@tfamw2009, 9] It is still cited.[@worldbank2017, 12]"))),
    "removed recommendation": (SEED, _drop_recommendation),
    "changed locator": (SEED, lambda t: _edit(t, ("Secretariat.[@tfamw2009, 9]", "Secretariat.[@tfamw2009, 11]"))),
    "changed contact": (SEED, lambda t: _edit(t, ('"+66 869238313"', '"+66 869238300"'))),
    "changed date": (SEED, lambda t: _edit(t, ("date: 2017-11-22", "date: 2017-11-24"))),
    "Thai one word": (THAI, lambda t: _edit(t, ("ทำงานคุ้มครองและ", "ทำงานปกป้องและ"))),
    "Burmese word": (BURMESE, lambda t: _edit(t, ("တက်ကြွစွာ ပါဝင်ခဲ့ပါသည်။", "အမြဲတမ်း ပါဝင်ခဲ့ပါသည်။"))),
}


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> Path:
    """Return a project holding the example statements and, for each pair, a NEW version beside them."""
    root = tmp_path_factory.mktemp("redline")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    for index, (original, edit) in enumerate(PAIRS.values()):
        text = (root / original).read_text(encoding="utf-8")
        (root / f"statements/new-{index}.yaml").write_text(edit(text), encoding="utf-8")
    return root


def _build(root: Path, statement: str, out: Path) -> Path:
    from mmnpress.build import Request, build
    from mmnpress.pipeline.resolve import Options

    request = Request(root / statement, ("docx",), out, Options(final=True))
    return build(request).outputs[0]


def _redline(root: Path, old: str, new: str) -> tuple[Path, object]:
    from mmnpress.pipeline.resolve import Options
    from mmnpress.redline.write import redline

    done = redline(root / old, root / new, root / "redlines", "Reviewer", Options(final=True))
    return done.path, done.tally


def _parts(path: Path) -> tuple[etree._Element, etree._Element]:
    with zipfile.ZipFile(path) as package:
        return (etree.fromstring(package.read("word/document.xml")), etree.fromstring(package.read("word/footnotes.xml")))


def _resolved(root: etree._Element, accept: bool) -> etree._Element:
    """Return a copy of a part with every tracked change accepted (or rejected)."""
    root = copy.deepcopy(root)
    keep, drop = ("ins", "del") if accept else ("del", "ins")
    for paragraph in list(root.iter(f"{W}p")):
        mark = paragraph.find(f"{W}pPr/{W}rPr/{W}{drop}")
        if mark is not None:
            _join_with_next(paragraph)
    for wrapper in list(root.iter(f"{W}{drop}")):
        if wrapper.getparent().tag != f"{W}rPr":
            wrapper.getparent().remove(wrapper)
    for wrapper in list(root.iter(f"{W}{keep}")):
        parent = wrapper.getparent()
        if parent.tag == f"{W}rPr":
            parent.remove(wrapper)
            continue
        index = parent.index(wrapper)
        for offset, child in enumerate(list(wrapper)):
            parent.insert(index + offset, child)
        parent.remove(wrapper)
    for text in root.iter(f"{W}delText"):
        text.tag = f"{W}t"
    return root


def _join_with_next(paragraph: etree._Element) -> None:
    """Move what a paragraph holds to the start of the next one, as a removed paragraph mark does."""
    following = paragraph.getnext()
    content = [child for child in paragraph if child.tag != f"{W}pPr"]
    if following is not None and following.tag == f"{W}p":
        at = 1 if following.find(f"{W}pPr") is not None else 0
        for offset, child in enumerate(content):
            following.insert(at + offset, child)
    paragraph.getparent().remove(paragraph)


def _reading(document: etree._Element, footnotes: etree._Element) -> tuple[list[str], list[str]]:
    """Return the paragraphs' texts (note references as [n]) and the referenced notes' texts in order."""
    notes = {note.get(f"{W}id"): note for note in footnotes.iter(f"{W}footnote")}
    paragraphs, referenced = [], []
    for paragraph in document.iter(f"{W}p"):
        pieces = []
        for node in paragraph.iter(f"{W}t", f"{W}footnoteReference"):
            if node.tag == f"{W}t":
                pieces.append(node.text or "")
            else:
                referenced.append(notes[node.get(f"{W}id")])
                pieces.append(f"[{len(referenced)}]")
        paragraphs.append("".join(pieces))
    note_texts = [" / ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in note.iter(f"{W}p")) for note in referenced]
    return paragraphs, note_texts


def _accepted(path: Path, accept: bool) -> tuple[list[str], list[str]]:
    document, footnotes = _parts(path)
    return _reading(_resolved(document, accept), _resolved(footnotes, accept))


def _plain_reading(path: Path) -> tuple[list[str], list[str]]:
    return _reading(*_parts(path))


@pytest.mark.parametrize("index,name", list(enumerate(PAIRS)))
def test_accepting_gives_new_and_rejecting_gives_old(versions, tmp_path, index, name):
    original = PAIRS[name][0]
    path, tally = _redline(versions, original, f"statements/new-{index}.yaml")
    new = _build(versions, f"statements/new-{index}.yaml", tmp_path / "new")
    old = _build(versions, original, tmp_path / "old")
    assert tally.lines(), name
    assert _accepted(path, accept=True) == _plain_reading(new)
    assert _accepted(path, accept=False) == _plain_reading(old)


def _changes(path: Path, kind: str) -> list[str]:
    document, footnotes = _parts(path)
    found = []
    for part in (document, footnotes):
        for wrapper in part.iter(f"{W}{kind}"):
            if wrapper.getparent().tag != f"{W}rPr":
                found.append("".join(t.text or "" for t in wrapper.iter(f"{W}t", f"{W}delText")))
    return found


def test_a_thai_one_word_change_deletes_and_inserts_only_that_word(versions):
    index = list(PAIRS).index("Thai one word")
    path, _ = _redline(versions, THAI, f"statements/new-{index}.yaml")
    assert _changes(path, "del") == ["คุ้มครอง"]
    assert _changes(path, "ins") == ["ปกป้อง"]


def test_a_changed_locator_is_tracked_inside_the_footnote(versions):
    index = list(PAIRS).index("changed locator")
    path, tally = _redline(versions, SEED, f"statements/new-{index}.yaml")
    _, footnotes = _parts(path)
    inside = [w for w in footnotes.iter(f"{W}ins") if w.getparent().tag != f"{W}rPr"]
    assert ["".join(t.text for t in w.iter(f"{W}t")) for w in inside] == ["11"]
    assert tally.lines() == ["body: 1 insertion, 1 deletion"]  # counted where the citation stands


def test_a_changed_phone_marks_only_the_number_not_the_whole_contact(versions):
    index = list(PAIRS).index("changed contact")
    path, tally = _redline(versions, SEED, f"statements/new-{index}.yaml")
    assert (_changes(path, "del"), _changes(path, "ins")) == (["869238313"], ["869238300"])
    document, _ = _parts(path)
    marked = [p for p in document.iter(f"{W}p") if p.find(f"{W}pPr/{W}rPr/{W}del") is not None or p.find(f"{W}pPr/{W}rPr/{W}ins") is not None]
    assert marked == []  # no paragraph of the contact deleted or inserted
    assert tally.lines() == ["contacts: 1 insertion, 1 deletion"]


def test_changes_carry_the_author_and_a_date(versions):
    path, _ = _redline(versions, SEED, "statements/new-0.yaml")
    document, _ = _parts(path)
    marks = list(document.iter(f"{W}ins", f"{W}del"))
    assert marks and all(m.get(f"{W}author") == "Reviewer" and m.get(f"{W}date").endswith("Z") for m in marks)
    assert len({m.get(f"{W}id") for m in marks}) == len(marks)


def test_review_pull_maps_a_redline_to_the_new_statement(versions, cli, monkeypatch):
    monkeypatch.chdir(versions)
    path, _ = _redline(versions, SEED, "statements/new-0.yaml")
    result = cli("review", "pull", str(path), "--statement", "statements/new-0.yaml")
    assert result.exit_code == 0, result.output
    assert "body[0]" in result.output and "warmly" in result.output


def test_the_command_writes_the_redline_and_a_summary(versions, cli, monkeypatch):
    monkeypatch.chdir(versions)
    result = cli("redline", SEED, "statements/new-2.yaml", "--author", "A. Reviewer")
    assert result.exit_code == 0, result.output
    assert "build/new-2.redline.docx" in result.output
    assert "recommendations: 0 insertions, 1 deletion" in result.output
    assert (versions / "build/new-2.redline.docx").is_file()


def test_against_a_git_revision(tmp_path, cli, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)

    def git(*args):
        subprocess.run(["git", "-c", "user.name=Tester", "-c", "user.email=t@example.org", *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "first")
    seed = tmp_path / SEED
    seed.write_text(PAIRS["word swap"][1](seed.read_text(encoding="utf-8")), encoding="utf-8")
    git("commit", "-q", "-am", "second")
    result = cli("redline", SEED, "--against", "HEAD~1", "--author", "Tester")
    assert result.exit_code == 0, result.output
    assert _changes(tmp_path / "build/2017-11-22-asean-consensus.redline.docx", "ins") == ["warmly"]
    assert not list((tmp_path / "statements").glob(".*"))  # the old version's file is gone
    bad = cli("redline", SEED, "--against", "no-such-rev")
    assert bad.exit_code == 2 and "no-such-rev" in bad.output


def test_an_old_version_outside_the_project_is_read_in_the_new_ones_project(versions, tmp_path, cli, monkeypatch):
    elsewhere = tmp_path / "downloads"  # no templates/ or bibliography/ around it
    elsewhere.mkdir()
    shutil.copy(versions / SEED, elsewhere / "old.yaml")
    monkeypatch.chdir(versions)
    result = cli("redline", str(elsewhere / "old.yaml"), "statements/new-0.yaml", "-o", str(tmp_path / "out"))
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    path = tmp_path / "out/new-0.redline.docx"
    assert _changes(path, "ins") == ["warmly"] and _changes(path, "del") == ["cautiously"]
    assert not list((versions / "statements").glob(".*"))  # the stand-in for OLD is gone
    (elsewhere / "old.yaml").write_text((versions / SEED).read_text(encoding="utf-8").replace("date: 2017-11-22", "date: 2017-13-45"),
                                        encoding="utf-8")
    broken = cli("redline", str(elsewhere / "old.yaml"), "statements/new-0.yaml", "-o", str(tmp_path / "out"))
    assert broken.exit_code == 2
    assert broken.stderr.startswith(f"{elsewhere / 'old.yaml'}:"), broken.stderr  # named as typed, not as its stand-in
    assert not list((versions / "statements").glob(".*"))


def test_libreoffice_accepts_the_redline(versions, tmp_path):
    """LibreOffice opens the redline and counts the tracked changes (a real second reader)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    path, _ = _redline(versions, SEED, "statements/new-0.yaml")
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "odt",
                           "--outdir", str(tmp_path), str(path)], capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / (path.stem + ".odt")) as package:
        content = package.read("content.xml").decode("utf-8")
    assert content.count("<text:changed-region") >= 2
    assert "cautiously" in content and "warmly" in content


def test_bytes_of_a_redline_open_in_python_docx(versions):
    import docx

    path, _ = _redline(versions, SEED, "statements/new-0.yaml")
    assert docx.Document(io.BytesIO(path.read_bytes())).paragraphs
