"""Open a DOCX that came back from a reviewer, which is untrusted input.

Everything is read in memory, never extracted to disk. The archive is
checked before any member is decompressed (entry count, declared sizes,
compression ratio, encryption, duplicate names); a member whose real size
exceeds its declared size fails its CRC check in `zipfile`, so the checks
cannot be dodged by lying headers. XML parts are parsed without DTDs,
entities or network access, and any DOCTYPE is refused.
"""

from __future__ import annotations

import io
import posixpath
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReviewError, display_path

MB = 1024 * 1024
MAX_FILE = 100 * MB
MAX_PART = 20 * MB
MAX_TOTAL = 100 * MB
MAX_ENTRIES = 2000
MAX_RATIO = 100
BIG_MEMBER = 1 * MB

RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
STRICT_RELS = "http://purl.oclc.org/ooxml/officeDocument/relationships/"
# Word's "Strict Open XML Document" names its elements in these namespaces; read
# as their transitional twins, the parts hold the same elements and attributes.
STRICT_NAMESPACES = {
    b"http://purl.oclc.org/ooxml/wordprocessingml/main": b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    b"http://purl.oclc.org/ooxml/officeDocument/customProperties": b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes": b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}


class UnsafeDocxError(ReviewError):
    """Raise when a reviewed file is not a Word document or breaks a safety limit."""


@dataclass
class Package:
    """A DOCX held in memory: checked members, read and parsed on demand."""

    name: str
    archive: zipfile.ZipFile
    members: dict[str, zipfile.ZipInfo]
    _parsed: dict[str, object] = field(default_factory=dict)

    def refuse(self, message: str) -> UnsafeDocxError:
        """Return the error for this file, prefixed with its name."""
        return UnsafeDocxError(f"{self.name}: {message}")

    def read(self, member: str) -> bytes | None:
        """Return the bytes of `member`, or None when the package has no such part."""
        info = self.members.get(member)
        if info is None:
            return None
        try:
            with self.archive.open(info) as stream:
                data = stream.read(MAX_PART + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
            raise self.refuse(f"damaged part {member}: {error}") from None
        if len(data) > MAX_PART:
            raise self.refuse(f"refused: part {member} is larger than {_size(MAX_PART)}")
        return data

    def xml(self, member: str):
        """Return the parsed root element of `member`, or None when it is absent."""
        if member not in self._parsed:
            data = self.read(member)
            self._parsed[member] = None if data is None else parse_xml(data, member, self)
        return self._parsed[member]

    def relationships(self, member: str) -> list[tuple[str, str]]:
        """Return (type, target part) of every internal relationship of `member`."""
        folder, base = posixpath.split(member)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        if root is None:
            return []
        found = []
        for rel in root:
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found.append((_short_type(rel.get("Type") or ""), path))
        return found

    def related(self, member: str, kind: str) -> list[str]:
        """Return the parts `member` relates to with relationship type `kind` (e.g. "footnotes")."""
        return [path for rel_kind, path in self.relationships(member) if rel_kind == kind and path in self.members]


def _size(count: int) -> str:
    return f"{count // MB} MB" if count % MB == 0 else f"{count // 1024} KB"


def _short_type(rel_type: str) -> str:
    for prefix in (RELS, STRICT_RELS, "http://schemas.microsoft.com/office/2011/relationships/"):
        if rel_type.startswith(prefix):
            return rel_type[len(prefix):]
    return rel_type


def open_docx(path: Path) -> Package:
    """Open `path` as a DOCX within the safety limits; raise `UnsafeDocxError` otherwise."""
    name = display_path(path)
    data = _read_file(path, name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise UnsafeDocxError(f"{name}: not a Word document (not a zip archive)") from None
    package = Package(name, archive, _checked_members(archive, name))
    if "word/document.xml" not in package.members and not main_part(package):
        raise package.refuse("not a Word document (no word/document.xml)")
    return package


def _read_file(path: Path, name: str) -> bytes:
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise UnsafeDocxError(f"{name}: refused: not a regular file")
        if status.st_size > MAX_FILE:
            raise UnsafeDocxError(f"{name}: refused: the file is {status.st_size / MB:.1f} MB (limit {_size(MAX_FILE)})")
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE + 1)  # the file may grow after stat
        if len(data) > MAX_FILE:
            raise UnsafeDocxError(f"{name}: refused: the file is larger than {_size(MAX_FILE)}")
        return data
    except OSError as error:
        raise UnsafeDocxError(f"{name}: cannot read file: {error.strerror or error}") from None


def _checked_members(archive: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnsafeDocxError(f"{name}: refused: {len(infos)} zip entries (limit {MAX_ENTRIES})")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        _check_member(info, name)
        if info.filename in members:
            raise UnsafeDocxError(f"{name}: refused: the zip holds {info.filename} twice")
        members[info.filename] = info
        total += info.file_size
        if total > MAX_TOTAL:
            raise UnsafeDocxError(f"{name}: refused: more than {_size(MAX_TOTAL)} uncompressed in total")
    return members


def _check_member(info: zipfile.ZipInfo, name: str) -> None:
    if info.flag_bits & 0x1:
        raise UnsafeDocxError(f"{name}: refused: {info.filename} is encrypted")
    if info.file_size > MAX_PART:
        raise UnsafeDocxError(f"{name}: refused: part {info.filename} is {info.file_size / MB:.1f} MB uncompressed (limit {_size(MAX_PART)})")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > BIG_MEMBER and ratio > MAX_RATIO:
        raise UnsafeDocxError(f"{name}: refused: part {info.filename} expands {ratio:.0f} times (a zip bomb?)")


def parse_xml(data: bytes, member: str, package: Package):
    """Parse `data` with entities, DTDs and network off; refuse any DOCTYPE."""
    from lxml import etree

    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise package.refuse(f"refused: {member} declares a DOCTYPE (entities are not allowed)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(_transitional(data), parser)
    except etree.XMLSyntaxError as error:
        raise package.refuse(f"malformed XML in {member}: {error.msg or error} (line {error.lineno})") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise package.refuse(f"refused: {member} declares a DOCTYPE (entities are not allowed)")
    return root


def _transitional(data: bytes) -> bytes:
    """Return the XML of a part with Strict Open XML namespaces renamed to the transitional ones."""
    if b"purl.oclc.org/ooxml/" not in data:
        return data
    for strict, transitional in STRICT_NAMESPACES.items():
        data = data.replace(b'"' + strict + b'"', b'"' + transitional + b'"')
    return data


def main_part(package: Package) -> str | None:
    """Return the name of the main document part, following the package relationships."""
    for kind, path in package.relationships(""):
        if kind == "officeDocument" and path in package.members:
            return path
    return "word/document.xml" if "word/document.xml" in package.members else None


def custom_properties(package: Package) -> dict[str, str]:
    """Return the document's custom properties (name -> text value)."""
    parts = package.related("", "custom-properties") or [p for p in ("docProps/custom.xml",) if p in package.members]
    root = package.xml(parts[0]) if parts else None
    if root is None:
        return {}
    values = {}
    for prop in root:
        name = prop.get("name")
        if name is not None and len(prop):
            values[name] = "".join(prop[0].itertext())
    return values
