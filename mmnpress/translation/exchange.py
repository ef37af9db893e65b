"""What every exchange format reads back: the original, the languages, and one target per segment."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Incoming:
    """One segment as a translator returns it."""

    path: str
    line: int  # where it is in the file (a table row in a Word file)
    digest: str  # the hash of the source it was exported with
    target: list | str | None  # text and Refs, or text with placeholders ({1}, {2}…{/2}); None when left empty
    reviewed: bool = True  # False while still marked for review (XLIFF needs-review-*, PO fuzzy)
    problems: list[str] = field(default_factory=list)  # with its codes, found while reading


@dataclass
class Returned:
    """An exchange file read back."""

    file: str  # as shown in messages
    original: str  # project-relative path of the original
    source_lang: str
    target_lang: str
    units: list[Incoming]
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message) about the file itself
