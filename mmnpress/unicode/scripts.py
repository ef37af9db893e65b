"""The language a run of text is in, judged by its script."""

from __future__ import annotations

import re

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


# East Asian text: Hangul, kana, Han and the punctuation, widths and compatibility forms written with them.
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))
_KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
_EAST_ASIAN = (*_HANGUL, *_KANA, (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3100, 0x312F), (0x3190, 0x31EF),
               (0x3200, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
               (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
_TRADITIONAL = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")


def _characters(ranges: tuple[tuple[int, int], ...]) -> re.Pattern:
    """Return a pattern matching one character in any of `ranges` (a Word file's text is tested char by char)."""
    return re.compile("[" + "".join(f"\\U{low:08X}-\\U{high:08X}" for low, high in ranges) + "]")


_HANGUL_CHARACTERS, _KANA_CHARACTERS, _EAST_ASIAN_CHARACTERS = map(_characters, (_HANGUL, _KANA, _EAST_ASIAN))


def is_hangul(char: str) -> bool:
    """Tell whether `char` is Korean Hangul (syllables or jamo)."""
    return _HANGUL_CHARACTERS.match(char) is not None


def is_east_asian(char: str) -> bool:
    """Tell whether `char` is Chinese, Japanese or Korean writing (letters, punctuation, full-width forms)."""
    return _EAST_ASIAN_CHARACTERS.match(char) is not None


def east_asian_characters(text: str) -> set[str]:
    """Return the characters of `text` that are Chinese, Japanese or Korean writing."""
    return set(_EAST_ASIAN_CHARACTERS.findall(text))


def east_asian_language(lang: str) -> str:
    """Return the writing Han characters take in a document in `lang`: zh-Hans, zh-Hant, ja or ko.

    Chinese names are the common case in other languages, so they take
    Simplified Chinese.
    """
    tag = lang.lower()
    if tag.startswith(_TRADITIONAL):
        return "zh-Hant"
    return {"ja": "ja", "ko": "ko"}.get(tag.split("-")[0], "zh-Hans")


def east_asian_writing(text: str, lang: str) -> str | None:
    """Return the East Asian writing of `text` (zh-Hans, zh-Hant, ja, ko) or None when it has none.

    Hangul is Korean and kana Japanese whatever the document language;
    Han characters alone follow the document language.
    """
    if _EAST_ASIAN_CHARACTERS.search(text) is None:
        return None
    if _HANGUL_CHARACTERS.search(text) is not None:  # Hangul and kana are East Asian writing too
        return "ko"
    if _KANA_CHARACTERS.search(text) is not None:
        return "ja"
    return east_asian_language(lang)
