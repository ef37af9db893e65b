"""Play the reviewer: add comments, replies and tracked changes to a draft DOCX.

Edits work on the runs inside a `_y_` bookmark (found by YAML path) and
split runs so that a phrase stands in a run of its own, then wrap it the
way Word does: `w:del` with `w:delText`, `w:ins` with a copy of the run's
formatting, comment ranges through python-docx, and replies and resolved
flags in `word/commentsExtended.xml` with its relationship and content type.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import subprocess
import uuid
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.text.run import Run
from lxml import etree

from mmnpress.render.bookmarks import bookmark_name

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
COMMENTS_EXTENDED = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
COMMENTS_EXTENDED_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
DATE = "2026-11-28T10:00:00Z"
RSID = "00A1B2C3"  # the revision session id Word stamps on runs a session adds or deletes


class Reviewer:
    """A draft being reviewed; save() writes the reviewed copy."""

    def __init__(self, path: Path):
        self.doc = docx.Document(str(path))
        self.body = self.doc.element.body
        self.ids = itertools.count(9001)
        self.threads: list[tuple[object, object | None, bool]] = []  # (comment, parent, done)

    # finding text

    def runs(self, path: str) -> list:
        """Return the w:r elements inside the bookmark of `path`, in order."""
        name = bookmark_name(path)
        start = self.body.xpath(f'.//w:bookmarkStart[@w:name="{name}"]')[0]
        mark_id = start.get(qn("w:id"))
        found, inside = [], False
        for element in self.body.iter():
            if element is start:
                inside = True
            elif element.tag == qn("w:bookmarkEnd") and element.get(qn("w:id")) == mark_id:
                break
            elif inside and element.tag == qn("w:r") and element.find(qn("w:t")) is not None:
                found.append(element)
        return found

    def isolate(self, path: str, phrase: str, occurrence: int = 0):
        """Split runs so that `phrase` (inside one run of `path`) is a run of its own; return it."""
        seen = 0
        for run in self.runs(path):
            text = run.find(qn("w:t")).text or ""
            at = text.find(phrase)
            while at >= 0 and seen < occurrence:
                seen, at = seen + 1, text.find(phrase, at + 1)
            if at >= 0:
                return _split(run, at, at + len(phrase))
        raise AssertionError(f"{phrase!r} not found in {path}")

    def point_after(self, path: str, phrase: str):
        """Split so that a run ends right after `phrase`; return that run."""
        return self.isolate(path, phrase)

    # tracked changes

    def delete(self, path: str, phrase: str, author: str, date: str = DATE):
        """Mark `phrase` in `path` as deleted by `author`."""
        return self.delete_run(self.isolate(path, phrase), author, date)

    def delete_run(self, run, author: str, date: str = DATE):
        """Wrap one run in w:del, its w:t turned into w:delText; the run gets a w:rsidDel as Word gives it."""
        wrapper = self._change("w:del", author, date)
        run.addprevious(wrapper)
        wrapper.append(run)
        run.set(qn("w:rsidDel"), RSID)
        for text in run.iter(qn("w:t")):
            text.tag = qn("w:delText")
        return wrapper

    def move(self, path: str, phrase: str, to_path: str, after: str, author: str, date: str = DATE):
        """Move `phrase` of `path` to just after `after` in `to_path`, as Word records a drag (w:moveFrom / w:moveTo)."""
        run = self.isolate(path, phrase)
        source = self._change("w:moveFrom", author, date)
        run.addprevious(source)
        source.append(run)
        for text in run.iter(qn("w:t")):
            text.tag = qn("w:delText")
        anchor = self.isolate(to_path, after)
        moved = copy.deepcopy(run)
        for text in moved.iter(qn("w:delText")):
            text.tag = qn("w:t")
        target = self._change("w:moveTo", author, date)
        target.append(moved)
        anchor.addnext(target)
        return source, target

    def reformat(self, path: str, phrase: str, author: str, add: str = "b", date: str = DATE):
        """Give `phrase` the run property `add` (b, i, u) as a tracked formatting change (w:rPrChange)."""
        run = self.isolate(path, phrase)
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            rpr = etree.SubElement(run, qn("w:rPr"))
            run.insert(0, rpr)
        old = copy.deepcopy(rpr)
        change = self._change("w:rPrChange", author, date)
        change.append(old)
        flag = etree.Element(qn(f"w:{add}"))
        if add == "u":
            flag.set(qn("w:val"), "single")
        rpr.insert(0, flag)
        rpr.append(change)
        return run

    def restyle(self, path: str, style: str, author: str, date: str = DATE) -> None:
        """Give the paragraph holding `path` the paragraph style `style`, as a tracked change (w:pPrChange)."""
        paragraph = self.runs(path)[0].getparent()
        while paragraph.tag != qn("w:p"):
            paragraph = paragraph.getparent()
        ppr = paragraph.find(qn("w:pPr"))
        old = copy.deepcopy(ppr)
        for child in list(old):
            if child.tag == qn("w:rPr"):
                old.remove(child)
        found = ppr.find(qn("w:pStyle"))
        if found is None:
            found = etree.Element(qn("w:pStyle"))
            ppr.insert(0, found)
        found.set(qn("w:val"), style)
        change = self._change("w:pPrChange", author, date)
        change.append(old)
        ppr.append(change)

    def split_after(self, path: str, phrase: str, author: str, date: str = DATE):
        """Press Enter after `phrase` of `path` with changes tracked: the first half's paragraph mark is inserted."""
        run = self.isolate(path, phrase)
        paragraph = run.getparent()
        while paragraph.tag != qn("w:p"):
            run, paragraph = paragraph, paragraph.getparent()
        second = copy.deepcopy(paragraph)
        for child in list(second):
            if child.tag != qn("w:pPr"):
                second.remove(child)
        for sibling in list(run.itersiblings()):
            second.append(sibling)
        paragraph.addnext(second)
        ppr = paragraph.find(qn("w:pPr"))
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, qn("w:rPr"))
        rpr.append(self._change("w:ins", author, date))
        return second

    def insert_footnote(self, path: str, phrase: str, text: str, author: str, date: str = DATE) -> None:
        """Add a footnote after `phrase` with changes tracked: a tracked reference and a tracked note text."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        anchor = self.isolate(path, phrase)
        wrapper = self.insert_at(anchor, "", author, date)
        run = wrapper.find(qn("w:r"))
        run.remove(run.find(qn("w:t")))
        number = next(self.ids)
        reference = etree.SubElement(run, qn("w:footnoteReference"))
        reference.set(qn("w:id"), str(number))
        notes = self.doc.part.part_related_by(RT.FOOTNOTES)
        xml = notes.blob.decode("utf-8")
        note = (f'<w:footnote w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                f'<w:ins w:id="{next(self.ids)}" w:author="{author}" w:date="{date}">'
                '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:ins></w:p></w:footnote>')
        notes._blob = xml.replace("</w:footnotes>", note + "</w:footnotes>").encode("utf-8")

    def empty_insertion(self, path: str, phrase: str, author: str, date: str = DATE) -> None:
        """Record an empty tracked insertion after `phrase`, as LibreOffice does at a comment's anchor."""
        self.isolate(path, phrase).addnext(self._change("w:ins", author, date))

    def insert_after(self, path: str, phrase: str, text: str, author: str, date: str = DATE, like=None):
        """Insert `text` right after `phrase`, formatted like that run (or like `like`)."""
        anchor = self.isolate(path, phrase)
        return self.insert_at(anchor, text, author, date, like=like, after=True)

    def insert_before(self, path: str, phrase: str, text: str, author: str, date: str = DATE):
        """Insert `text` right before `phrase`, formatted like that run."""
        return self.insert_at(self.isolate(path, phrase), text, author, date, after=False)

    def insert_at(self, anchor, text: str, author: str, date: str = DATE, like=None, after: bool = True):
        """Insert a tracked run next to the run (or w:del / w:ins) `anchor`."""
        source = like if like is not None else (anchor if anchor.tag == qn("w:r") else anchor.find(qn("w:r")))
        run = copy.deepcopy(source)
        for child in list(run):
            if child.tag != qn("w:rPr"):
                run.remove(child)
        t = etree.SubElement(run, qn("w:t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        run.set(qn("w:rsidR"), RSID)
        wrapper = self._change("w:ins", author, date)
        wrapper.append(run)
        (anchor.addnext if after else anchor.addprevious)(wrapper)
        return wrapper

    def replace(self, path: str, phrase: str, text: str, author: str, date: str = DATE):
        """Delete `phrase` and insert `text` in its place, as Word records a retype."""
        deleted = self.delete(path, phrase, author, date)
        return self.insert_at(deleted, text, author, date)

    def append_outside(self, path: str, text: str, author: str, date: str = DATE):
        """Insert `text` right after the bookmark of `path` ends, where Word puts text typed at its end."""
        start = self.body.xpath(f'.//w:bookmarkStart[@w:name="{bookmark_name(path)}"]')[0]
        end = self.body.xpath(f'.//w:bookmarkEnd[@w:id="{start.get(qn("w:id"))}"]')[0]
        return self.insert_at(end, text, author, date, like=self.runs(path)[-1], after=True)

    def new_paragraph_after(self, path: str, text: str, author: str, date: str = DATE):
        """Add a tracked new paragraph after the one holding `path`, as pressing Enter and typing does."""
        paragraph = self.runs(path)[-1].getparent()
        while paragraph.tag != qn("w:p"):
            paragraph = paragraph.getparent()
        new = copy.deepcopy(paragraph)
        for child in list(new):
            if child.tag != qn("w:pPr"):
                new.remove(child)
        paragraph.addnext(new)
        rpr = paragraph.find(qn("w:pPr")).find(qn("w:rPr"))
        if rpr is None:
            rpr = etree.SubElement(paragraph.find(qn("w:pPr")), qn("w:rPr"))
        rpr.append(self._change("w:ins", author, date))
        run = etree.SubElement(new, qn("w:r"))
        etree.SubElement(run, qn("w:t")).text = text
        wrapper = self._change("w:ins", author, date)
        run.addprevious(wrapper)
        wrapper.append(run)
        return new

    def delete_paragraph_mark(self, path: str, author: str, date: str = DATE) -> None:
        """Mark the end of the paragraph holding `path` as deleted (joins it with the next)."""
        paragraph = self.runs(path)[0].getparent()
        while paragraph.tag != qn("w:p"):
            paragraph = paragraph.getparent()
        ppr = paragraph.find(qn("w:pPr"))
        if ppr is None:
            ppr = etree.SubElement(paragraph, qn("w:pPr"))
            paragraph.insert(0, ppr)
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, qn("w:rPr"))
        rpr.append(self._change("w:del", author, date))

    def _change(self, tag: str, author: str, date: str):
        element = etree.Element(qn(tag))
        element.set(qn("w:id"), str(next(self.ids)))
        element.set(qn("w:author"), author)
        element.set(qn("w:date"), date)
        return element

    # comments

    def comment(self, first, last, text: str, author: str, initials: str, parent=None, done: bool = False):
        """Comment on the runs from `first` to `last`; a reply when `parent` is given."""
        paragraph = first.getparent()
        runs = [Run(first, paragraph), Run(last, last.getparent())]
        comment = self.doc.add_comment(runs, text=text, author=author, initials=initials)
        self.threads.append((comment, parent, done))
        return comment

    def comment_on(self, path: str, phrase: str, text: str, author: str, initials: str, **options):
        """Comment on `phrase` inside `path`."""
        run = self.isolate(path, phrase)
        return self.comment(run, run, text, author, initials, **options)

    def resolve(self, comment) -> None:
        """Mark `comment` as resolved (w15:done)."""
        self.threads = [(c, p, done or c is comment) for c, p, done in self.threads]

    def save(self, path: Path) -> Path:
        """Write the reviewed document, with commentsExtended.xml when there are threads."""
        if self.threads:
            self._comments_extended()
        self.doc.save(str(path))
        return path

    def _comments_extended(self) -> None:
        ids = {}
        for number, (comment, _, _) in enumerate(self.threads, start=1):
            ids[id(comment)] = f"{0x10000000 + number:08X}"
            last = comment._comment_elm.findall(qn("w:p"))[-1]
            last.set(f"{{{W14}}}paraId", ids[id(comment)])
        entries = "".join(
            f'<w15:commentEx w15:paraId="{ids[id(c)]}"'
            + (f' w15:paraIdParent="{ids[id(p)]}"' if p is not None else "")
            + f' w15:done="{1 if done else 0}"/>'
            for c, p, done in self.threads
        )
        xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w15:commentsEx xmlns:w15="{W15}">{entries}</w15:commentsEx>'
        part = Part(PackURI("/word/commentsExtended.xml"), COMMENTS_EXTENDED_TYPE, xml.encode("utf-8"), self.doc.part.package)
        self.doc.part.relate_to(part, COMMENTS_EXTENDED)


def _split(run, start: int, end: int):
    """Split a run with one w:t so that text[start:end] is a run of its own; return it."""
    t = run.find(qn("w:t"))
    text = t.text or ""
    pieces = [(text[:start], False), (text[start:end], True), (text[end:], False)]
    made, middle = [], None
    for piece, is_middle in pieces:
        if not piece:
            continue
        clone = copy.deepcopy(run)
        clone.find(qn("w:t")).text = piece
        clone.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        made.append(clone)
        middle = clone if is_middle else middle
    for clone in made:
        run.addprevious(clone)
    run.getparent().remove(run)
    return middle


SEED = "statements/2017-11-22-asean-consensus.yaml"
REPO = Path(__file__).resolve().parents[2]


def build_draft(folder: Path, change=None) -> Path:
    """Build the seed statement (its text changed by `change` when given) into a draft DOCX with the real pipeline."""
    import shutil

    from mmnpress.build import Request, build

    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, folder / name)
    if change is not None:
        (folder / SEED).write_text(change((folder / SEED).read_text(encoding="utf-8")), encoding="utf-8")
    previous = Path.cwd()
    os.chdir(folder)
    try:
        result = build(Request(Path(SEED), ("docx",), folder / "build"))
    finally:
        os.chdir(previous)
    return result.outputs[0]


