"""Document labels, read from the gettext catalogs under `locale/`.

Each catalog entry has the label key as msgctxt and the English text as
msgid, so translators see the English and the code keeps stable keys. A
label whose entry is missing, empty, fuzzy, written for an older English
text, or with different placeholders falls back to English.

To change an English text, change it in `_ENGLISH`, in `mmnpress.pot` and
in the msgid of every catalog; the tests check that they agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mmnpress.i18n.locales import normalize, primary

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "mmnpress"

_ENGLISH = {
    "inquiries": "For inquiries about this statement, please contact:",
    "inquiries_paper": "For inquiries about this paper, please contact:",
    "media_contacts": "Media contacts",
    "immediate_release": "FOR IMMEDIATE RELEASE",
    "embargoed_until": "EMBARGOED UNTIL",
    "notes_to_editors": "Notes to editors",
    "about": "About {name}",
    "tel": "Tel.",
    "email": "Email",
    "page_of": "Page {page} of {total}",
    "draft": "DRAFT",
    "recommendations": "Recommendations",
    "signed_by": "Signed by",
    "signatory_count": "Endorsed by {organisations} organisations from {countries} countries",
    "signatory_count_one_country": "Endorsed by {organisations} organisations from one country",
    "signatory_count_no_country": "Endorsed by {organisations} organisations",
    "end_mark": "\u2013 ENDS \u2013",  # en dashes
    "references": "References",
    "statement": "Statement",
    "press_release": "Press release",
    "position_paper": "Position paper",
    "languages": "Languages",
    "notes": "Notes",
    "back_to_text": "Back to text",
    "read_online": "Read online",
    "download_pdf": "Download PDF version here",
    "download_docx": "Download Word version",
    "older_posts": "Older posts",
    "newer_posts": "Newer posts",
    "search": "Search",
    "no_results": "No results",
    "statements": "Statements",
    "press_releases": "Press releases",
    "position_papers": "Position papers",
    "page_not_found": "Page not found",
    "skip_to_content": "Skip to content",
    "also_in": "Also in:",
}
LABEL_KEYS: tuple[str, ...] = tuple(_ENGLISH)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_DIRNAME = re.compile(r"[A-Za-z]{2,3}(_[A-Za-z0-9]+)*")


@dataclass(frozen=True)
class Labels:
    """The labels of one document language.

    `text` maps every key of LABEL_KEYS to its text; `missing` lists the
    keys that had no usable translation and show English instead.
    """

    text: dict[str, str]
    missing: tuple[str, ...] = ()


def english_labels() -> dict[str, str]:
    """Return a fresh mapping of every label key to its English text."""
    return dict(_ENGLISH)


def labels(lang: str, localedir: Path | None = None) -> Labels:
    """Return the labels for BCP 47 tag `lang`, English where the catalog has none."""
    found = _translations(catalog_path(lang, localedir or LOCALE_DIR))
    missing = tuple(key for key in LABEL_KEYS if key not in found)
    return Labels({key: found.get(key, _ENGLISH[key]) for key in LABEL_KEYS}, missing)


def catalog_path(lang: str, localedir: Path = LOCALE_DIR) -> Path | None:
    """Return the .po file serving `lang` (th_TH, else th), or None if none does."""
    for name in (normalize(lang).replace("-", "_"), primary(lang)):
        if not _DIRNAME.fullmatch(name):
            continue  # not a tag: never let it name a path outside localedir
        path = localedir / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=32)
def _translations(path: Path | None) -> dict[str, str]:
    """Read the usable translations of `path`, keyed by label key."""
    if path is None:
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, domain=DOMAIN)
    found = {}
    for key, english in _ENGLISH.items():
        message = catalog.get(english, context=key)
        if message and not message.fuzzy and _usable(message.string, english):
            found[key] = message.string
    return found


def _usable(text: object, english: str) -> bool:
    """Tell whether `text` is non-empty and keeps the placeholders of `english`."""
    return (
        isinstance(text, str)
        and bool(text.strip())
        and sorted(_PLACEHOLDER.findall(text)) == sorted(_PLACEHOLDER.findall(english))
    )
