"""Gettext PO: what Poedit, Weblate and Lokalize read.

One entry per segment: `msgctxt` is the segment path, codes are numbered
placeholders (`{1}`, `{2}…{/2}`) explained in the extracted comment, with
the hash of the source (`mmnpress-source:`). A segment to review is `fuzzy`
with its earlier source as the previous msgid; the project's close
translations are translator comments with their score and origin.
"""

from __future__ import annotations

from pathlib import Path

import polib

from .. import __version__
from ..errors import display_path
from . import inline
from .exchange import Incoming, Returned
from .exporter import REVIEW, Export, Unit

HASH = "mmnpress-source: "
ORIGINAL, SOURCE_LANGUAGE = "X-Mmnpress-Original", "X-Mmnpress-Source-Language"


def write(export: Export) -> bytes:
    """Return the PO file of an export."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"{export.original} ({export.target_lang})",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "PO-Revision-Date": "",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": export.target_lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"mmnpress {__version__}",
        ORIGINAL: export.original,
        SOURCE_LANGUAGE: export.source_lang,
    }
    for unit in export.units:
        po.append(_entry(unit, export.original))
    return str(po).encode("utf-8")


def _entry(unit: Unit, original: str) -> polib.POEntry:
    segment = unit.segment
    entry = polib.POEntry(
        msgctxt=segment.path,
        msgid=inline.placeholders(segment.content),
        msgstr=inline.placeholders(unit.target) if unit.target is not None else "",
        comment=segment.note() + (f"\nPre-filled from {unit.why}." if unit.why else "") + f"\n{HASH}{segment.digest}",
        occurrences=[(original, str(segment.node.line))],
        tcomment="\n".join(f"{offer.score}% {offer.origin}: {offer.target}" if offer.score else f"{offer.origin}: {offer.target}"
                           for offer in unit.offers),
    )
    if unit.state == REVIEW:
        entry.flags.append("fuzzy")
        if unit.previous:
            entry.previous_msgid = inline.placeholders(inline.parse(unit.previous) if segment.markdown else [unit.previous])
    return entry


def read(path: Path) -> Returned:
    """Read a PO file back."""
    shown = display_path(path)
    try:
        po = polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as error:
        return Returned(shown, "", "", "", [], [(1, f"not a PO file polib can read: {error}")])
    metadata = po.metadata
    problems = [] if ORIGINAL in metadata else [(1, "this PO file was not made by mmnpress translate export (no X-Mmnpress-Original header)")]
    units = [_incoming(entry) for entry in po if entry.msgid and not entry.obsolete]
    return Returned(shown, metadata.get(ORIGINAL, ""), metadata.get(SOURCE_LANGUAGE, ""), metadata.get("Language", ""), units, problems)


def _incoming(entry: polib.POEntry) -> Incoming:
    digest = next((line[len(HASH):].strip() for line in entry.comment.splitlines() if line.startswith(HASH)), "")
    target = entry.msgstr if entry.msgstr.strip() else None
    return Incoming(entry.msgctxt or "", entry.linenum, digest, target, "fuzzy" not in entry.flags)