def line_of(project: Path, phrase: str, after: str | None = None) -> int:
    """Return the only line of the seed statement that holds `phrase` (below the line holding `after`)."""
    lines = (project / SEED).read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    found = [i + 1 for i, line in enumerate(lines) if phrase in line and i >= start]
    assert found, phrase
    return found[0]


def seed_review(draft: Path, out: Path) -> Path:
    """Write the standard reviewed draft used by the pull and apply tests."""
    r = Reviewer(draft)
    alice = r.comment_on("body[2]", "optimism and excitement", "Is this still true?", "Alice Reviewer", "AR")
    r.comment_on("body[2]", "optimism and excitement", "Yes, keep it.", "Bob Editor", "BE", parent=alice)
    r.resolve(alice)
    first, last = r.isolate("body[0]", "31st ASEAN Summit."), r.isolate("body[1]", "MMN is a sub-regional network")
    r.comment(first, last, "Merge these two?", "Chandra K", "CK")
    r.comment_on("recommendations.items[2].title", "Meaningful Dialogue", "Shorter title?", "Alice Reviewer", "AR")
    r.comment_on("contacts[1]", "Research and Advocacy Officer", "New title since May.", "Bob Editor", "BE")
    r.replace("body[1]", "actively", "consistently", "Alice Reviewer")
    r.delete("body[3]", " (AFML).", "Chandra K")
    r.delete_paragraph_mark("body[3]", "Chandra K")
    r.delete("body[4]", "The Consensus is a result of these decade-long efforts. ", "Chandra K")
    r.insert_after("recommendations.items[0].title", "Mediation", " and Dispute Resolution", "Bob Editor")
    r.replace("recommendations.items[1].text", "relatively", "very", "Bob Editor")
    r.insert_after("contacts[0]", "MMN Regional Coordinator", " and Director", "Alice Reviewer")
    return r.save(out)


