"""Reviewed files are untrusted: every hostile DOCX is refused with one line and exit status 2."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from review import drafts

from tests.review.drafts import rezip

draft = drafts.draft

XXE = b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document>&x;</w:document>'
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>'
          b"<w:comments>&lol2;</w:comments>")


def refused(cli, path: Path, command: str = "pull") -> str:
    """Run a review command on `path`, check it failed cleanly, and return its one line."""
    result = cli("review", command, str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return lines[0]


@pytest.mark.parametrize("command", ["pull", "apply"])
def test_zip_bomb(project, cli, draft, command):
    bomb = rezip(draft, project / "bomb.docx", {"word/document.xml": b"\0" * (15 * 1024 * 1024)})
    line = refused(cli, bomb, command)
    assert line.startswith("bomb.docx: refused: part word/document.xml expands ") and line.endswith("times (a zip bomb?)")


def test_zip_bomb_that_lies_about_its_size(project, cli, draft):
    path = rezip(draft, project / "liar.docx", {"word/document.xml": b"<w:document/>" + b" " * (30 * 1024 * 1024)})
    data = bytearray(path.read_bytes())
    real = (30 * 1024 * 1024 + 13).to_bytes(4, "little")
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(header)
        while at >= 0:
            if data[at + offset:at + offset + 4] == real:
                data[at + offset:at + offset + 4] = (2000).to_bytes(4, "little")
            at = data.find(header, at + 1)
    path.write_bytes(bytes(data))
    assert refused(cli, path) == "liar.docx: damaged part word/document.xml: Bad CRC-32 for file 'word/document.xml'"


def test_part_over_the_limit(project, cli, draft):
    big = rezip(draft, project / "big.docx", {"word/media/big.bin": os.urandom(21 * 1024 * 1024)}, zipfile.ZIP_STORED)
    assert refused(cli, big) == "big.docx: refused: part word/media/big.bin is 21.0 MB uncompressed (limit 20 MB)"


def test_total_over_the_limit(project, cli, draft, monkeypatch):
    from mmnpress import safedocx

    monkeypatch.setattr(safedocx, "MAX_TOTAL", 512 * 1024)
    assert refused(cli, draft) == f"{draft}: refused: more than 512 KB uncompressed in total"


def test_too_many_entries(project, cli, draft):
    many = rezip(draft, project / "many.docx", {f"customXml/n{i}.xml": b"<a/>" for i in range(2001)})
    assert refused(cli, many).startswith("many.docx: refused: 20")


def test_external_entity(project, cli, draft):
    path = rezip(draft, project / "xxe.docx", {"word/document.xml": XXE})
    assert refused(cli, path) == "xxe.docx: refused: word/document.xml declares a DOCTYPE (entities are not allowed)"


def test_entity_expansion_in_comments(project, cli, draft):
    with zipfile.ZipFile(draft) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        'relationships/comments" Target="comments.xml"/></Relationships>')
    path = rezip(draft, project / "laughs.docx", {"word/comments.xml": LAUGHS, "word/_rels/document.xml.rels": rels.encode()})
    assert refused(cli, path) == "laughs.docx: refused: word/comments.xml declares a DOCTYPE (entities are not allowed)"


def test_doctype_hidden_in_utf16(project, cli, draft):
    custom = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE p><Properties/>'.encode("utf-16")
    path = rezip(draft, project / "utf16.docx", {"docProps/custom.xml": custom})
    assert refused(cli, path) == "utf16.docx: refused: docProps/custom.xml declares a DOCTYPE (entities are not allowed)"


def test_malformed_xml(project, cli, draft):
    with zipfile.ZipFile(draft) as archive:
        document = archive.read("word/document.xml")
    path = rezip(draft, project / "broken.docx", {"word/document.xml": document[: len(document) // 2]})
    assert refused(cli, path).startswith("broken.docx: malformed XML in word/document.xml: ")


@pytest.mark.parametrize("content", [os.urandom(4096), b"", b"PK\x03\x04 not really a zip"])
def test_not_a_zip(project, cli, content):
    path = project / "random.docx"
    path.write_bytes(content)
    assert refused(cli, path) == "random.docx: not a Word document (not a zip archive)"


def test_zip_without_a_document(project, cli):
    path = project / "empty.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert refused(cli, path) == "empty.docx: not a Word document (no word/document.xml)"


def test_missing_file(project, cli):
    assert refused(cli, project / "nowhere.docx") == "nowhere.docx: cannot read file: No such file or directory"


def test_deeply_nested_xml(project, cli, draft):
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    depth = 250
    document = (f'<w:document xmlns:w="{w}"><w:body><w:p>' + "<w:hyperlink>" * depth + "<w:r><w:t>deep</w:t></w:r>"
                + "</w:hyperlink>" * depth + "</w:p></w:body></w:document>")
    path = rezip(draft, project / "deep.docx", {"word/document.xml": document.encode()})
    result = cli("review", "pull", str(path), "--format", "json")
    assert result.exit_code == 0 and '"changes": []' in result.stdout
    deeper = document.replace("<w:p>", "<w:p>" + "<w:ins>" * 5, 1).replace("</w:p>", "</w:ins>" * 5 + "</w:p>", 1)
    path = rezip(draft, project / "deeper.docx", {"word/document.xml": deeper.encode()})
    assert refused(cli, path).startswith("deeper.docx: malformed XML in word/document.xml: Excessive depth")
