"""The text stage: every text field of a statement through pandoc, once.

All text fields are joined into one Markdown document, each field one
paragraph that starts with a sentinel word, parsed by pandoc, and given to
citeproc in a single call. Citations and free notes therefore share one
footnote sequence and the style's Ibid./short forms. The pandoc AST is split
back per field and turned into rich text (`document.Run` / `document.Note`).
A process that builds again (watch, the build server, a batch worker) keeps
each field's parse and hands pandoc only the fields it has not parsed with
the same notes; joined, they are the AST one parse of the whole gives.

Block-level Markdown cannot start inside a field (the sentinel comes first),
and raw HTML, TeX and maths are switched off, so everything a user types
prints as typed. Before pandoc sees a statement, `textcheck.check_markdown`
reports what it must not be given (unknown labels and keys, runaway brackets).
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..document import Note, Rich, Run
from ..unicode.scripts import char_language, is_hangul
from . import bibliography, pandocworker
from .model import Statement, Text
from .pandocrun import PANDOC_SAFETY, PandocRun, pandoc_path

MARKDOWN = "markdown" + "".join(
    f"-{ext}"
    for ext in (
        "smart", "raw_html", "raw_tex", "raw_attribute", "tex_math_dollars",
        "tex_math_single_backslash", "native_divs", "native_spans", "fenced_divs",
        "implicit_figures", "yaml_metadata_block", "pandoc_title_block", "line_blocks",
        "example_lists", "definition_lists", "auto_identifiers", "emoji",
    )
)


@dataclass
class TextResult:
    """Rich text per YAML path, plus the reference list of author-date styles."""

    fields: dict[str, Rich]
    references: list[Rich]


def run_text_stage(statement: Statement, style: Path, bibliographies: list[Path], note_style: bool) -> TextResult:
    """Parse every text field with pandoc + citeproc and return rich text per path."""
    return start_text_stage(statement, style, bibliographies, note_style).finish()


def start_text_stage(statement: Statement, style: Path, bibliographies: list[Path], note_style: bool) -> PendingText:
    """Parse every text field and start citeproc if needed; `finish()` collects the result.

    The caller may do other work (imports, loading templates) while citeproc runs.
    Citations formatted before for the same style, sources and citation sequence
    are reused without running citeproc (see `citations`).
    """
    from . import citations

    texts = statement.texts()
    nonce = "Zq" + secrets.token_hex(4)
    lang = statement.lang.split("-")[0]
    parsed = parse_fields(texts, statement.notes, statement.lang, nonce)
    if parsed is not None:
        ast = _joined_ast(parsed, nonce, statement.lang)
    else:  # a field that is not one paragraph on its own: the whole text in one document, as it always parses
        ast = _parse(_joined_markdown(texts, statement.notes, nonce), statement.lang)
    pending = PendingText(ast, texts, nonce, lang, typographic=statement.quotes == "typographic", parsed=parsed)
    if citations.has_citations(ast):
        key = (citations.settings_key(style, bibliographies, statement.lang, note_style), citations.sequence_key(ast))
        known = citations.lookup(key)
        if known is not None and citations.context_free(ast, known, note_style):
            citations.apply(ast, known)
        else:
            command = _citeproc_command(style, bibliographies, statement.lang, note_style)
            pending.citeproc = (key, note_style, pandocworker.run(command, json.dumps(ast).encode("utf-8")))
    return pending


@dataclass
class Parsed:
    """One text field as pandoc parsed it: its paragraph's inlines after the sentinel, and its rich text once made."""

    inlines: list
    cited: bool
    rich: dict[bool, Rich] = field(default_factory=dict)  # by whether quotes are curled


# Fields parsed before, by (language, note definitions, the field's line): a
# watcher or server hands pandoc only the fields an edit changed. A field is
# parsed alone exactly as in the joined document, since it is one paragraph
# and every note definition travels with it.
_PARSED: dict[tuple[str, str, str], Parsed] = {}
_PARSED_MOST = 20_000
_HEADERS: dict[str, dict] = {}  # pandoc's api version and metadata, by language


