"""Labels, dates and language names in the language of a document.

Labels come from the gettext catalogs in `locale/<lang>/LC_MESSAGES/`;
dates, times, language names and list patterns come from CLDR through
Babel; `numerals` declares the digits and the place-date separator each
language writes. Every function takes the document language as a BCP 47 tag
(`th`, `th-TH`, `en-GB`) and falls back to English for languages it does
not know.
"""

from mmnpress.i18n.catalog import LABEL_KEYS, LOCALE_DIR, Labels, english_labels, labels
from mmnpress.i18n.dates import format_date, format_embargo
from mmnpress.i18n.locales import is_known_language
from mmnpress.i18n.names import language_name, language_names
from mmnpress.i18n.numerals import digits, place_separator, with_digits
from mmnpress.unicode.scripts import script_language

__all__ = [
    "LABEL_KEYS",
    "LOCALE_DIR",
    "Labels",
    "digits",
    "english_labels",
    "format_date",
    "format_embargo",
    "is_known_language",
    "labels",
    "language_name",
    "language_names",
    "place_separator",
    "script_language",
    "with_digits",
]
