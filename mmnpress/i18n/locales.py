"""BCP 47 tags and the Babel locales behind them.

Babel is imported inside the functions: importing it costs more than the
rest of the package, and most callers need only one function.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# language[-script][-region], then variants, extensions and private use.
_TAG = re.compile(
    r"(?P<language>[a-z]{2,3})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|\d{3}))?"
    r"(?:-[a-z\d]{1,8})*",
    re.IGNORECASE,
)
# CLDR names these codes, but none of them is a language a document is in.
_NOT_LANGUAGES = frozenset({"und", "mis", "mul", "zxx"})
FALLBACK = "en"


def normalize(tag: str) -> str:
    """Return `tag` with hyphens and the usual BCP 47 letter case (th-TH, zh-Hant)."""
    parts = tag.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def primary(tag: str) -> str:
    """Return the primary language subtag of `tag`, lower case ("th" for "th-TH")."""
    return normalize(tag).split("-")[0]


def is_known_language(code: str) -> bool:
    """Tell whether CLDR knows the language, script and region of BCP 47 tag `code`."""
    match = _TAG.fullmatch(code.strip().replace("_", "-"))
    if not match or match["language"].lower() in _NOT_LANGUAGES:
        return False
    names = babel_locale(FALLBACK)
    script, region = match["script"], match["region"]
    return (
        match["language"].lower() in names.languages
        and (script is None or script.title() in names.scripts)
        and (region is None or region.upper() in names.territories)
    )


@lru_cache(maxsize=64)
def babel_locale(tag: str) -> Locale:
    """Return the Babel locale of `tag`, else of its language, else English."""
    from babel import Locale, UnknownLocaleError

    for candidate in (normalize(tag), primary(tag), FALLBACK):
        if primary(candidate) in _NOT_LANGUAGES:
            continue
        try:
            return Locale.parse(candidate, sep="-")
        except (ValueError, UnknownLocaleError):
            continue
    raise AssertionError("unreachable: English is always known")