def parse_fields(texts: list[Text], notes: dict[str, Text], lang: str, nonce: str) -> list[Parsed] | None:
    """Return every field parsed by pandoc, parsing only those not parsed before with the same notes.

    Return None when pandoc does not return a field as one paragraph of its own.
    """
    definitions = _definitions(notes)
    keys = [(lang, definitions, _one_line(t.source)) for t in texts]
    missing: dict[tuple, int] = {}
    for index, key in enumerate(keys):
        if key not in _PARSED:
            missing.setdefault(key, index)  # a line typed twice is parsed once
    if missing:
        paragraphs = [f"{_sentinel(nonce, index)} {key[2]}" for key, index in missing.items()]
        ast = _parse("\n\n".join([*paragraphs, definitions]) + "\n", lang)
        if not _remember_fields(ast["blocks"], nonce, {index: key for key, index in missing.items()}):
            return None
    return [_PARSED[key] for key in keys]


def _parse(markdown: str, lang: str) -> dict:
    """Return pandoc's AST of `markdown`, keeping its api version and metadata for joined ASTs."""
    command = [pandoc_path(), *PANDOC_SAFETY, "-f", MARKDOWN, "-t", "json", "-M", f"lang={lang}"]
    ast = pandocworker.run(command, markdown.encode("utf-8")).result()
    _HEADERS[lang] = {k: v for k, v in ast.items() if k != "blocks"}
    return ast


def _remember_fields(blocks: list[dict], nonce: str, keys: dict[int, tuple]) -> bool:
    """Keep the paragraph of each field pandoc returned; tell whether each came back as exactly one paragraph."""
    from .citations import has_citations

    found: dict[int, list] = {}
    for block in blocks:
        index, inlines = _strip_sentinel(block["c"], nonce) if block["t"] == "Para" else (None, [])
        if index is None or index in found or index not in keys:
            return False
        found[index] = inlines
    if len(found) != len(keys):
        return False
    if len(_PARSED) + len(found) > _PARSED_MOST:
        _PARSED.clear()
    for index, inlines in found.items():
        _PARSED[keys[index]] = Parsed(inlines, has_citations({"blocks": [{"t": "Para", "c": inlines}]}))
    return True


def _joined_ast(parsed: list[Parsed], nonce: str, lang: str) -> dict:
    """Return the AST of all fields joined, as pandoc parses the joined document; its citations are its own."""
    from .citations import own_citations

    blocks = []
    for index, field_parsed in enumerate(parsed):
        inlines = own_citations(field_parsed.inlines) if field_parsed.cited else field_parsed.inlines
        blocks.append({"t": "Para", "c": [{"t": "Str", "c": _sentinel(nonce, index)}, {"t": "Space"}, *inlines]})
    _number_citations(blocks)
    return {**_HEADERS[lang], "blocks": blocks}


def _number_citations(blocks: list) -> None:
    """Give each citation the note number pandoc gives it in the joined document (citeproc's Ibid. depends on it).

    Pandoc counts notes and citations outside notes in the order of the text;
    a citation inside a note takes that note's number.
    """
    from .citations import walk

    count = note = 0
    for kind, element, in_note, _ in walk(blocks):
        if kind == "note":
            count += 1
            note = count
            continue
        if not in_note:
            count += 1
        for citation in element["c"][0]:
            citation["citationNoteNum"] = note if in_note else count


def _joined_markdown(texts: list[Text], notes: dict[str, Text], nonce: str) -> str:
    paragraphs = [f"{_sentinel(nonce, i)} {_one_line(t.source)}" for i, t in enumerate(texts)]
    return "\n\n".join([*paragraphs, _definitions(notes)]) + "\n"


def _definitions(notes: dict[str, Text]) -> str:
    return "\n\n".join(f"[^{label}]: {_one_line(t.source)}" for label, t in notes.items())


def _one_line(source: str) -> str:
    return re.sub(r"\s*\n\s*", " ", source.strip())


def _citeproc_command(style: Path, bibliographies: list[Path], lang: str, note_style: bool) -> list[str]:
    style = bibliography.localized_style(style, lang)  # Burmese, Khmer and Lao terms travel inside the style
    command = [pandoc_path(), *PANDOC_SAFETY, "-f", "json", "-t", "json", "-M", f"lang={lang}", "--citeproc", "--csl", str(style)]
    for path in bibliographies:
        command += ["--bibliography", str(path)]
    if note_style:
        command += ["-M", "suppress-bibliography=true"]
    return command


