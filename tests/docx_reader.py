"""Read a built DOCX back the way a reader (python-docx, pandoc) sees it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def footnotes(path: Path) -> list[str]:
    """Return the texts of the real footnotes (separators left out), in id order."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/footnotes.xml"))
    notes = []
    for note in root.iter(W + "footnote"):
        if note.get(W + "type") in ("separator", "continuationSeparator"):
            continue
        notes.append("".join(t.text or "" for t in note.iter(W + "t")).strip())
    return notes


def part_text(path: Path, prefix: str) -> str:
    """Return the raw XML of every part whose name starts with `prefix`, joined."""
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith(prefix))


def pandoc_text(path: Path, to: str = "plain") -> str:
    """Return the document as pandoc reads it."""
    import pypandoc

    fmt = "markdown-smart" if to == "markdown" else to
    return pypandoc.convert_file(str(path), fmt, extra_args=["--wrap=none"])


def paragraphs(path: Path):
    """Return python-docx paragraphs of the body."""
    return Document(str(path)).paragraphs


def header_text(path: Path) -> str:
    """Return the text of every header of the document (python-docx), tables and text boxes included."""
    document = Document(str(path))
    texts = []
    for section in document.sections:
        for header in (section.first_page_header, section.header, section.even_page_header):
            if header.is_linked_to_previous:
                continue
            texts.append("".join(t.text or "" for t in header._element.iter(W + "t")))
    return "\n".join(texts)


def header_images(path: Path) -> list[bytes]:
    """Return the images the headers show, read through python-docx's relationships."""
    document = Document(str(path))
    images = []
    for section in document.sections:
        for header in (section.first_page_header, section.header):
            if header.is_linked_to_previous:
                continue
            for rel in header.part.rels.values():
                if rel.reltype.endswith("/image"):
                    images.append(rel.target_part.blob)
    return images
