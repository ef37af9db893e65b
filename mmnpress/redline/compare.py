"""Compare two render models of a statement and mark what changed, for a redline.

`compare(old, new)` returns the NEW render model with every difference from
OLD written into it as change marks ("ins" or "del" on runs, notes and
paragraph-level items), so the Word writer can turn them into tracked
changes. Rich text is compared word by word: words are what ICU's word
breaker finds, with its dictionaries for Thai, Lao, Khmer and Burmese, so a
one-word change in a line without spaces marks exactly that word. Lists of
paragraphs (body, recommendations, signatories, contacts, ...) are aligned
first; a paragraph too unlike any other is deleted and inserted whole.

Accepting every mark gives NEW's text and rejecting every mark gives OLD's,
because deleted words are kept in the order OLD had them, beside the
inserted ones.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from ..document import (
    LEAD,
    LINE,
    NUMBERED,
    PARAGRAPH,
    PARAGRAPHS,
    PEOPLE,
    REFERENCES,
    SIGNERS,
    SUBTITLE,
    TITLE,
    Block,
    Contact,
    Document,
    Note,
    Recommendation,
    Rich,
    Run,
    Signatory,
    plain_text,
)

INS, DEL = "ins", "del"
SIMILAR = 0.5  # paragraphs sharing less than this share of words are deleted and inserted whole
# Plain texts the template prints as they are, with the field of the tally they count in; a change in one is
# marked after rendering.
LITERALS = {"date_line": "date", "kind_line": "release", "dateline": "date"}


@dataclass
class Tally:
    """How many insertions and deletions each field of the statement received."""

    insertions: Counter = field(default_factory=Counter)
    deletions: Counter = field(default_factory=Counter)

    def add(self, name: str, change: str) -> None:
        """Count one change of kind `change` in the field `name`."""
        (self.insertions if change == INS else self.deletions)[name] += 1

    def lines(self) -> list[str]:
        """Return one line per changed field: "body: 3 insertions, 2 deletions"."""
        names = sorted(set(self.insertions) | set(self.deletions))
        return [f"{name}: {_count(self.insertions[name], 'insertion')}, {_count(self.deletions[name], 'deletion')}"
                for name in names]


@dataclass
class Comparison:
    """A marked render model, the changed plain texts the template prints, and the tally."""

    document: Document
    literals: dict[str, tuple[str, str]]  # name -> (old, new), for LITERALS that changed
    tally: Tally


def compare(old: Document, new: Document) -> Comparison:
    """Return NEW with every difference from OLD marked, section by section of NEW's outline."""
    tally = Tally()
    ctx = _Context(tally)
    marked = {}
    for section in new.outline:
        if section.holds != LINE:
            marked.update(COMPARE[section.holds](ctx, old, new, section.key))
    literals = {name: (getattr(old, name), getattr(new, name)) for name in LITERALS if getattr(old, name) != getattr(new, name)}
    for name in literals:
        tally.add(LITERALS[name], INS)
        tally.add(LITERALS[name], DEL)
    return Comparison(replace(new, **marked), literals, tally)


def _one(ctx: _Context, old: Document, new: Document, key: str) -> dict:
    return {key: ctx.block(getattr(old, key), getattr(new, key), key)}


def _many(ctx: _Context, old: Document, new: Document, key: str) -> dict:
    return {key: ctx.blocks(getattr(old, key), getattr(new, key), key)}


def _records(ctx: _Context, old: Document, new: Document, key: str) -> dict:
    return {key: ctx.items(getattr(old, key), getattr(new, key), key)}


def _people(ctx: _Context, old: Document, new: Document, key: str) -> dict:
    return {key: ctx.contacts(getattr(old, key), getattr(new, key))}


def _recommendations(ctx: _Context, old: Document, new: Document, key: str) -> dict:
    return {"recommendations_intro": ctx.block(old.recommendations_intro, new.recommendations_intro, key),
            "recommendations": ctx.recommendations(old.recommendations, new.recommendations)}


