"""Check the size of images before any engine (Typst, Word, a browser) decodes them.

A small file can hold a huge picture: a 2.6 MB PNG of 26,000 × 26,000
pixels decodes to 2.7 GB, and Typst aborts the whole process on it. Only
the header is read here (Pillow's lazy open decodes no pixel), so the
check costs nothing whatever the file holds.
"""

from __future__ import annotations

import io
from pathlib import Path

MAX_PIXELS = 40_000_000  # 40 megapixels: at most 160 MB decoded at 4 bytes a pixel, far above any logo or letterhead
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff")


def image_problem(data: bytes | Path, name: str) -> str | None:
    """Return why the image (bytes or a file) is too large to decode, or None (also for what is not a raster image)."""
    from PIL import Image

    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # Pillow's own guard would hide the size; nothing is decoded here
    try:
        with Image.open(io.BytesIO(data) if isinstance(data, bytes) else data) as image:
            width, height = image.size
    except Exception:  # noqa: BLE001 - not an image Pillow knows: the engines that read it report what is wrong
        return None
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    if width * height > MAX_PIXELS:
        return f"{name} is {width:,} × {height:,} pixels ({width * height / 1e6:,.0f} megapixels); {_advice()}"
    return None


def docx_image_problems(path: Path) -> list[str]:
    """Return the problems of the pictures inside a Word file (a letterhead)."""
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return []  # the letterhead's own reader says what is wrong with it
    found = []
    with archive:
        for info in archive.infolist():
            if info.filename.startswith("word/media/") and Path(info.filename).suffix.lower() in RASTER_SUFFIXES:
                with archive.open(info) as member:
                    head = member.read(1024 * 1024)  # the header is at the start; the pixels are not read
                problem = image_problem(head, f"the picture {Path(info.filename).name} in {path.name}")
                if problem:
                    found.append(problem)
    return found


def _advice() -> str:
    return f"the limit is {MAX_PIXELS // 1_000_000} megapixels: save it smaller (a logo needs a few hundred pixels a side)"