class PendingText:
    """Parsed text fields, with a citeproc run possibly under way."""

    def __init__(self, ast: dict, texts: list[Text], nonce: str, lang: str, typographic: bool = True,
                 parsed: list[Parsed] | None = None):
        self.ast, self.texts, self.nonce, self.lang = ast, texts, nonce, lang
        self.typographic, self.parsed = typographic, parsed
        self.citeproc: tuple[tuple, bool, PandocRun | pandocworker.Request] | None = None

    def finish(self) -> TextResult:
        """Wait for citeproc if it runs, and return rich text per YAML path."""
        from . import citations

        ast = self.ast
        if self.citeproc is not None:
            key, note_style, run = self.citeproc
            ast = run.result()
            formatted = citations.formatted_of(ast)
            if citations.context_free(self.ast, formatted, note_style):
                citations.remember(key, formatted)
        fields, references = _split(ast["blocks"], self.nonce, skip=self._made())
        rich = {text.path: self._rich(index, fields.get(index, ())) for index, text in enumerate(self.texts)}
        return TextResult(rich, [tag_scripts(r, self.lang) for r in references])

    def _made(self) -> set[int]:
        """Return the fields whose rich text was made before."""
        return {i for i, parsed in enumerate(self.parsed or ()) if not parsed.cited and self.typographic in parsed.rich}

    def _rich(self, index: int, pieces: Rich) -> Rich:
        """Return a field's rich text, made once per parse of a field without citations."""
        parsed = self.parsed[index] if self.parsed else None
        if parsed is not None and not parsed.cited and self.typographic in parsed.rich:
            return parsed.rich[self.typographic]
        rich = tag_scripts(curl_quotes(pieces) if self.typographic else pieces, self.lang)
        if parsed is not None and not parsed.cited:
            parsed.rich[self.typographic] = rich
        return rich


def _split(blocks: list[dict], nonce: str, skip: set[int] = frozenset()) -> tuple[dict[int, Rich], list[Rich]]:
    """Return the pieces of each field's paragraph (but those in `skip`) and the entries of the reference list."""
    fields: dict[int, Rich] = {}
    references: list[Rich] = []
    for block in blocks:
        if block["t"] == "Para":
            index, inlines = _strip_sentinel(block["c"], nonce)
            if index is not None and index not in skip:
                fields[index] = _merge(_inlines(inlines, PLAIN))
        elif block["t"] == "Div" and block["c"][0][0] == "refs":
            references = [_merge(_blocks_pieces(entry["c"][1])) for entry in block["c"][1] if entry["t"] == "Div"]
    return fields, references


def _sentinel(nonce: str, index: int) -> str:
    """Return the word that starts the paragraph of field `index` (`_strip_sentinel` reads it back)."""
    return f"{nonce}F{index}"


def _strip_sentinel(inlines: list[dict], nonce: str) -> tuple[int | None, list[dict]]:
    if not inlines or inlines[0]["t"] != "Str" or not inlines[0]["c"].startswith(nonce + "F"):
        return None, inlines
    index = int(inlines[0]["c"][len(nonce) + 1:])
    rest = inlines[1:]
    if rest and rest[0]["t"] in ("Space", "SoftBreak"):
        rest = rest[1:]
    return index, rest


def _blocks_pieces(blocks: list[dict]) -> list:
    pieces: list = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            pieces += [p for p in _inlines(block["c"], PLAIN) if not isinstance(p, Note)]
    return pieces


def _note(blocks: list[dict]) -> Note:
    paragraphs = []
    for block in blocks:
        if block["t"] in ("Para", "Plain"):
            pieces = [p for p in _inlines(block["c"], PLAIN) if not isinstance(p, Note)]
            paragraphs.append(_merge(pieces))
    return Note(tuple(paragraphs))


# While walking the AST, text travels as (text, style) pairs; a style is a
# tuple of Run's fields after `text`, which is far cheaper than Run objects.
_STYLE_FIELDS = ("em", "strong", "sup", "sub", "strike", "smallcaps", "code", "link")
PLAIN = (False,) * 7 + (None,)
_FLAG_OF = {
    "Emph": "em", "Strong": "strong", "Superscript": "sup", "Subscript": "sub",
    "Strikeout": "strike", "SmallCaps": "smallcaps", "Underline": "em",
}
_QUOTES = {"DoubleQuote": ("\u201c", "\u201d"), "SingleQuote": ("\u2018", "\u2019")}


def _with(style: tuple, name: str, value) -> tuple:
    index = _STYLE_FIELDS.index(name)
    return style[:index] + (value,) + style[index + 1:]


def _inlines(inlines: list[dict], style: tuple) -> list:
    out: list = []
    for inline in inlines:
        out += _inline(inline, style)
    return out


