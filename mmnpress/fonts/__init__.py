"""Fonts for the PDF renderer, taken from PyPI packages only.

Typst gets folders of font files and ignores the fonts of the machine, so a
PDF comes out the same everywhere. The families below are the contract with
the Word templates: both name exactly these.

The packages mmnpress depends on are found directly (fast). Only when a
profile names a family they lack are all installed fontpkg packages
searched, which costs ~50 ms of entry-point scanning.

Chinese, Japanese and Korean come from an optional extra,
`pip install 'mmnpress[cjk]'` (justmytype-intl-cjk: Noto Sans SC, JP, KR
and TC, 49 MB). Typst gets them only for a document that has such text, so
every other PDF comes out as it does without them.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

from mmnpress.unicode import scripts

BODY = "Noto Serif"
HEADING = "Noto Sans"
# Scripts the Latin families lack, in the order Typst falls back to them.
FALLBACK = ("Noto Sans Thai", "Noto Sans Myanmar", "Noto Sans Khmer", "Noto Sans Lao")
FAMILIES = (BODY, HEADING, *FALLBACK)

# fontpkg packages first; justmytype-intl-sea adds Noto Sans Myanmar and Lao.
PACKAGES = (
    "fontpkg_noto_serif",
    "fontpkg_noto_sans",
    "fontpkg_noto_sans_thai",
    "fontpkg_noto_sans_khmer",
    "justmytype_intl_sea",
)
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

CJK_PACKAGE = "justmytype_intl_cjk"
CJK_INSTALL = "pip install 'mmnpress[cjk]'"
# The family of each East Asian writing (scripts.east_asian_writing), in fallback order.
CJK = {"zh-Hans": "Noto Sans SC", "ja": "Noto Sans JP", "ko": "Noto Sans KR", "zh-Hant": "Noto Sans TC"}


@functools.cache
def font_folders(everything: bool = False, cjk: bool = False) -> tuple[Path, ...]:
    """Return the folders holding the packaged fonts, each font file once.

    With `everything`, add every installed fontpkg family; with `cjk`, the
    Chinese, Japanese and Korean fonts when their extra is installed. A
    folder whose files are all present already is skipped, so no family
    loads twice.
    """
    packages = (*PACKAGES, CJK_PACKAGE) if cjk else PACKAGES
    candidates = [folder for package in packages for folder in _package_folders(package)]
    if everything:
        candidates += _fontpkg_folders()
    folders: list[Path] = []
    seen: set[str] = set()
    for folder in candidates:
        names = {f.name for f in folder.iterdir() if f.suffix.lower() in _FONT_SUFFIXES}
        if names and not names <= seen:
            folders.append(folder)
            seen |= names
    return tuple(folders)


def _package_folders(package: str) -> list[Path]:
    """Return the folders of font files inside an installed package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    root = Path(next(iter(spec.submodule_search_locations)))
    return sorted({f.parent for f in root.rglob("*") if f.suffix.lower() in _FONT_SUFFIXES})


def _fontpkg_folders() -> list[Path]:
    """Return the folders of every family fontpkg knows."""
    import fontpkg

    return list(dict.fromkeys(Path(f.path).parent for fam in fontpkg.families().values() for f in fam.files))


@functools.cache
def typst_fonts(everything: bool = False, cjk: bool = False) -> Any:
    """Return one loaded `typst.Fonts`, shared by all compiles."""
    import typst

    return typst.Fonts(
        include_system_fonts=False,
        include_embedded_fonts=True,  # keeps DejaVu Sans Mono for code spans
        font_paths=[str(f) for f in font_folders(everything, cjk)],
    )


def cjk_installed() -> bool:
    """Tell whether the Chinese, Japanese and Korean fonts are installed."""
    return font_folders(cjk=True) != font_folders()


def cjk_fonts(lang: str) -> tuple[str, ...]:
    """Return the East Asian families in the order a document in `lang` falls back to them."""
    first = CJK[scripts.east_asian_language(lang)]
    return (first, *(family for family in CJK.values() if family != first))


@functools.cache
def families(everything: bool = False) -> frozenset[str]:
    """Return the family names Typst sees in the packaged fonts."""
    return frozenset(typst_fonts(everything).families())


def missing(names: tuple[str, ...] | list[str], everything: bool = False) -> list[str]:
    """Return the names among `names` that no packaged font provides."""
    available = families(everything)
    return [name for name in names if name not in available]

