"""Lay out a statement's signatories once for every writer: sorted, grouped by country, counted.

`signatories_by` chooses the order: `country` (a heading per country, in
the document language, countries and names in its alphabetical order),
`name` (one list in alphabetical order, each with its country) or
`as-listed` (the YAML's order). Alphabetical order is ICU's collation for
the document language (Babel has none; see `sort_key`): Thai and Khmer sort in their own
order, not by code point. The count line ("Endorsed by 214 organisations
from 9 countries") comes from the label catalog.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from ..document import Signatory, SignatoryGroup, plain_text
from ..i18n.numerals import with_digits
from .countries import country_code, country_name

COLUMNS_FROM = 9  # Word and PDF set a list of this many signatories or more in two columns


@functools.cache
def sort_key(lang: str):
    """Return a function giving the sort key of a text in `lang`'s alphabetical order: ICU's collation for `lang`.

    Where no ICU build is installed (no wheel is made for macOS), the
    Unicode Collation Algorithm's root order (pyuca) stands in: Thai, Lao and
    Khmer sort right, Vietnamese and Burmese letters close to their own order.
    """
    try:
        import icu
    except ImportError:
        import pyuca

        return pyuca.Collator().sort_key
    collator = icu.Collator.createInstance(icu.Locale(lang.replace("-", "_")))
    collator.setStrength(icu.Collator.TERTIARY)
    return collator.getSortKey


def arrange(signatories: tuple[Signatory, ...], by: str, lang: str) -> tuple[SignatoryGroup, ...]:
    """Return the signatories in groups to print: per country (headed by its name in `lang`), or one group."""
    key = sort_key(lang)
    if by == "as-listed":
        return (SignatoryGroup("", tuple(replace(s, country=_country(s.country, lang)) for s in signatories)),)
    if by == "name":
        named = sorted(signatories, key=lambda s: key(plain_text(s.name)))
        return (SignatoryGroup("", tuple(replace(s, country=_country(s.country, lang)) for s in named)),)
    groups: dict[str, list[Signatory]] = {}
    for signatory in signatories:
        groups.setdefault(_country(signatory.country, lang), []).append(replace(signatory, country=""))
    headings = sorted((h for h in groups if h), key=key) + ([""] if "" in groups else [])
    return tuple(SignatoryGroup(h, tuple(sorted(groups[h], key=lambda s: key(plain_text(s.name))))) for h in headings)


def _country(typed: str, lang: str) -> str:
    """Return a typed country (an ISO code or a name) as its name in `lang`; an unknown one as typed."""
    code = country_code(typed) if typed.strip() else None
    return country_name(code, lang) if code else typed.strip()


def count_line(signatories: tuple[Signatory, ...], lang: str, labels: dict[str, str]) -> str:
    """Return "Endorsed by N organisations from M countries" in `lang`, or "" for fewer than two signatories."""
    from babel.numbers import format_decimal

    if len(signatories) < 2:
        return ""
    countries = {country_code(s.country) or s.country.strip().casefold() for s in signatories if s.country.strip()}
    label = {0: "signatory_count_no_country", 1: "signatory_count_one_country"}.get(len(countries), "signatory_count")
    locale = lang.replace("-", "_")
    line = labels[label].replace("{organisations}", format_decimal(len(signatories), locale=locale)).replace(
        "{countries}", format_decimal(len(countries), locale=locale))
    return with_digits(line, lang)  # the language's own digits where it writes them (Khmer, Burmese), as in dates


def columns(signatories: tuple[Signatory, ...]) -> int:
    """Return how many columns Word and PDF set the list in."""
    return 2 if len(signatories) >= COLUMNS_FROM else 1