def _inline(inline: dict, style: tuple) -> list:
    kind, content = inline["t"], inline.get("c")
    if kind == "Str":
        return [(content, style)]
    if kind in ("Space", "SoftBreak"):
        return [(" ", style)]
    if kind == "LineBreak":
        return [("\n", style)]
    if kind in _FLAG_OF:
        return _inlines(content, _with(style, _FLAG_OF[kind], True))
    if kind == "Link":
        return _inlines(content[1], _with(style, "link", content[2][0]))
    if kind == "Note":
        return [_note(content)]
    if kind == "Quoted":
        left, right = _QUOTES[content[0]["t"]]
        return [(left, style), *_inlines(content[1], style), (right, style)]
    return _other_inline(kind, content, style)


def _other_inline(kind: str, content, style: tuple) -> list:
    if kind in ("Cite", "Span", "Image"):
        return _inlines(content[1], style)
    if kind == "Code":
        return [(content[1], _with(style, "code", True))]
    if kind in ("Math", "RawInline"):
        return [(content[1], style)]
    return []


def _merge(pieces: list) -> Rich:
    """Join neighbouring pieces of one style and turn them into runs."""
    groups: list = []
    for piece in pieces:
        if isinstance(piece, Note):
            groups.append(piece)
        elif piece[0]:
            if groups and isinstance(groups[-1], list) and groups[-1][1] == piece[1]:
                groups[-1][0].append(piece[0])
            else:
                groups.append([[piece[0]], piece[1]])
    return tuple(g if isinstance(g, Note) else Run("".join(g[0]), *g[1]) for g in groups)


# Every supported language prints “ ” and ‘ ’: English and Vietnamese by rule,
# Thai, Burmese, Khmer and Lao by common practice in their printed texts.
_OPENING, _CLOSING = {'"': "\u201c", "'": "\u2018"}, {'"': "\u201d", "'": "\u2019"}
_OPENS_AFTER = set("([{\u2014\u2013/-\u201c\u2018")


def curl_quotes(rich: Rich) -> Rich:
    """Turn the straight quotes of `rich` into curly ones; code keeps them, link targets are not text."""
    out: list[Run | Note] = []
    before = ""
    for inline in rich:
        if isinstance(inline, Note):
            out.append(Note(tuple(tuple(r for r in curl_quotes(p) if isinstance(r, Run)) for p in inline.paragraphs)))
            continue
        if not inline.code:
            inline = replace(inline, text=_curled(inline.text, before))
        before = inline.text[-1:] or before
        out.append(inline)
    return tuple(out)


def _curled(text: str, before: str) -> str:
    """Curl the quotes of `text`; a quote opens at the start, after a space or after an opening mark."""
    chars = []
    for char in text:
        if char in _OPENING:
            opens = not before or before.isspace() or before in _OPENS_AFTER
            char = (_OPENING if opens else _CLOSING)[char]
        chars.append(char)
        before = char
    return "".join(chars)


def _latin_language(doc_lang: str) -> str:
    """Return the language assumed for Latin letters: English inside Thai, Burmese, Khmer, Lao."""
    return "en" if doc_lang in ("th", "lo", "my", "km") else doc_lang


def tag_scripts(rich: Rich, doc_lang: str) -> Rich:
    """Split runs where the script changes and tag runs not in the document language."""
    out: list[Run | Note] = []
    for inline in rich:
        if isinstance(inline, Note):
            paragraphs = tuple(tuple(r for r in tag_scripts(p, doc_lang) if isinstance(r, Run)) for p in inline.paragraphs)
            out.append(Note(paragraphs))
        else:
            out += _split_run(inline, doc_lang)
    return tuple(out)


@lru_cache(maxsize=4096)
def _letter_script(char: str) -> str | None:
    """Return the language of the script of `char` (th, lo, my, km, ko), None for other letters, "" for the rest.

    Hangul is Korean wherever it is typed; Han and kana stay with the letters
    around them (a Japanese quote is one run), and Word's font choice tells
    their writings apart.
    """
    script = char_language(char) or ("ko" if is_hangul(char) else None)
    if script is not None:
        return script
    return None if char.isalpha() else ""


def _split_run(run: Run, doc_lang: str) -> list[Run]:
    pieces: list[Run] = []
    current, start = None, 0
    for index, char in enumerate(run.text):
        script = _letter_script(char)
        if script == "":
            continue  # spaces and punctuation stay with the run around them
        lang = script or _latin_language(doc_lang)
        lang = lang if lang != doc_lang else None
        if index and lang != current:
            pieces.append(replace(run, text=run.text[start:index], lang=current))
            start = index
        current = lang
    pieces.append(replace(run, text=run.text[start:], lang=current))
    return [p for p in pieces if p.text]