INLINE = ("policy dialogues wherever possible.\n",
          "policy dialogues wherever possible.^[MMN has taken part in\n    every ASEAN Forum on Migrant Labour since 2008.]\n")
NAMED = ("principles of democracy, the rule of law and good governance.\n",
         "principles of democracy, the rule of law and good governance.[^manila]\n")
NOTES = "\nnotes:\n  manila: The Consensus was signed in Manila on 14 November 2017.\n"


def noted_statement(text: str) -> str:
    """Return the seed statement with an inline note in body[1] and a named note in body[4]."""
    for old, new in (INLINE, NAMED):
        assert old in text
        text = text.replace(old, new, 1)
    return text + NOTES


@pytest.fixture(scope="session")
def noted_draft(tmp_path_factory) -> Path:
    """Return a draft of the noted seed statement (see `noted_statement`), built once."""
    return build_draft(tmp_path_factory.mktemp("noted"), noted_statement)


@pytest.fixture(scope="session")
def draft(tmp_path_factory) -> Path:
    """Return a draft DOCX built once by the real pipeline."""
    return build_draft(tmp_path_factory.mktemp("built"))


@pytest.fixture
def reviewed(project, draft) -> Path:
    """Return the standard reviewed draft, inside a fresh project copy (the working folder)."""
    return seed_review(draft, project / "reviewed.docx")


