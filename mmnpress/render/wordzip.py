"""Write a Word package as python-docx does, deflating the bytes of each part once.

Most of a Word file is the same in every build of a statement: the embedded
fonts (0.7 MB), the styles (0.8 MB of XML), the logo. python-docx deflates
every part on every save, which took a watch rebuild 40–60 ms. Here each
part is written exactly as `Document.save` writes it (same order, same zip
entries, same deflate settings), but the deflated bytes of a part seen
before are reused: deflating the same bytes with the same settings gives
the same bytes, so the file is the one python-docx would have written.

python-docx offers no hook for its zip writer, hence this module; it uses
`PackageWriter`'s steps and the deflater slot of the zip file's writer, and
falls back to plain deflating where that slot is missing.
"""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from collections import OrderedDict

# Parts smaller than this are deflated every time: remembering them gains nothing.
REUSED_BYTES = 16 * 1024
# What the parts remembered may take, their bytes and their deflated bytes together:
# the fonts and styles of a few statements. A long-running command (watch, the build
# server) makes a new document part at every edit; the oldest are forgotten first.
REMEMBERED_BYTES = 48 * 1024 * 1024


def package_bytes(docx) -> bytes:
    """Return the bytes of the Word file of python-docx `docx`, as `docx.save` writes them."""
    from docx.opc.pkgwriter import PackageWriter

    package = docx.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = _Writer(archive)
        PackageWriter._write_content_types_stream(writer, parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, parts)
    return buffer.getvalue()


class _Writer:
    """What python-docx's package writer writes through: one zip entry per part."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive

    def write(self, pack_uri, blob: bytes) -> None:
        """Write `blob` under the part's name, as `ZipFile.writestr` would."""
        if isinstance(blob, str):
            blob = blob.encode("utf-8")
        if len(blob) < REUSED_BYTES:
            self.archive.writestr(pack_uri.membername, blob)
            return
        info = zipfile.ZipInfo(pack_uri.membername, date_time=time.localtime(time.time())[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16  # what writestr gives a name
        info.file_size = len(blob)
        with self.archive.open(info, mode="w") as entry:
            if hasattr(entry, "_compressor"):
                entry._compressor = _Deflated(_deflated(blob))
            entry.write(blob)


class _Remembered:
    """The deflated bytes of the parts deflated last, within `REMEMBERED_BYTES`."""

    def __init__(self) -> None:
        self.entries: OrderedDict[bytes, bytes] = OrderedDict()
        self.size = 0
        self.hits = 0

    def get(self, blob: bytes) -> bytes | None:
        """Return the deflated bytes of `blob` if remembered (it becomes the newest)."""
        found = self.entries.get(blob)
        if found is not None:
            self.entries.move_to_end(blob)
            self.hits += 1
        return found

    def keep(self, blob: bytes, deflated: bytes) -> None:
        """Remember `deflated` for `blob`, forgetting the oldest entries beyond the bound."""
        size = len(blob) + len(deflated)
        if size > REMEMBERED_BYTES // 4:
            return  # a part this large is a long statement's text, which changes at every edit
        self.entries[blob] = deflated
        self.size += size
        while self.size > REMEMBERED_BYTES:
            old, old_deflated = self.entries.popitem(last=False)
            self.size -= len(old) + len(old_deflated)

    def clear(self) -> None:
        """Forget everything."""
        self.entries.clear()
        self.size = 0


_REMEMBERED = _Remembered()


def _deflated(blob: bytes) -> bytes:
    """Return `blob` deflated as the zip module deflates an entry (default level, raw stream)."""
    found = _REMEMBERED.get(blob)
    if found is None:
        deflater = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        found = deflater.compress(blob) + deflater.flush()
        _REMEMBERED.keep(blob, found)
    return found


class _Deflated:
    """A deflater that gives bytes deflated before: all of them for the one write, nothing at the end."""

    def __init__(self, deflated: bytes):
        self.deflated = deflated

    def compress(self, data: bytes) -> bytes:
        deflated, self.deflated = self.deflated, b""
        return deflated

    def flush(self) -> bytes:
        return b""
