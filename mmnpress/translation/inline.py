"""Split a text value's inline Markdown into translatable text and protected codes, and join it back.

A citation (``[@key, p. 9]``, ``@key``), a note mark (``[^label]``), inline
code and a typed ``{1}`` are standalone codes: the translator moves them, never
edits them. Emphasis, strong, a link and an inline note ``^[...]`` are paired
codes around text that stays translatable (the note's own text is translated
in place, inside its pair, so it keeps its context). Codes are numbered from
1 in the order of the source; a target names them by number, and joining it
back takes each code's Markdown from the source, so a target can neither
change a citation key nor a link's address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Codes, by kind: the XLIFF ctype and what the translator is told.
KINDS = {
    "citation": ("x-citation", "citation"),
    "note-mark": ("x-note-mark", "note mark"),
    "code": ("x-code", "inline code"),
    "literal": ("x-literal", "characters typed as they are"),
    "emphasis": ("italic", "emphasis"),
    "strong": ("bold", "strong"),
    "link": ("link", "link"),
    "note": ("x-note", "inline footnote"),
}
PAIRED = ("emphasis", "strong", "link", "note")

_NOTE_MARK = re.compile(r"\[\^[A-Za-z0-9][A-Za-z0-9_.-]*\]")
_BARE_CITATION = re.compile(r"@(?:\{[^{}]+\}|[A-Za-z0-9_][\w:.#$%&\-+?<>~/]*[\w])")
_BRACKET_CITATION = re.compile(r"(?:^|[\s;\[-])-?@[\w{]")
_LITERAL = re.compile(r"\{/?\d+\}")


@dataclass
class Code:
    """A protected piece of Markdown: standalone (`close` is None) or a pair around translatable content."""

    id: int
    kind: str
    open: str
    close: str | None = None
    content: list = field(default_factory=list)  # of str and Code, for a pair

    @property
    def paired(self) -> bool:
        """Tell whether the code wraps translatable content."""
        return self.close is not None

    def describe(self) -> str:
        """Return what a translator reads about the code."""
        label = KINDS[self.kind][1]
        if self.kind == "link":
            return f"{label} to {self.close[2:-1]}"
        return f"{label} {self.open}" if not self.paired else label


def parse(text: str) -> list:
    """Return `text` as a list of strings and `Code`s; `markdown` of it gives `text` back exactly."""
    counter = [0]
    return _parse(text, counter)


def markdown(content: list) -> str:
    """Return the Markdown of parsed content."""
    return "".join(part if isinstance(part, str) else part.open + markdown(part.content) + (part.close or "") for part in content)


def codes(content: list) -> dict[int, Code]:
    """Return every code of `content` (nested ones too) by number."""
    found: dict[int, Code] = {}
    for part in content:
        if isinstance(part, Code):
            found[part.id] = part
            found.update(codes(part.content))
    return found


def plain(content: list) -> str:
    """Return the translatable text of `content`, codes left out."""
    return "".join(part if isinstance(part, str) else plain(part.content) for part in content)


def _parse(text: str, counter: list[int]) -> list:
    out: list = []
    buffer: list[str] = []
    i = 0
    while i < len(text):
        found = _code_at(text, i, counter)
        if found is None:
            step = 2 if text[i] == "\\" and i + 1 < len(text) else 1
            buffer.append(text[i:i + step])
            i += step
            continue
        code, end = found
        if buffer:
            out.append("".join(buffer))
            buffer = []
        out.append(code)
        i = end
    if buffer:
        out.append("".join(buffer))
    return out


def _code_at(text: str, i: int, counter: list[int]):
    """Return (code, end) for a code starting at `i`, or None."""
    char = text[i]
    if char == "^" and text.startswith("^[", i):
        end = _matching(text, i + 1, "[", "]")
        if end is not None:
            return _pair(text, counter, "note", "^[", i + 2, end, "]")
    if char == "[":
        return _bracket(text, i, counter)
    if char == "@" and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "\\@")):
        match = _BARE_CITATION.match(text, i)
        if match:
            return _single(counter, "citation", match.group()), match.end()
    if char == "`":
        match = re.compile(r"(`+)(.+?)\1").match(text, i)
        if match:
            return _single(counter, "code", match.group()), match.end()
    if char == "{":
        match = _LITERAL.match(text, i)
        if match:
            return _single(counter, "literal", match.group()), match.end()
    if char in "*_":
        return _emphasis(text, i, counter)
    return None


def _bracket(text: str, i: int, counter: list[int]):
    mark = _NOTE_MARK.match(text, i)
    if mark:
        return _single(counter, "note-mark", mark.group()), mark.end()
    end = _matching(text, i, "[", "]")
    if end is None:
        return None
    if text.startswith("(", end + 1):
        close = _matching(text, end + 1, "(", ")")
        if close is not None:
            return _pair(text, counter, "link", "[", i + 1, end, text[end:close + 1])
    if _BRACKET_CITATION.search(text[i + 1:end]):
        return _single(counter, "citation", text[i:end + 1]), end + 1
    return None


def _emphasis(text: str, i: int, counter: list[int]):
    mark = text[i] * 2 if text.startswith(text[i] * 2, i) else text[i]
    if mark == "_" * len(mark) and i > 0 and text[i - 1].isalnum():
        return None  # intraword underscores are letters
    start = i + len(mark)
    if start >= len(text) or text[start].isspace():
        return None
    end = _closing(text, start, mark)
    if end is None:
        return None
    return _pair(text, counter, "strong" if len(mark) == 2 else "emphasis", mark, start, end, mark)


def _closing(text: str, start: int, mark: str) -> int | None:
    """Return where the `mark` closing emphasis opened before `start` is, skipping brackets and escapes."""
    j = start
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == "[":
            end = _matching(text, j, "[", "]")
            j = end + 1 if end is not None else j + 1
            continue
        if text.startswith(mark, j) and j > start and not text[j - 1].isspace():
            after = j + len(mark)
            if len(mark) == 2 or not text.startswith(mark, after):
                if not (mark[0] == "_" and after < len(text) and text[after].isalnum()):
                    return j
            j = after + 1 if len(mark) == 1 else after
            continue
        j += 1
    return None


def _matching(text: str, i: int, opening: str, closing: str) -> int | None:
    """Return the index of the bracket closing the one at `i`, or None."""
    depth = 0
    j = i
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == opening:
            depth += 1
        elif text[j] == closing:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return None


def _single(counter: list[int], kind: str, raw: str) -> Code:
    counter[0] += 1
    return Code(counter[0], kind, raw)


def _pair(text: str, counter: list[int], kind: str, opening: str, start: int, end: int, closing: str):
    counter[0] += 1
    code = Code(counter[0], kind, opening, closing)
    code.content = _parse(text[start:end], counter)
    return code, end + len(closing)


@dataclass
class Ref:
    """A code as a target places it: its number, and for a pair the target's content inside."""

    id: int
    content: list | None = None  # of str and Ref; None for a standalone code

    @property
    def paired(self) -> bool:
        """Tell whether the code wraps content."""
        return self.content is not None


