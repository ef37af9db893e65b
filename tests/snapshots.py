"""Readable, run-independent snapshots of what a build makes, for the golden tests.

A snapshot is a set of text files: the render model as JSON, the Word parts
that carry layout as pretty-printed XML, a manifest of every other part with
a hash of its normalised content, and the PDF's text page by page. Whatever
varies between runs without changing the document (rsids, the project's
temporary folder) is normalised away, so a difference is always drift.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from mmnpress.document import to_data

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
# Parts shown in full: the text, notes, page furniture and numbering a reader sees.
SHOWN_PARTS = re.compile(r"word/(document|footnotes|endnotes|numbering|header\d+|footer\d+)\.xml|word/_rels/document\.xml\.rels"
                         r"|\[Content_Types\]\.xml|docProps/(core|custom)\.xml")
# Attributes Word uses for revision bookkeeping; they say nothing about the document.
VOLATILE_ATTRIBUTES = {f"{{{W14_NS}}}paraId", f"{{{W14_NS}}}textId"}
PROJECT = "<project>"


def snapshot(document, docx: Path | None, pdf: Path | None, root: Path) -> dict[str, str]:
    """Return the snapshot files of one built statement, by file name."""
    files = {"model.json": model_json(document, root)}
    if docx is not None:
        files.update(docx_parts(docx))
    if pdf is not None and shutil.which("pdftotext"):
        files["pdf.txt"] = pdf_text(pdf)
    return files


def model_json(document, root: Path) -> str:
    """Return the render model as indented JSON, with the project folder written as <project>."""
    text = json.dumps(to_data(document), ensure_ascii=False, indent=1)
    for folder in {str(root), str(root.resolve())}:
        text = text.replace(json.dumps(folder)[1:-1], PROJECT)
    return text + "\n"


def docx_parts(docx: Path) -> dict[str, str]:
    """Return the shown parts as normalised XML, the styles they use, and a manifest of all parts."""
    files, manifest = {}, []
    with zipfile.ZipFile(docx) as package:
        names = package.namelist()
        for name in names:
            data = package.read(name)
            if name.endswith((".xml", ".rels")):
                data = normalised_xml(data)
            # embedded font instances are made by the installed fontTools, whose bytes vary between its versions
            digest = "font" if name.startswith("word/fonts/") else hashlib.sha256(data).hexdigest()[:16]
            manifest.append(f"{name}  {digest}")
            if SHOWN_PARTS.fullmatch(name):
                files[_file_name(name)] = data.decode("utf-8")
        if "word/styles.xml" in names:
            used = _used_style_ids(package, names)
            files["styles-used.xml"] = used_styles(package.read("word/styles.xml"), used).decode("utf-8")
    files["parts.txt"] = "\n".join(sorted(manifest)) + "\n"
    return files


def normalised_xml(data: bytes) -> bytes:
    """Return an XML part without rsids or revision ids, pretty-printed one element a line."""
    tree = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == f"{{{W_NS}}}rsids":
            element.getparent().remove(element)
            continue
        if element.tag == "{http://purl.org/dc/terms/}modified":
            element.text = "(build time)"  # DOCX core properties hold the real time of the build
            continue
        for name in list(element.attrib):
            if name in VOLATILE_ATTRIBUTES or etree.QName(name).localname.startswith("rsid"):
                del element.attrib[name]
    return etree.tostring(tree, pretty_print=True, encoding="utf-8", xml_declaration=False)


def used_styles(styles: bytes, used: set[str]) -> bytes:
    """Return the document defaults and the styles in `used` (with what they are based on)."""
    tree = etree.fromstring(normalised_xml(styles))
    by_id = {style.get(f"{{{W_NS}}}styleId"): style for style in tree.iterfind(f"{{{W_NS}}}style")}
    wanted, pending = set(), [s for s in used if s in by_id]
    while pending:
        style_id = pending.pop()
        if style_id in wanted:
            continue
        wanted.add(style_id)
        for link in ("basedOn", "link", "next"):
            target = by_id[style_id].find(f"{{{W_NS}}}{link}")
            if target is not None and target.get(f"{{{W_NS}}}val") in by_id:
                pending.append(target.get(f"{{{W_NS}}}val"))
    for child in list(tree):
        if child.tag == f"{{{W_NS}}}latentStyles" or (child.tag == f"{{{W_NS}}}style" and child.get(f"{{{W_NS}}}styleId") not in wanted):
            tree.remove(child)
    return etree.tostring(tree, pretty_print=True, encoding="utf-8")


def _used_style_ids(package: zipfile.ZipFile, names: list[str]) -> set[str]:
    used = set()
    for name in names:
        if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml" and "stylesWithEffects" not in name:
            used.update(re.findall(rb'<w:(?:p|r|tbl)Style w:val="([^"]+)"', package.read(name)))
    return {style.decode("utf-8") for style in used}


def _file_name(part: str) -> str:
    return part.replace("/", "_").replace("[", "").replace("]", "")


def pdf_text(pdf: Path) -> str:
    """Return the PDF's text as pdftotext reads it, page by page."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return "".join(f"--- page {number} ---\n{page.rstrip()}\n" for number, page in enumerate(pages, start=1))
