"""The words of the editor's interface, in the languages mmnpress has document labels for.

The English words are below; the others are read from `locale/<lang>.po`
(msgctxt the key, msgid the English), falling back to English word by word.
Field labels come from the document labels of `i18n.catalog` where the
catalog has one (recommendations, notes to editors...), else from the key.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..i18n.catalog import LOCALE_DIR, labels
from ..i18n.locales import primary

LOCALES = Path(__file__).with_name("locale")
ENGLISH = {
    "title": "Statement editor", "open": "Open", "save": "Save", "saved": "Saved", "unsaved": "Unsaved changes",
    "new": "New statement", "translate": "Translate", "add": "Add", "remove": "Remove", "up": "Move up",
    "down": "Move down", "preview": "Preview", "web": "Web page", "pdf": "PDF", "emphasis": "Emphasis",
    "strong": "Strong", "link": "Link", "note": "Note", "cite": "Citation", "search": "Search the bibliography",
    "locator": "Page or locator", "insert": "Insert", "cancel": "Cancel", "unknown_key": "Unknown citation key",
    "conflict": "This file changed on disk since you opened it.", "reload": "Reload from disk",
    "keep": "Keep mine and save", "problems": "Problems", "original": "Original (read only)", "kind": "Kind",
    "slug": "Short name", "language": "Language", "create": "Create", "interface": "Interface language",
    "no_problems": "No problems found", "statement_file": "Statement", "paragraph": "Paragraph", "heading": "Heading",
    "quote": "Quote", "saving_failed": "Not saved", "leave": "You have unsaved changes.",
    "default": "default", "inherited": "as the original", "add_note": "Add note", "note_label": "Label of a new note",
    "note_label_rule": "A note's label is letters, digits, _ . or -, starting with a letter or digit",
    "note_label_used": "This label is already used by a note",
}
FIELD_LABELS = {"recommendations": "recommendations", "notes_to_editors": "notes_to_editors", "references": "references",
                "notes": "notes", "languages": "languages"}
KIND_LABELS = {"statement": "statement", "press-release": "press_release", "position-paper": "position_paper"}


def languages() -> list[str]:
    """Return the languages the interface can speak: those with document labels."""
    return sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())


def interface(lang: str) -> dict:
    """Return the interface words, field labels and kind names in `lang` (English where a word has no translation)."""
    code = primary(lang) if lang else "en"
    code = code if code in languages() else "en"
    document = labels(code).text
    return {
        "lang": code,
        "languages": languages(),
        "words": {**ENGLISH, **_translated(code)},
        "fields": {key: document[label] for key, label in FIELD_LABELS.items()} if code != "en" else {},
        "kinds": {kind: document[label] for kind, label in KIND_LABELS.items()},
    }


@lru_cache(maxsize=8)
def _translated(code: str) -> dict[str, str]:
    path = LOCALES / f"{code}.po"
    if code == "en" or not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as stream:
        catalog = read_po(stream)
    found = {}
    for key, english in ENGLISH.items():
        message = catalog.get(english, context=key)
        if message and message.string and not message.fuzzy:
            found[key] = message.string
    return found
