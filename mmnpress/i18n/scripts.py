"""The language a run of text is in, judged by its script."""

from __future__ import annotations

# Shan, Mon and Karen are also written in Myanmar script; "my" is the best
# single tag for shaping and font choice when nothing else is known.
_SCRIPT_RANGES = (
    ("th", 0x0E00, 0x0E7F), ("lo", 0x0E80, 0x0EFF), ("my", 0x1000, 0x109F),
    ("my", 0xA9E0, 0xA9FF), ("my", 0xAA60, 0xAA7F), ("km", 0x1780, 0x17FF),
    ("km", 0x19E0, 0x19FF),
)


def char_language(char: str) -> str | None:
    """Return the language whose script `char` belongs to (th, lo, my, km) or None."""
    code = ord(char)
    for lang, low, high in _SCRIPT_RANGES:
        if low <= code <= high:
            return lang
    return None


def script_language(text: str) -> str | None:
    """Return the language of the main Southeast Asian script in `text`, or None."""
    counts = dict.fromkeys(("th", "lo", "my", "km"), 0)
    for char in text:
        lang = char_language(char)
        if lang is not None:
            counts[lang] += 1
    lang = max(counts, key=counts.__getitem__)
    return lang if counts[lang] else None
