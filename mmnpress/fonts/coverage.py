"""Tell which characters the PDF renderer's fonts cannot show.

A PDF/A file must show every character, so Typst refuses a character no font
has, at build time and without a place in the statement. `check` asks here
first. The cmaps of the packaged fonts (`mmnpress.fonts`, with the Chinese,
Japanese and Korean ones when their extra is installed) answer for nearly every
character (cached in the temporary folder); Typst's own built-in fonts (New Computer Modern and
others, which have arrows and math signs the packaged Noto fonts lack) have no
files to read, so a character the cmaps miss is tried in Typst itself.
"""

from __future__ import annotations

import functools
import json
import tempfile
import unicodedata
from pathlib import Path

from mmnpress import fonts, usercache
from mmnpress.unicode import scripts

_FONT_FILES = (".ttf", ".otf")
_NEEDS_NO_GLYPH = ("Cc", "Cf", "Zs", "Zl", "Zp")  # controls, format characters and spaces


def unshowable(chars: set[str]) -> set[str]:
    """Return the characters among `chars` that no font of the PDF renderer can show."""
    missing = {c for c in chars if unicodedata.category(c) not in _NEEDS_NO_GLYPH and ord(c) not in packaged_cmap(cjk=True)}
    return {c for c in missing if not _typst_shows(c)}


def needs_cjk(chars: set[str]) -> bool:
    """Tell whether `chars` hold East Asian writing, or a character only the Chinese, Japanese and Korean fonts have."""
    if not fonts.cjk_installed():
        return False
    return any(scripts.is_east_asian(c) or (ord(c) not in packaged_cmap(cjk=False) and ord(c) in packaged_cmap(cjk=True))
               for c in chars)


@functools.cache
def packaged_cmap(cjk: bool) -> frozenset[int]:
    """Return the code points the packaged fonts map to glyphs, with the East Asian ones when `cjk`.

    Reading the cmaps takes fontTools and a few hundred milliseconds (two
    seconds with the East Asian fonts), on every check and build; the
    result is kept in the user's cache folder under a name that hashes the
    font files' paths, sizes and times.
    """
    files = [f for folder in fonts.font_folders(cjk=cjk) for f in sorted(folder.iterdir()) if f.suffix.lower() in _FONT_FILES]
    stamp = "\n".join(f"{f}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files)
    data = usercache.kept("coverage", stamp.encode(), "cmap.json", lambda: json.dumps(_ranges(_read_cmaps(files))).encode())
    try:
        return frozenset(c for start, end in json.loads(data) for c in range(start, end + 1))
    except (ValueError, TypeError):  # an entry of an older layout: read the fonts
        return _read_cmaps(files)


def _read_cmaps(files: list[Path]) -> frozenset[int]:
    """Return the code points the cmaps of `files` map."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for file in files:
        covered.update(TTFont(file, lazy=True)["cmap"].getBestCmap())
    return frozenset(covered)


def _ranges(points: frozenset[int]) -> list[list[int]]:
    """Return sorted code points as [first, last] runs."""
    runs: list[list[int]] = []
    for point in sorted(points):
        if runs and runs[-1][1] == point - 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return runs


@functools.cache
def _typst_shows(char: str) -> bool:
    """Tell whether Typst, with the renderer's fonts, can put `char` in a PDF/A file."""
    import typst

    with tempfile.TemporaryDirectory(prefix="mmnpress-coverage-") as folder:
        source = Path(folder) / "probe.typ"
        source.write_text('#sys.inputs.at("text")', encoding="utf-8")
        compiler = typst.Compiler(root=folder, font_paths=fonts.typst_fonts(cjk=True), ignore_system_fonts=True)
        try:
            compiler.compile(input=str(source), format="pdf", sys_inputs={"text": char}, pdf_standards=["a-2b"])
        except typst.TypstError:
            return False
    return True
