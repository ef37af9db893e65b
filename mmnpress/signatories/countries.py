"""Countries as ISO 3166 codes, from names typed in English or in a statement language, and back to names.

The reverse map is built from pycountry's names and codes and from CLDR's
territory names (through Babel) in English and the statement languages,
plus the names people still type (Burma, Lao PDR, Viet Nam, Kampuchea,
East Timor...). A name nothing knows is reported by whoever asks, never
dropped: it stays as typed.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

LANGUAGES = ("en", "th", "my", "km", "lo", "vi", "fr", "es", "id", "ms", "zh", "ja", "ko", "tl")
VARIANTS = {
    "burma": "MM", "union of myanmar": "MM", "republic of the union of myanmar": "MM", "myanmar burma": "MM", "พม่า": "MM",
    "miến điện": "MM", "ဗမာ": "MM", "ភូមា": "MM", "ພະມ້າ": "MM",
    "lao pdr": "LA", "laos": "LA", "lao": "LA", "lao people s democratic republic": "LA", "สปป ลาว": "LA", "ສປປ ລາວ": "LA",
    "viet nam": "VN", "vietnam": "VN", "socialist republic of viet nam": "VN", "việt nam": "VN",
    "kampuchea": "KH", "democratic kampuchea": "KH", "kingdom of cambodia": "KH", "เขมร": "KH",
    "timor leste": "TL", "east timor": "TL", "timor lorosae": "TL",
    "siam": "TH", "kingdom of thailand": "TH", "thai": "TH",
    "brunei darussalam": "BN", "brunei": "BN",
    "uk": "GB", "great britain": "GB", "england": "GB", "britain": "GB",
    "usa": "US", "us": "US", "united states of america": "US", "america": "US",
    "south korea": "KR", "korea": "KR", "republic of korea": "KR", "north korea": "KP",
    "taiwan": "TW", "hong kong": "HK", "macau": "MO", "macao": "MO", "holland": "NL",
    "russia": "RU", "iran": "IR", "syria": "SY", "turkey": "TR", "türkiye": "TR",
}
# Words around a name that only say "country" ("ประเทศไทย", "မြန်မာနိုင်ငံ"): left out of the key.
_AROUND = re.compile(r"^(the |ประเทศ|ប្រទេស|ປະເທດ|nước )|(နိုင်ငံ(တော်)?)$")


def key(text: str) -> str:
    """Return the form of a country name the map is keyed by: NFC, case-folded, punctuation as spaces."""
    text = unicodedata.normalize("NFC", text).casefold().strip()
    text = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in text)
    text = " ".join(text.split())
    return _AROUND.sub("", text).strip()


@functools.cache
def _names() -> dict[str, str]:
    """Return every known name and code of a country, as keys, with its ISO 3166-1 alpha-2 code."""
    import pycountry
    from babel import Locale

    found: dict[str, str] = {}
    for lang in LANGUAGES:
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code not in ("ZZ", "EU", "EZ", "UN", "QO"):
                found.setdefault(key(name), code)
    for country in pycountry.countries:
        code = country.alpha_2
        for name in (country.name, getattr(country, "official_name", ""), getattr(country, "common_name", ""), country.alpha_3):
            if name:
                found.setdefault(key(name), code)
    found.update({key(name): code for name, code in VARIANTS.items()})
    return found


@functools.cache
def _codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


def country_code(text: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code of a country name or code typed in any known language, or None."""
    stripped = text.strip()
    if len(stripped) == 2 and stripped.isascii() and stripped.upper() in _codes():
        return stripped.upper()
    return _names().get(key(stripped)) if stripped else None


def suggestion(text: str) -> str | None:
    """Return the English name of the country `text` most likely misspells, or None."""
    close = difflib.get_close_matches(key(text), list(_names()), n=1, cutoff=0.8)
    return country_name(_names()[close[0]], "en") if close else None


def country_name(code: str, lang: str) -> str:
    """Return the name of the country `code` in the language `lang` (CLDR), in English when CLDR has none."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(lang.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError):
        names = {}
    return names.get(code) or Locale("en").territories.get(code) or code


def shown_country(typed: str, lang: str) -> str:
    """Return a typed country (a code or a name) as its name in `lang`; an unknown one as typed."""
    code = country_code(typed)
    return country_name(code, lang) if code else typed.strip()
