"""Dates and times in the document language, through Babel and CLDR."""

from __future__ import annotations

import datetime as dt

from mmnpress.i18n.locales import babel_locale, primary

BUDDHIST_ERA_OFFSET = 543
# Digits of the numbering systems CLDR makes the default in some locales
# (Burmese: mymr). Babel formats dates with ASCII digits whatever the locale.
_NATIVE_ZERO = {"mymr": "\u1040", "thai": "\u0e50", "laoo": "\u0ed0", "khmr": "\u17e0"}


def format_date(value: dt.date, lang: str) -> str:
    """Format `value` as the long day-month-year date of document language `lang`."""
    from babel.dates import format_date as babel_format_date

    locale = babel_locale(lang)
    return _native_digits(
        babel_format_date(value, _date_pattern(value, lang), locale=locale), lang
    )


def format_embargo(value: dt.datetime, lang: str) -> str:
    """Format `value` as date, time, offset: "22 November 2017, 09:00 (UTC+07:00)"."""
    from babel.dates import format_datetime

    offset = value.utcoffset()
    if offset is None:
        raise ValueError(f"embargo time {value.isoformat()} has no UTC offset")
    locale = babel_locale(lang)
    pattern = (
        locale.datetime_formats["long"]
        .replace("{1}", _date_pattern(value, lang))
        .replace("{0}", _time_pattern(lang))
    )
    # No tzinfo argument: Babel then keeps the wall-clock time as given.
    text = format_datetime(value, pattern, locale=locale)
    return _native_digits(f"{text} ({utc_offset(offset)})", lang)


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


def _native_digits(text: str, lang: str) -> str:
    """Write the ASCII digits of `text` in the locale's default numbering system."""
    zero = _NATIVE_ZERO.get(babel_locale(lang).default_numbering_system)
    if zero is None:
        return text
    return text.translate({ord("0") + i: chr(ord(zero) + i) for i in range(10)})
