"""The language a run of text is in, judged by its script."""

from __future__ import annotations

import re

# Shan, Mon and Karen are also written in Myanmar script; "my" is the best
# single tag for shaping and font choice when nothing else is known.
_SCRIPTS = {
    "th": re.compile("[\u0e00-\u0e7f]"),
    "lo": re.compile("[\u0e80-\u0eff]"),
    "my": re.compile("[\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f]"),
    "km": re.compile("[\u1780-\u17ff\u19e0-\u19ff]"),
}


def script_language(text: str) -> str | None:
    """Return the language of the main Southeast Asian script in `text`, or None."""
    counts = {lang: len(pattern.findall(text)) for lang, pattern in _SCRIPTS.items()}
    lang = max(counts, key=counts.__getitem__)
    return lang if counts[lang] else None
