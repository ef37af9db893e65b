"""YAML paths of statement elements and their Word bookmark names.

A path names one value in a statement, e.g. ``recommendations.items[1].text``.
A draft DOCX wraps every element it renders in a hidden bookmark whose name
encodes that path (``_y_recommendations_items_1_text``): Word hides bookmarks
whose names start with an underscore, allows only letters, digits and
underscores, and keeps at most 40 characters. Bookmarks survive a LibreOffice
round trip, which is why they carry the mapping back from a reviewed document.
"""

from __future__ import annotations

import re

from ..schema import path_keys

BOOKMARK_PREFIX = "_y_"
MAX_BOOKMARK = 40

# Keys that may appear in a bookmarked path; longest first so that keys with
# underscores win over their first word when decoding.
PATH_KEYS = sorted(path_keys(), key=len, reverse=True)

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")  # a key is anything but dots and brackets (note labels hold -)


def split_path(path: str) -> list[str | int]:
    """Split ``a.b[2].c`` into ``["a", "b", 2, "c"]``."""
    parts: list[str | int] = []
    for piece in path.split("."):
        for key, index in _SEGMENT.findall(piece):
            parts.append(int(index) if index else key)
    return parts


def join_path(parts: list[str | int]) -> str:
    """Join ``["a", "b", 2, "c"]`` into ``a.b[2].c``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


def bookmark_name(path: str) -> str:
    """Return the hidden bookmark name that encodes `path`."""
    name = BOOKMARK_PREFIX + "_".join(str(p) for p in split_path(path))
    if len(name) > MAX_BOOKMARK:
        raise ValueError(f"path too long for a bookmark: {path}")
    return name


def path_from_bookmark(name: str) -> str | None:
    """Return the YAML path a bookmark name encodes, or None if it is not ours."""
    if not name.startswith(BOOKMARK_PREFIX):
        return None
    rest = name[len(BOOKMARK_PREFIX):]
    parts: list[str | int] = []
    while rest:
        match = re.match(r"(\d+)(?:_|$)", rest)
        if match:
            parts.append(int(match.group(1)))
            rest = rest[match.end():]
            continue
        key = next((k for k in PATH_KEYS if re.match(re.escape(k) + r"(?:_|$)", rest)), None)
        if key is None:
            return None
        parts.append(key)
        rest = rest[len(key) + 1:]
    return join_path(parts) if parts else None
