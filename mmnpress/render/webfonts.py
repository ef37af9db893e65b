"""The fonts a web page carries inside it, so that readers without them see its text right.

Few readers have Noto Sans Thai, Myanmar, Khmer or Lao; one without a font
for a script sees boxes. So the page's style sheet carries, as `data:`
URIs, the packaged families its text is set in, cut to the characters of
the page, Regular and Bold: static instances made as for the Word file
(`wordfonts.static_instance`), lean (only the layout features text needs
unasked), saved as WOFF2 (a quarter smaller than WOFF).

Which families: the head of each font stack the page uses (the profile's
body and heading families on a page in a language without a stack of its
own in `webtext.SCRIPT_FONTS`, that stack's first family otherwise, and so
for every `lang` the page tags), and the script fonts its characters need
(`wordfonts.script_families`). The embedded faces are named `PREFIX` +
family, so a different font installed under the family's own name cannot
stand in for them, and come first in the stacks, before today's names.
The email carries none (see email.py).
"""

from __future__ import annotations

import base64
import functools
import html
import io
import re
import unicodedata
from dataclasses import dataclass, field

from .. import usercache
from . import webtext, wordfonts

PREFIX = "mmnpress "
WOFF2_VERSION = "1"  # part of the cache name: raise when the WOFF2 files change
WEIGHTS = wordfonts.STYLES  # the instances made: Regular and Bold
# Drawn without being in the page's text: list numbers (::marker) and the printed links' " <" and ">".
ALWAYS = "0123456789. <>"
_TAG = re.compile(r"<[^>]*>")
_LANG = re.compile(r'\slang="([^"]+)"')


@dataclass(frozen=True)
class Faces:
    """The embedded faces of one page: their @font-face rules and the name each family goes by."""

    css: str = ""
    names: dict[str, str] = field(default_factory=dict)  # family -> embedded name

    def before(self, family: str) -> tuple[str, ...]:
        """Return the embedded names a stack headed by `family` starts with: its own, then the script fonts'.

        The script fonts follow in every stack, so text not tagged with its
        language still finds its embedded face.
        """
        own = self.names.get(family)
        scripts = (name for script, name in self.names.items() if script in wordfonts.SCRIPT_RANGES)
        return tuple(dict.fromkeys((*((own,) if own else ()), *scripts)))


def faces(lang: str, body: str, body_font: str, heading_font: str, prefix: str = PREFIX) -> Faces:
    """Return the faces a page in `lang` whose <body> is `body` needs, with the profile's two families.

    The faces are named `prefix` + family: a part of a page given faces of its
    own (the site's frame around a statement) takes another prefix, so the
    two sets cut to different characters never stand in for each other.
    """
    text = page_text(body)
    families = used_families(lang, set(_LANG.findall(body)), text, body_font, heading_font)
    rules, names = [], {}
    for family, keep in families.items():
        names[family] = prefix + family
        rules += [font_face(family, style, keep, prefix) for style in WEIGHTS]
    return Faces("".join(rules), names)


def page_text(body: str) -> str:
    """Return the characters a reader sees on the page whose <body> is `body`."""
    text = html.unescape(_TAG.sub("", body)) + ALWAYS
    return text + text.upper() if 'class="smallcaps"' in body else text  # small capitals a font lacks are capitals


def used_families(lang: str, tagged: set[str], text: str, body_font: str, heading_font: str) -> dict[str, str]:
    """Return the packaged families a page's text is set in, each with the characters of `text` it draws.

    The families heading the stacks of the page's language draw all they
    have; one heading the stack of a language tagged inside it, or a script
    font reached as a fallback, draws the letters of its own script (Latin
    for a Latin family) and what is not a letter.
    """
    first = _heads(lang) or [body_font, heading_font]
    tagged_heads = [family for code in sorted(tagged) for family in _heads(code)]
    # a shaper draws some characters as others: Thai and Lao sara am as nikhahit (niggahita) and sara aa
    chars = {part for char in set(text) for part in char + unicodedata.normalize("NFKD", char)}
    chosen = {}
    for family in (*first, *tagged_heads, *wordfonts.script_families(text)):
        if family in chosen or not wordfonts.packaged(family):
            continue
        has = wordfonts.characters(family)
        own = [family] if family in wordfonts.SCRIPT_RANGES else []
        keep = {c for c in chars if c in has and (family in first or not c.isalpha() or wordfonts.script_families(c) == own)}
        chosen[family] = "".join(sorted(keep))
    return chosen


def _heads(lang: str) -> list[str]:
    """Return the family heading the stack of `lang` in webtext.SCRIPT_FONTS, in a list, or none."""
    stack = webtext.SCRIPT_FONTS.get(lang.split("-")[0].lower())
    return [stack[0].strip('"')] if stack else []


def font_face(family: str, style: str, keep: str, prefix: str = PREFIX) -> str:
    """Return the @font-face rule of `family` in `style`, cut to the characters `keep`, named `prefix` + family."""
    return (f'@font-face {{ font-family: "{prefix}{family}"; font-style: normal; font-weight: {WEIGHTS[style]}; '
            f'src: url("data:font/woff2;base64,{woff2(family, style, keep)}") format("woff2"); }}\n')


@functools.lru_cache(maxsize=64)
def woff2(family: str, style: str, keep: str) -> str:
    """Return the static instance of `family` in `style` cut to `keep`, as base64 WOFF2.

    Compressing takes a tenth of a second a face, so the result is kept in
    the user's cache folder under a name that hashes the instance.
    """
    instance = wordfonts.static_instance(family, style, keep, lean=True)
    data = usercache.kept("woff2", WOFF2_VERSION.encode() + instance, "font.woff2", lambda: _woff2(instance))
    return base64.b64encode(data).decode("ascii")


def _woff2(instance: bytes) -> bytes:
    """Return a TrueType font as WOFF2 (Brotli-compressed, glyphs transformed)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(instance), recalcTimestamp=False)  # the instance's head.modified, not the time of saving
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