class _Context:
    """Compare the parts of two documents, counting changes by field."""

    def __init__(self, tally: Tally):
        self.tally = tally

    def block(self, old: Block | None, new: Block | None, name: str) -> Block | None:
        """Return one paragraph compared; a paragraph only one side has is marked word for word."""
        if new is None:
            if old is not None:
                self.tally.add(name, DEL)
            return None if old is None else replace(old, text=_marked(old.text, DEL))
        if old is None:
            self.tally.add(name, INS)
            return replace(new, text=_marked(new.text, INS))
        return replace(new, text=self.rich(old.text, new.text, name))

    def blocks(self, old: tuple[Block, ...], new: tuple[Block, ...], name: str) -> tuple[Block, ...]:
        """Return a list of paragraphs aligned and compared; unmatched ones deleted or inserted whole."""
        out = []
        for before, after in _aligned(old, new, lambda b: (b.style, _words_of(b.text))):
            if before is None or after is None:
                out.append(self._whole(before, after, name))
            else:
                out.append(replace(after, text=self.rich(before.text, after.text, name)))
        return tuple(out)

    def recommendations(self, old: tuple[Recommendation, ...], new: tuple[Recommendation, ...]) -> tuple[Recommendation, ...]:
        """Return the recommendations aligned and compared, title and text apart."""
        out = []
        for before, after in _aligned(old, new, lambda r: ("", _words_of(r.title) + _words_of(r.text))):
            if before is None or after is None:
                out.append(self._whole(before, after, "recommendations"))
            else:
                out.append(replace(after, title=self.rich(before.title, after.title, "recommendations"),
                                   text=self.rich(before.text, after.text, "recommendations")))
        return tuple(out)

    def items(self, old: tuple, new: tuple, name: str) -> tuple:
        """Return signatories or contacts: equal ones as they are, others deleted and inserted whole."""
        out = []
        for before, after in _aligned(old, new, _item_words, threshold=1.0):
            out.append(after if before is not None and after is not None else self._whole(before, after, name))
        return tuple(out)

    def contacts(self, old: tuple[Contact, ...], new: tuple[Contact, ...]) -> tuple[Contact, ...]:
        """Return the contacts aligned; in a contact kept with the same fields given, only the words that changed are marked."""
        out = []
        for before, after in _aligned(old, new, _contact_words):
            if before is None or after is None or _given(before) != _given(after):
                out += [self._whole(*pair, "contacts") for pair in ((before, None), (None, after)) if pair != (None, None)]
                continue
            marks = tuple((key, self.rich((Run(a),), (Run(b),), "contacts"))
                          for key, a, b in zip(CONTACT_FIELDS, _contact_texts(before), _contact_texts(after), strict=True) if a != b)
            out.append(replace(after, marks=marks))
        return tuple(out)

    def _whole(self, before, after, name: str):
        change, item = (DEL, before) if after is None else (INS, after)
        self.tally.add(name, change)
        return replace(item, change=change)

    def rich(self, old: Rich, new: Rich, name: str) -> Rich:
        """Return NEW's rich text with the words that differ from OLD marked, notes compared inside."""
        a, b = _items(old), _items(new)
        matcher = SequenceMatcher(None, [_key(x) for x in a], [_key(y) for y in b], autojunk=False)
        out: list = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                out += [self._note(x, y, name) if isinstance(y, Note) else y for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
                continue
            for change, part in ((DEL, a[i1:i2]), (INS, b[j1:j2])):
                if part:
                    self.tally.add(name, change)  # a note's change counts in the field where its mark stands
                    out += [replace(x, change=change) for x in part]
        return _joined(out)

    def _note(self, old: Note, new: Note, name: str) -> Note:
        """Return NEW's note with its paragraphs compared with OLD's, counting changes in the field `name` it stands in."""
        if old == new:
            return new
        paragraphs = []
        for index in range(max(len(old.paragraphs), len(new.paragraphs))):
            before = old.paragraphs[index] if index < len(old.paragraphs) else ()
            after = new.paragraphs[index] if index < len(new.paragraphs) else ()
            paragraphs.append(self.rich(before, after, name))
        return replace(new, paragraphs=tuple(paragraphs))


def _aligned(old: tuple, new: tuple, words, threshold: float = SIMILAR) -> list[tuple]:
    """Return (old, new) pairs in NEW's order, with (old, None) for deleted and (None, new) for inserted items."""
    keys_a, keys_b = [words(x) for x in old], [words(y) for y in new]
    pairs, start = [], 0
    for index, item in enumerate(old):
        found = next((k for k in range(start, len(new)) if _similar(keys_a[index], keys_b[k], threshold)), None)
        if found is None:
            pairs.append((item, None))
            continue
        pairs += [(None, y) for y in new[start:found]]
        pairs.append((item, new[found]))
        start = found + 1
    pairs += [(None, y) for y in new[start:]]
    return pairs


def _similar(a: tuple, b: tuple, threshold: float) -> bool:
    if a == b:
        return True
    if threshold >= 1.0 or a[0] != b[0]:
        return False
    matcher = SequenceMatcher(None, a[1], b[1], autojunk=False)
    return matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold


def _words_of(rich: Rich) -> list[str]:
    return words(plain_text(rich, with_notes=True))


def _item_words(item: Signatory | Contact) -> tuple:
    """Return what identifies a signatory or contact: every field but its YAML path."""
    return ("", [repr(replace(item, path="", change=None))])


CONTACT_FIELDS = ("name", "name_local", "role", "email", "phone", "languages")


def _contact_texts(contact: Contact) -> tuple[str, ...]:
    """Return the printed text of each of a contact's CONTACT_FIELDS ("" when not given)."""
    return (contact.name, contact.name_local, contact.role, contact.email, ", ".join(contact.phones), contact.languages)


def _given(contact: Contact) -> tuple[bool, ...]:
    return tuple(bool(text) for text in _contact_texts(contact))


def _contact_words(contact: Contact) -> tuple:
    """Return what pairs an old contact with a new one: its fields, of which at least half must be the same."""
    return ("", list(_contact_texts(contact)))


def words(text: str) -> list[str]:
    """Return `text` cut into words, spaces and punctuation, with dictionaries for scripts without spaces."""
    if not text:
        return []
    from icu4py.breakers import WordBreaker

    return list(WordBreaker(text, "root"))


def _items(rich: Rich) -> list:
    """Return rich text as a list of one-word runs and notes."""
    out: list = []
    for inline in rich:
        if isinstance(inline, Note):
            out.append(inline)
        else:
            out += [replace(inline, text=word) for word in words(inline.text)]
    return out


def _key(item: Run | Note) -> tuple:
    """Return what two items must share to be equal: notes pair by place, runs by word and formatting."""
    if isinstance(item, Note):
        return ("\0note",)
    return (item.text, item.em, item.strong, item.sup, item.sub, item.strike, item.smallcaps, item.code, item.link, item.lang)


def _joined(items: list) -> Rich:
    """Return the items with neighbouring runs of the same formatting and mark joined into one."""
    out: list = []
    for item in items:
        if out and isinstance(item, Run) and isinstance(out[-1], Run) and replace(out[-1], text="") == replace(item, text=""):
            out[-1] = replace(out[-1], text=out[-1].text + item.text)
        else:
            out.append(item)
    return tuple(out)


def _marked(rich: Rich, change: str) -> Rich:
    """Return every run and note of `rich` marked with `change`."""
    return tuple(replace(inline, change=change) for inline in rich)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


# How each kind of section is compared: (context, old, new, key) -> the marked fields of NEW.
COMPARE = {
    TITLE: _one, SUBTITLE: _one, LEAD: _one, PARAGRAPH: _one, PARAGRAPHS: _many, REFERENCES: _many,
    NUMBERED: _recommendations, SIGNERS: _records, PEOPLE: _people,
}
