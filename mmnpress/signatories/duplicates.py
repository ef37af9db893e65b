"""Find the same signatory typed twice: across case, punctuation, "&"/"and", acronyms in brackets, word order and typos.

Every name gets a key: NFKC, case-folded, "&" as "and", an acronym in
brackets left out ("... Development (FED)"), British and American
spellings made one, punctuation and a few small words left out, words
sorted. Names with the same key are the same signatory. Names whose keys
differ only by typos are the same too when

- rapidfuzz's `token_sort_ratio` of the keys is at least THRESHOLD (92),
- they have the same number of words and every word has a partner in the
  other name at `fuzz.ratio` 80 or more (so "Union"/"Unit" or
  "Migrant"/"Migration" never match), and
- they hold the same numbers.

A merge of two different organisations is worse than a missed duplicate,
hence the conservative rules. A name typed only as an acronym ("FED")
matches a name whose brackets hold it, when only one does. Two entries
with different known countries are never the same signatory (one
organisation's country offices sign separately).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 92
WORD_THRESHOLD = 80
SMALL_WORDS = frozenset({"the", "of", "for", "and", "a", "an", "in", "on", "to"})
SPELLINGS = {"organization": "organisation", "organizations": "organisations", "program": "programme", "programs": "programmes",
             "center": "centre", "centers": "centres", "labor": "labour", "defense": "defence", "ctr": "centre",
             "intl": "international", "assn": "association", "assoc": "association", "fdn": "foundation", "dept": "department",
             "co": "company", "ltd": "limited", "inc": "incorporated", "govt": "government", "natl": "national"}
_BRACKETED = re.compile(r"[(\[]\s*([^()\[\]]*?)\s*[)\]]|\s[-\u2013\u2014:]\s*(\S+)\s*$")  # (FED) or a trailing " - FED"
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")  # M.A.P.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")  # Thai, Lao, Myanmar, Khmer: spaces end phrases, not words
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9.&-]{1,11}$")


@dataclass(frozen=True)
class Named:
    """What matching needs of a signatory: its name, its country code (or None) and its key."""

    name: str
    code: str | None
    key: str
    acronym: str = ""  # the acronym in brackets, or the whole name when it is one


def named(name: str, code: str | None = None) -> Named:
    """Return the matching form of a signatory."""
    return Named(name, code, name_key(name), _acronym(name))


def exact_key(name: str) -> str:
    """Return the form two names share when they are the same as typed but for case and spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def name_key(name: str) -> str:
    """Return the normalised key of a name (see the module's docstring)."""
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), unicodedata.normalize("NFKC", name).replace("\u2019", "'"))
    text = _BRACKETED.sub(lambda m: " " if is_acronym(_inside(m)) else f" {_inside(m)} ", text)
    text = text.casefold().replace("&", " and ").replace("+", " and ")
    text = "".join(" " if unicodedata.category(c)[0] in "PSZ" and c != "'" else c for c in text).replace("'", "")
    words = [SPELLINGS.get(w, w) for w in text.split()]
    kept = [w for w in words if w not in SMALL_WORDS] or words
    return "".join(kept) if _UNSPACED.search(text) else " ".join(sorted(kept))


def _inside(match: re.Match) -> str:
    return match.group(1) if match.group(1) is not None else match.group(2)


