"""A huge picture in a small file (logo, letterhead) is refused at its line in profile.yaml before any engine decodes it.

The PNG is real and valid: 26,000 × 26,000 one-bit pixels, a few hundred
kilobytes deflated; Typst would decode it to 2.7 GB and abort the process.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from tests.conftest import SEED
from tests.hostile.helpers import assert_clean_failure, assert_fast, mmnpress

PROFILE = Path("templates/mmn/profile.yaml")
SIDE = 26_000


def huge_png(path: Path, side: int = SIDE) -> None:
    """Write a valid black-and-white PNG of `side` × `side` pixels, deflated row by row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor, row = zlib.compressobj(9), b"\0" * (1 + (side + 7) // 8)
    pixels = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


def _profile_with(project: Path, line: str) -> int:
    """Add `line` to the profile; return its line number."""
    path = project / PROFILE
    key = line.split(":")[0] + ":"
    lines = [kept for kept in path.read_text(encoding="utf-8").splitlines() if not kept.startswith(key)]
    path.write_text("\n".join([*lines, line]) + "\n", encoding="utf-8")
    return len(lines) + 1


def test_a_huge_logo_is_refused_at_its_line_before_typst_sees_it(project):
    huge_png(project / "templates" / "mmn" / "huge.png")
    line = _profile_with(project, "logo: huge.png")
    for command in (("check", SEED), ("build", SEED, "--to", "pdf,html")):
        run = mmnpress(*command, cwd=project)
        assert_clean_failure(run, expect="26,000 × 26,000 pixels")
        first = run.lines[0]
        assert first.startswith(f"{PROFILE}:{line}:7: ") and "'logo': huge.png is 26,000 × 26,000 pixels" in first, run.lines
        assert_fast(run, 10.0)
    assert not (project / "build").exists()


def test_a_huge_picture_inside_the_letterhead_is_refused(project, tmp_path):
    from docx import Document

    huge_png(tmp_path / "huge.png")
    letterhead = Document()
    letterhead.sections[0].header.paragraphs[0].add_run().add_picture(str(tmp_path / "huge.png"))
    letterhead.save(project / "templates" / "mmn" / "letterhead.docx")
    line = _profile_with(project, "letterhead: letterhead.docx")
    run = mmnpress("build", SEED, "--to", "docx", cwd=project)
    assert_clean_failure(run, expect="'letterhead': the picture")
    assert run.lines[0].startswith(f"{PROFILE}:{line}:13: 'letterhead': the picture image1.png in letterhead.docx is 26,000"), run.lines
    assert not (project / "build").exists()