def pulled(cli, path: Path) -> dict:
    """Return what `review pull --format json` reads from the draft at `path`; it must succeed."""
    result = cli("review", "pull", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def where(item: dict) -> list[tuple]:
    """Return the (path, file, line) places of a pulled comment or change."""
    return [(w["path"], w["file"], w["line"]) for w in item["where"]]


def through_libreoffice(path: Path, folder: Path) -> Path:
    """Convert `path` to ODT and back to DOCX with LibreOffice; return the DOCX that came back."""
    profile = f"file://{folder}/lo-profile-{uuid.uuid4().hex}"
    base = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to"]
    env = {**os.environ, "HOME": str(folder)}
    subprocess.run([*base, "odt", "--outdir", str(folder / "odt"), str(path)], check=True, capture_output=True, timeout=180, env=env)
    odt = folder / "odt" / (path.stem + ".odt")
    subprocess.run([*base, "docx", "--outdir", str(folder / "back"), str(odt)], check=True, capture_output=True, timeout=180, env=env)
    return folder / "back" / (path.stem + ".docx")


def first_run(reviewer: Reviewer, style: str):
    """Return the first run of the first paragraph of `style` (generated text such as the date line)."""
    from docx.oxml.ns import qn

    paragraph = reviewer.body.xpath(f'.//w:p[w:pPr/w:pStyle/@w:val="{style}"]')[0]
    return paragraph.find(qn("w:r"))


def edit_footnote(path: Path, author: str) -> None:
    """Insert tracked text at the start of footnote 1, as a reviewer would."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = parts["word/footnotes.xml"].decode("utf-8")
    marker = '<w:footnote w:id="1">'
    at = xml.index("</w:r>", xml.index("<w:footnoteRef/>", xml.index(marker))) + len("</w:r>")
    at = xml.index("</w:r>", at) + len("</w:r>")  # after the space that follows the number
    ins = (f'<w:ins w:id="7001" w:author="{author}" w:date="2026-11-28T10:00:00Z">'
           '<w:r><w:t xml:space="preserve">See also </w:t></w:r></w:ins>')
    parts["word/footnotes.xml"] = (xml[:at] + ins + xml[at:]).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def rezip(source: Path, target: Path, replace: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    """Copy the draft `source` to `target`, replacing or adding the given members."""
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts.update(replace)
    with zipfile.ZipFile(target, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target
