"""Find Burmese typed in Zawgyi and convert it to Unicode.

Zawgyi is a font encoding that reuses Myanmar code points for other letters
(ျမန္မာ for မြန်မာ). Unicode fonts, Typst and Word show it as broken text
full of dotted circles, and no font check can notice: Noto Sans Myanmar has
every code point Zawgyi uses. Google's detector (`myanmartools`) tells the
encodings apart from letter sequences; `paraencoder` converts exactly.
Its own detector also flags Shan text, hence myanmartools to decide.

A value may mix both encodings (a Zawgyi sentence quoting a name already in
Unicode), so each run of Myanmar letters (between spaces, brackets, Latin
text) is judged on its own and only the Zawgyi runs are converted. A run
the conversion leaves alone is no evidence either way; a run the detector
is unsure of takes the verdict of the nearest run it is sure of.
"""

from __future__ import annotations

import functools
import re

THRESHOLD = 0.95
UNICODE_BELOW = 0.05  # a run scoring under this is surely Unicode; between the two the detector is unsure
_MYANMAR = re.compile("[\u1000-\u109f\uaa60-\uaa7f\ua9e0-\ua9ff]")
_RUN = re.compile(f"{_MYANMAR.pattern}+")


@functools.cache
def _detector():
    import warnings

    from myanmartools import ZawgyiDetector

    with warnings.catch_warnings():  # it loads its model through a deprecated importlib.resources call
        warnings.simplefilter("ignore", DeprecationWarning)
        return ZawgyiDetector()


def is_zawgyi(text: str) -> bool:
    """Tell whether `text` holds Burmese typed in Zawgyi (a run of it scoring above 0.95, or the whole when no run is sure)."""
    return bool(zawgyi_runs(text))


def first_zawgyi(text: str) -> str | None:
    """Return the first run of `text` typed in Zawgyi, to point at."""
    runs = zawgyi_runs(text)
    return text[runs[0][0] : runs[0][1]] if runs else None


def zawgyi_runs(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, Unicode) for each run of Myanmar letters in `text` typed in Zawgyi.

    Linear in the length of `text`: the detector and the converter each see
    one run at a time.
    """
    if not _MYANMAR.search(text):
        return []
    runs = [(found.start(), found.end(), converted) for found in _RUN.finditer(text) if (converted := to_unicode(found.group())) != found.group()]
    if not runs:
        return []
    detector = _detector()
    verdicts = [_verdict(detector.get_zawgyi_probability(text[start:end])) for start, end, _ in runs]
    if all(verdict is None for verdict in verdicts):
        return runs if detector.get_zawgyi_probability(text) > THRESHOLD else []
    _settle(verdicts, [start for start, _, _ in runs])
    return [run for run, verdict in zip(runs, verdicts, strict=True) if verdict]


def _verdict(probability: float) -> bool | None:
    """Return True for Zawgyi, False for Unicode, None when the detector is unsure."""
    if probability > THRESHOLD:
        return True
    return False if probability < UNICODE_BELOW else None


def _settle(verdicts: list[bool | None], starts: list[int]) -> None:
    """Give each unsure verdict that of the nearest sure run (the earlier one when both are as near)."""
    sure = [index for index, verdict in enumerate(verdicts) if verdict is not None]
    for index, verdict in enumerate(verdicts):
        if verdict is None:
            nearest = min(sure, key=lambda other: (abs(starts[other] - starts[index]), other > index))
            verdicts[index] = verdicts[nearest]


def to_unicode(text: str) -> str:
    """Return Zawgyi `text` in Unicode."""
    from para import zg_to_unicode

    return zg_to_unicode(text, force=True)