_PLACEHOLDER = re.compile(r"\{(/?)(\d+)\}")


def placeholders(content: list) -> str:
    """Return source content (Codes) or target content (Refs) as text with numbered placeholders.

    ``{1}`` stands for a code, ``{2}…{/2}`` for a pair around its content.
    """
    return "".join(
        part if isinstance(part, str)
        else f"{{{part.id}}}{placeholders(part.content)}{{/{part.id}}}" if part.paired else f"{{{part.id}}}"
        for part in content
    )


def from_placeholders(text: str, source: dict[int, Code]) -> tuple[list, list[str]]:
    """Return text with placeholders as target content (of str and Ref), and the problems of its placeholders."""
    stack: list[tuple[Ref | None, list]] = [(None, [])]
    problems: list[str] = []
    at = 0
    for match in _PLACEHOLDER.finditer(text):
        stack[-1][1].append(text[at:match.start()])
        at = match.end()
        closing, number = match.group(1) == "/", int(match.group(2))
        code = source.get(number)
        if closing:
            if len(stack) > 1 and stack[-1][0].id == number:
                ref, inside = stack.pop()
                ref.content = [part for part in inside if part != ""]
                stack[-1][1].append(ref)
            else:
                problems.append(f"{{/{number}}} closes nothing opened before it")
        elif code is not None and code.paired:
            stack.append((Ref(number), []))
        else:
            stack[-1][1].append(Ref(number))
    stack[-1][1].append(text[at:])
    while len(stack) > 1:
        ref, inside = stack.pop()
        problems.append(f"{{{ref.id}}} is not closed by {{/{ref.id}}}")
        stack[-1][1].extend([Ref(ref.id, []), *inside])
    return [part for part in stack[0][1] if part != ""], problems


def target_text(content: list) -> str:
    """Return the translatable text of target content, codes left out."""
    return "".join(part if isinstance(part, str) else target_text(part.content or []) for part in content)


def rebuild(target: list, source: list) -> tuple[str, list[str]]:
    """Return the Markdown of a target, its codes taken from the source, and every problem with its codes.

    A code missing, doubled or unknown to the source is a problem, and so is
    Markdown typed as text that makes a citation, note mark or link the
    source does not have.
    """
    known = codes(source)
    problems: list[str] = []
    seen: dict[int, int] = {}
    text = _joined(target, known, seen, problems)
    for number, code in known.items():
        if seen.get(number, 0) == 0:
            problems.append(f"the {code.describe()} ({{{number}}}) is missing")
        elif seen[number] > 1:
            problems.append(f"the {code.describe()} ({{{number}}}) is there {seen[number]} times")
    if not problems:
        problems += _typed_codes(parse(text), source)
    return text, problems


def _joined(target: list, known: dict[int, Code], seen: dict[int, int], problems: list[str]) -> str:
    pieces = []
    for part in target:
        if isinstance(part, str):
            pieces.append(part)
            continue
        code = known.get(part.id)
        if code is None:
            problems.append(f"code {{{part.id}}} is not in the source")
            continue
        seen[part.id] = seen.get(part.id, 0) + 1
        if code.paired != (part.content is not None):
            problems.append(f"the {code.describe()} ({{{part.id}}}) must {'wrap text' if code.paired else 'stand alone'}")
            continue
        inside = _joined(part.content, known, seen, problems) if part.content is not None else ""
        pieces.append(code.open + inside + (code.close or ""))
    return "".join(pieces)


def _typed_codes(rebuilt: list, source: list) -> list[str]:
    """Return a problem for each citation, note mark or link the rebuilt text has that the source has not."""
    def signature(content: list) -> list[str]:
        return sorted(c.open if not c.paired else c.kind + (c.close if c.kind == "link" else "")
                      for c in codes(content).values() if c.kind in ("citation", "note-mark", "link", "note"))

    extra = list(signature(rebuilt))
    for one in signature(source):
        if one in extra:
            extra.remove(one)
    return [f"the text makes a {one.split(']', 1)[0] if one.startswith('link') else one} the source does not have" for one in extra]
