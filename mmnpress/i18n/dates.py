"""Dates and times in the document language, through Babel and CLDR."""

from __future__ import annotations

import datetime as dt

from mmnpress.i18n.locales import babel_locale, primary
from mmnpress.i18n.numerals import declared_separator, with_digits

BUDDHIST_ERA_OFFSET = 543


def format_date(value: dt.date, lang: str) -> str:
    """Format `value` as the long day-month-year date of document language `lang`."""
    from babel.dates import format_date as babel_format_date

    locale = babel_locale(lang)
    # Babel writes ASCII digits whatever the locale; the language's own are set in `numerals`.
    return with_digits(babel_format_date(value, _date_pattern(value, lang), locale=locale), lang)


def format_embargo(value: dt.datetime, lang: str) -> str:
    """Format `value` as date, time, offset: "22 November 2017, 09:00 (UTC+07:00)"."""
    from babel.dates import format_datetime

    offset = value.utcoffset()
    if offset is None:
        raise ValueError(f"embargo time {value.isoformat()} has no UTC offset")
    locale = babel_locale(lang)
    joined = locale.datetime_formats["long"]
    separator = declared_separator(lang)
    if separator is not None:
        joined = joined.replace("}, {", "}" + separator + "{")
    pattern = (
        joined
        .replace("{1}", _date_pattern(value, lang))
        .replace("{0}", _time_pattern(lang))
    )
    # No tzinfo argument: Babel then keeps the wall-clock time as given.
    text = format_datetime(value, pattern, locale=locale)
    return with_digits(f"{text} ({utc_offset(offset)})", lang)


def utc_offset(offset: dt.timedelta) -> str:
    """Write `offset` as UTC±HH:MM."""
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def _date_pattern(value: dt.date, lang: str) -> str:
    """Return the CLDR pattern of the long date, adjusted for English and Thai."""
    locale = babel_locale(lang)
    if primary(lang) == "th":
        # Thai documents count years in the Buddhist era; Babel only has Gregorian.
        return f"d MMMM '{value.year + BUDDHIST_ERA_OFFSET}'"
    if locale.language == "en":
        return "d MMMM y"
    return locale.date_formats["long"].pattern


def _time_pattern(lang: str) -> str:
    """Return the locale's short time pattern, or its 24-hour one if that is 12-hour."""
    locale = babel_locale(lang)
    pattern = locale.time_formats["short"].pattern
    # An embargo time must be unambiguous at a glance, without AM/PM markers.
    if "h" in pattern or "a" in pattern:
        return str(locale.datetime_skeletons.get("Hm", "HH:mm"))
    return pattern