def is_acronym(text: str) -> bool:
    """Tell whether `text` is an acronym: one word, mostly capitals ("FED", "F.E.D.", "CENTRAL"), not "Thailand"."""
    text = text.replace(" ", "")
    letters = [c for c in text if c.isalpha()]
    return bool(_ACRONYM.match(text)) and sum(c.isupper() for c in letters) >= max(2, (len(letters) + 1) // 2)


def _acronym(name: str) -> str:
    whole = unicodedata.normalize("NFKC", name).strip()
    if is_acronym(whole):
        return whole.replace(".", "").upper()
    found = [_inside(m).replace(".", "").replace(" ", "") for m in _BRACKETED.finditer(whole) if is_acronym(_inside(m))]
    return found[-1].upper() if found else ""


def _is_only_acronym(item: Named) -> bool:
    return bool(item.acronym) and item.acronym == unicodedata.normalize("NFKC", item.name).strip().replace(".", "").upper()


def countries_agree(a: Named, b: Named) -> bool:
    """Tell whether two entries may be one signatory: same country, or one of them without one."""
    return a.code is None or b.code is None or a.code == b.code


def same(a: Named, b: Named) -> bool:
    """Tell whether two signatories are one (see the module's docstring)."""
    if not countries_agree(a, b):
        return False
    if a.key == b.key:
        return True
    return _typos_only(a.key, b.key)


def _typos_only(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    if re.findall(r"\d+", a) != re.findall(r"\d+", b) or fuzz.token_sort_ratio(a, b) < THRESHOLD:
        return False
    words_a, words_b = a.split(), b.split()
    if len(words_a) != len(words_b):
        return False
    free = list(words_b)
    for word in words_a:
        best = max(free, key=lambda other: fuzz.ratio(word, other))
        if fuzz.ratio(word, best) < WORD_THRESHOLD:
            return False
        free.remove(best)
    return True


@dataclass(frozen=True)
class Match:
    """An entry found to repeat one before it: their indexes in the list matched."""

    index: int
    kept: int


def find(items: Sequence[Named], known: Sequence[Named] = ()) -> tuple[list[Match], list[Match]]:
    """Return which of `items` repeat an earlier item or one of `known`.

    The first list matches items to items (`kept` an index of `items`), the
    second to `known` (`kept` an index of `known`). Each item is matched to
    the first entry it repeats.
    """
    pool = _Pool()
    for index, entry in enumerate(known):
        pool.add(("known", index), entry)
    repeats, present = [], []
    for index, item in enumerate(items):
        place = pool.first_same(item)
        if place is None:
            pool.add(("item", index), item)
            continue
        origin, kept = pool.origins[place]
        (present if origin == "known" else repeats).append(Match(index, kept))
    return repeats, present


def _block(key: str) -> tuple:
    """Return what two keys that differ only by typos share: their number of words and their numbers (see `_typos_only`)."""
    return len(key.split()), tuple(re.findall(r"\d+", key))


class _Pool:
    """The entries kept so far, indexed by key and acronym for the look-ups of `find`."""

    def __init__(self) -> None:
        self.origins: list[tuple[str, int]] = []
        self.entries: list[Named] = []
        self.blocks: dict[tuple, tuple[list[str], list[int]]] = {}  # keys that may be typos of each other, and their places
        self.by_key: dict[str, list[int]] = {}
        self.by_acronym: dict[str, list[int]] = {}

    def add(self, origin: tuple[str, int], entry: Named) -> None:
        place = len(self.entries)
        self.origins.append(origin)
        self.entries.append(entry)
        keys, places = self.blocks.setdefault(_block(entry.key), ([], []))
        keys.append(entry.key)
        places.append(place)
        self.by_key.setdefault(entry.key, []).append(place)
        if entry.acronym:
            self.by_acronym.setdefault(entry.acronym, []).append(place)

    def first_same(self, item: Named) -> int | None:
        """Return the place of the first entry `item` repeats, or None."""
        places = [p for p in self.by_key.get(item.key, ()) if countries_agree(item, self.entries[p])]
        if places:
            return places[0]
        fuzzy = self._fuzzy(item)
        return fuzzy if fuzzy is not None else self._acronym(item)

    def _fuzzy(self, item: Named) -> int | None:
        from rapidfuzz import fuzz, process

        keys, block = self.blocks.get(_block(item.key), ((), ()))
        found = process.extract(item.key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=THRESHOLD, limit=None)
        places = sorted(block[index] for _, _, index in found if same(item, self.entries[block[index]]))
        return places[0] if places else None

    def _acronym(self, item: Named) -> int | None:
        """Return the one entry an acronym-only name stands for (or that stands for it), or None."""
        if not item.acronym:
            return None
        places = [p for p in self.by_acronym.get(item.acronym, ())
                  if _is_only_acronym(item) != _is_only_acronym(self.entries[p]) and countries_agree(item, self.entries[p])]
        return places[0] if len(places) == 1 else None
