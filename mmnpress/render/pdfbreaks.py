"""Keep the words of Thai, Lao, Khmer and Burmese whole across PDF lines.

These scripts write no spaces between words, so a line may end between any
two words, and only a dictionary knows where words end. Typst finds break
opportunities with ICU4X's LSTM models, which break Burmese inside words
(ကြို|ဆိုသည်, မူဝါ|ဒ) and make its optimized line breaking slow (1.46 s for
the Burmese example). ICU4C's dictionaries (through icu4py) give the break
opportunities here instead: each run of these scripts travels to the
template with `words`, its text cut at ICU's line-break opportunities, and
the template keeps every piece marked whole on one line. Nothing is added
to the text, so copied text is the typed text.
"""

from __future__ import annotations

import re
from typing import Any

UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\ua9e0-\ua9ff\uaa60-\uaa7f]")


def mark_words(data: Any) -> Any:
    """Add `words` to every run of document data whose text has letters of these scripts; return the data."""
    from mmnpress.document import data_runs

    for run in data_runs(data):
        if UNSPACED.search(run["text"]):
            run["words"] = pieces(run["text"])
    return data


def pieces(text: str) -> list[list]:
    """Return `text` as [piece, whole] pairs: pieces to keep on one line, and text Typst may break as usual.

    A line may end only where ICU finds a line-break opportunity; a piece of
    these scripts between two opportunities is whole, its trailing spaces not.
    """
    from icu4py.breakers import LineBreaker

    result: list[list] = []
    for segment in LineBreaker(text, "root"):  # ICU picks each script's dictionary itself
        body = segment.rstrip()
        for piece, whole in ((body, bool(UNSPACED.search(body))), (segment[len(body):], False)):
            if not piece:
                continue
            if result and not whole and not result[-1][1]:
                result[-1][0] += piece
            else:
                result.append([piece, whole])
    return result
