"""The static font instances shipped in the package, so a first build need not make them.

Word embeds only static TrueType fonts and the packaged Noto fonts are
variable: `wordfonts.static_instance` makes a static Regular and Bold of each
family with fontTools, 0.5 to 5 s each (20 s for them all). The whole-family
instances (Noto Sans and Noto Serif cut to Latin and Vietnamese, and the
Thai, Lao, Burmese and Khmer families) are therefore made when the package
is prepared (`python scripts/make_static_fonts.py`, 1.3 MB, 0.65 MB in the
wheel) and shipped in `static-fonts/`, listed in its `manifest.json` with
the hash of the variable font each was made from and of its own content.
One is used only when both still match; otherwise it is made again, once,
into the user's cache folder.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

FOLDER = Path(__file__).with_name("static-fonts")
MANIFEST = FOLDER / "manifest.json"


def file_name(family: str, style: str) -> str:
    """Return the name of the shipped instance of `family` in `style`."""
    return f"{family.replace(' ', '')}-{style}.ttf"


def shipped(family: str, style: str, source: Path, version: str) -> bytes | None:
    """Return the shipped instance of `family` in `style` if it was made from `source` by this `version`, intact; else None."""
    listed = _manifest().get("fonts", {}).get(file_name(family, style))
    if not listed or _manifest().get("version") != version or listed.get("source_sha256") != _sha256(source):
        return None
    try:
        data = (FOLDER / file_name(family, style)).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == listed.get("sha256") else None


@functools.cache
def _manifest() -> dict:
    try:
        data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@functools.cache
def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_all(instances: dict[tuple[str, str], tuple[Path, bytes]], version: str) -> list[Path]:
    """Write each (family, style) -> (variable source, instance bytes) into the package folder, with its manifest."""
    from ..files import write_atomically

    fonts = {}
    written = []
    for (family, style), (source, data) in sorted(instances.items()):
        path = FOLDER / file_name(family, style)
        write_atomically(path, data)
        written.append(path)
        fonts[path.name] = {"source": source.name, "source_sha256": _sha256(source), "sha256": hashlib.sha256(data).hexdigest()}
    write_atomically(MANIFEST, (json.dumps({"version": version, "fonts": fonts}, indent=1, sort_keys=True) + "\n").encode())
    _manifest.cache_clear()
    return written
