"""The characters a document cannot hold: one table for the loader and the writers.

The loader refuses them in statements, profiles and bibliographies; the
writers remove any that still arrive (citeproc passes a JSON escape such as
\\u0001 through).
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls other than tab, line feed and carriage return, DEL and the C1
# range (Word cannot store them), lone surrogates (no encoding can) and the
# noncharacters U+FFFE and U+FFFF (XML 1.0 forbids them).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Characters Word stores but PDF/A forbids (Typst refuses them, naming only its
# own temporary files): the loader refuses them where they are typed.
NOT_IN_PDF = {
    "\ufeff": "U+FEFF (a zero width no-break space, or a byte order mark inside the text) cannot go into a PDF (PDF/A forbids it); "
               "delete it (U+2060 WORD JOINER keeps two words together)",
}


def not_in_pdf(char: str) -> str | None:
    """Return why a PDF/A file cannot hold `char` (Typst refuses it, naming only its own template), or None."""
    if char in NOT_IN_PDF:
        return NOT_IN_PDF[char]
    code = ord(char)
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
        return f"U+{code:04X} is a noncharacter, for programs' own use: no document may hold it; delete it"
    if unicodedata.category(char) == "Co":
        return (f"U+{code:04X} is a private-use character, which means something only to one font: "
                "a PDF cannot hold it (PDF/A forbids it); replace it with the character it stands for")
    return None


def odd_characters(key: str) -> str:
    """Return a note naming the characters of an ASCII name typed otherwise (invisible, look-alike), or ''."""
    odd = [char for char in key if not (char.isascii() and char.isprintable())]
    if not odd:
        return ""
    named = []
    for char in dict.fromkeys(odd):
        name = unicodedata.name(char, "an unnamed character")
        kind = "an invisible character" if unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn") else "not a Latin letter"
        named.append(f"U+{ord(char):04X} {name}, {kind}")
    return f" (it holds {'; '.join(named)})"


def without_forbidden(text: str) -> str:
    """Return `text` with every character a document cannot hold removed."""
    return FORBIDDEN.sub("", text)
