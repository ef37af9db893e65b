"""Find Burmese typed in Zawgyi and convert it to Unicode.

Zawgyi is a font encoding that reuses Myanmar code points for other letters
(ျမန္မာ for မြန်မာ). Unicode fonts, Typst and Word show it as broken text
full of dotted circles, and no font check can notice: Noto Sans Myanmar has
every code point Zawgyi uses. Google's detector (`myanmartools`) tells the
encodings apart from letter sequences; `paraencoder` converts exactly.
Its own detector also flags Shan text, hence myanmartools to decide.
"""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path

THRESHOLD = 0.95
_MYANMAR = re.compile("[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]")


@functools.cache
def _detector():
    import warnings

    from myanmartools import ZawgyiDetector

    with warnings.catch_warnings():  # it loads its model through a deprecated importlib.resources call
        warnings.simplefilter("ignore", DeprecationWarning)
        return ZawgyiDetector()


def is_zawgyi(text: str) -> bool:
    """Tell whether `text` holds Burmese typed in Zawgyi (probability above 0.95)."""
    return bool(_MYANMAR.search(text)) and _detector().get_zawgyi_probability(text) > THRESHOLD


def first_myanmar(text: str) -> str | None:
    """Return the first Myanmar letter of `text`, to point at."""
    found = _MYANMAR.search(text)
    return found.group() if found else None


def to_unicode(text: str) -> str:
    """Return Zawgyi `text` in Unicode."""
    from para import zg_to_unicode

    return zg_to_unicode(text, force=True)


def fix_file(path: Path) -> tuple[str, str, list[str]]:
    """Return the file's text before and after converting its Zawgyi values, and their YAML paths.

    Comments, key order and the folding of long values are kept (the same
    round trip as `review apply`); only the changed characters are replaced.
    """
    import yaml

    from ..review.yamledit import FieldEdit, edited_text

    data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    edits = [FieldEdit(where, value, _edits(value, to_unicode(value))) for where, value in _strings(data, "") if is_zawgyi(value)]
    if not edits:
        text = path.read_text(encoding="utf-8")
        return text, text, []
    before, after = edited_text(path, edits)
    return before, after, [edit.path for edit in edits]


def _strings(value, path: str):
    """Yield (YAML path, text) for every string value below `value`."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """Return the (start, end, replacement) ranges that turn `old` into `new`, spaces kept where they are."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [(i1, i2, new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
