"""Translation memory from the project itself: what its other translations into a language say for a source.

Every translation (a file with `extends:` and the language wanted) beside the
original pairs each of its values with the original's value at the same
path, unless `translated_from:` says the original has changed since. An
identical source gives its translation; a close one (rapidfuzz ratio of at
least 75) is offered with its score and where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import MmnpressError, display_path
from ..pipeline.provenance import digest, translatable
from ..pipeline.source import Node, load

FUZZY_CUTOFF = 75


@dataclass(frozen=True)
class Match:
    """A translation the memory offers: its source and target (Markdown), score (100 is identical) and origin."""

    source: str
    target: str
    score: int
    origin: str


class Memory:
    """Pairs of original and translated values of one language."""

    def __init__(self, pairs: dict[str, tuple[str, str]]):
        self.pairs = pairs  # source -> (target, origin)
        self._sources = list(pairs)

    @classmethod
    def of_project(cls, folder: Path, lang: str, leave_out: set[Path]) -> Memory:
        """Return the memory of the translations into `lang` in `folder` (and below), except the files `leave_out`."""
        pairs: dict[str, tuple[str, str]] = {}
        for path in sorted(folder.rglob("*.yaml")):
            if path.resolve() in leave_out:
                continue
            for source, target, origin in _pairs(path, lang):
                pairs.setdefault(source, (target, origin))
        return cls(pairs)

    def exact(self, source: str) -> Match | None:
        """Return the translation of an identical source, or None."""
        found = self.pairs.get(source)
        return Match(source, found[0], 100, found[1]) if found else None

    def close(self, source: str, limit: int = 3) -> list[Match]:
        """Return up to `limit` translations of sources at least 75 % alike, best first (identical ones left out)."""
        from rapidfuzz import fuzz, process

        found = process.extract(source, self._sources, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=limit + 1)
        return [Match(text, self.pairs[text][0], round(score), self.pairs[text][1]) for text, score, _ in found if text != source][:limit]


def _pairs(path: Path, lang: str):
    """Yield (original's text, translation, origin) for every value of the translation at `path` into `lang`."""
    try:
        node = load(path)
    except MmnpressError:
        return
    lang_node, extends = node.get("lang"), node.get("extends")
    if extends is None or lang_node is None or lang_node.value != lang or extends.kind != "scalar":
        return
    original_path = path.parent / extends.value
    if not original_path.is_file():
        return
    try:
        original = {where: value.value for where, _, value in translatable(load(original_path))}
    except MmnpressError:
        return
    recorded = recorded_digests(node)
    for where, _, value in translatable(node):
        source = original.get(where)
        if source is None or (where in recorded and recorded[where] != digest(source)):
            continue
        yield source, value.value, f"{display_path(path)} {where}"


def recorded_digests(node: Node) -> dict[str, str]:
    """Return the `translated_from:` hashes a translation's node tree records, by path."""
    record = node.get("translated_from")
    if record is None or record.kind != "map":
        return {}
    return {key: value.value for key, (_, value) in record.entries.items() if value.kind == "scalar"}
