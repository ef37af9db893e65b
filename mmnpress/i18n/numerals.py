"""The digits and the place-date separator each document language writes: one declaration, read wherever a line is made.

CLDR's default numbering system is Latin for Khmer, Thai and Lao and
Myanmar for Burmese; what organisations write differs: Khmer and Burmese
documents habitually use their own digits, Thai and Lao NGO statements
usually write Arabic digits (Thai digits are mostly for government letters).
`NUMERALS` declares the choice per language, "native" or "latin"; a
language it does not name takes CLDR's default. Change a language's
entry here and every date, page number and derived line follows.
"""

from __future__ import annotations

from mmnpress.i18n.locales import babel_locale, primary

NUMERALS: dict[str, str] = {"km": "native", "my": "native", "th": "latin", "lo": "latin"}

# Between the place and the date ("Chiang Mai, 22 November 2017"): CLDR's list
# separator of the language ("{0}, {1}"; Burmese "၊ ", Thai a space), except
# where that is not what its documents write. CLDR gives Khmer a Latin comma,
# there and between an embargo's date and time; Khmer letters write
# "ភ្នំពេញ ថ្ងៃទី..." with a space. A language named here takes its separator
# in both places.
SEPARATORS: dict[str, str] = {"km": " "}

# The zero of each numbering system CLDR names as a language's native one.
_ZERO = {"latn": "0", "mymr": "\u1040", "thai": "\u0e50", "laoo": "\u0ed0", "khmr": "\u17e0"}


def digits(lang: str) -> str:
    """Return the ten digits, 0 to 9, that documents in `lang` write."""
    zero = _ZERO.get(_numbering_system(lang), "0")
    return "".join(chr(ord(zero) + i) for i in range(10))


def with_digits(text: str, lang: str) -> str:
    """Return `text` with its ASCII digits written in the digits of `lang`."""
    table = digits(lang)
    return text if table[0] == "0" else text.translate({ord("0") + i: table[i] for i in range(10)})


def place_separator(lang: str) -> str:
    """Return what stands between the place and the date in `lang`: ", " in English, a space in Khmer."""
    declared = declared_separator(lang)
    if declared is not None:
        return declared
    pattern = babel_locale(lang).list_patterns["standard"]["middle"]
    return pattern.replace("{0}", "").replace("{1}", "") or ", "


def declared_separator(lang: str) -> str | None:
    """Return the separator `SEPARATORS` declares for `lang` in place of CLDR's comma, or None."""
    return SEPARATORS.get(primary(lang))


def _numbering_system(lang: str) -> str:
    """Return the CLDR numbering system of the digits `lang` writes: "latn", "khmr", ..."""
    locale = babel_locale(lang)
    choice = NUMERALS.get(primary(lang))
    if choice == "latin":
        return "latn"
    if choice == "native":
        return locale.other_numbering_systems.get("native", "latn")
    return locale.default_numbering_system
