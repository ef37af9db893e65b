"""Start a translation of a statement: a file beside it that extends it and gives its own language.

The new file holds only `extends` and `lang`; every other key is inherited
until the translator gives it, which the editor shows side by side with the
original. An existing file is never overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import MmnpressError
from ..i18n.locales import normalize
from ..schema import LANG_TAG
from ..skeleton import write_new


def start_translation(original: Path, lang: str) -> Path:
    """Write `<original stem>.<lang>.yaml` beside `original`, extending it; return its path."""
    if not LANG_TAG.match(lang):
        raise MmnpressError(f"'{lang}' is not a language tag such as th, my, km, lo, vi")
    lang = normalize(lang)
    target = original.with_name(f"{original.stem}.{lang}{original.suffix}")
    text = (f"# The {lang} translation of {original.name}: every key not given here is the original's.\n"
            f"extends: {json.dumps(original.name, ensure_ascii=False)}\nlang: {lang}\n")
    return write_new(target, text, hint="open it to go on translating")
