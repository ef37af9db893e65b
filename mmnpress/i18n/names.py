"""Language names in the document language, joined the CLDR way."""

from __future__ import annotations

from mmnpress.i18n.locales import babel_locale, normalize


def language_name(code: str, lang: str) -> str:
    """Return the name of language `code` in language `lang`, or `code` if unnamed."""
    names = babel_locale(lang).languages
    subtags = normalize(code).split("-")
    # Most specific first: zh_Hant_TW, zh_Hant ("Traditional Chinese"), zh.
    for end in range(len(subtags), 0, -1):
        name = names.get("_".join(subtags[:end]))
        if name:
            return name
    return code


def language_names(codes: list[str], lang: str) -> str:
    """Name `codes` in `lang`, joined by CLDR's list pattern: "Thai and English"."""
    from babel.lists import format_list

    names = [language_name(code, lang) for code in codes]
    return format_list(names, locale=babel_locale(lang)) if names else ""
