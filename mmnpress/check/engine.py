"""Check statements without building them: every error a build would meet, and warnings.

Errors are everything `resolve.resolve` reports (YAML, the format, unknown
citation keys and note labels, missing files). Warnings point at things that
build but are probably not meant:

- ``unused-note``: a named note no text refers to;
- ``embargo-past``: an embargo that has already passed;
- ``embargo-before-date``: an embargo that ends before the statement's ``date:``;
- ``citation-brackets``: a ``[`` or ``]`` around a citation without its partner;
- ``markdown-left``: ``^[`` or ``[@`` that pandoc printed as typed, not as a note or citation;
- ``no-media-contact``: a press release without a contact reachable by email or phone;
- ``translation-older``: a translation whose own ``date:`` is earlier than its
  original's (the date field, not file times: git checkouts and copies reset
  file times, so CI would see noise);
- ``translation-recommendations``: a translation with its own recommendations,
  a different number of them than its original;
- ``translation-stale``: a field of a translation whose original changed since it
  was translated (the hash in ``translated_from:`` that ``translate import``
  writes), went, or is new and untranslated;
- ``empty-section``: ``closing: []``, ``recommendations: {items: []}`` and the like;
- ``missing-labels``: labels the catalog of the statement's language lacks,
  which print in English;
- ``embargoed-web``: with ``--to html`` or ``--to email``, a press release whose
  embargo has not ended: the page and the message say so and the page is kept
  out of search engines, but neither should go out before the embargo ends;
- ``template-older``: a Word template kept in templates/<name>/ that was made
  from another version of profile.yaml (it is used as it is);
- ``direction-override``: U+202D or U+202E, which show the text after them in
  another order than it is typed;
- ``site-left-out``: with ``--to site``, a statement `mmnpress site` leaves out
  (a draft, an embargo that holds, an original left out), and why.

With ``--to ninjs`` the statement is also built in memory and its ninjs
object checked against the official schema (rule ``ninjs``, an error).

Two kinds of error the build refuses come from `pipeline/characters.py`
(`resolve.resolve` reports them), so `check` reports them with their place:
a character no font of the PDF renderer has, and Burmese typed in the Zawgyi
encoding instead of Unicode.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import InputError, MmnpressError, display_path, escaped
from ..pipeline.characters import text_values
from ..pipeline.model import Statement
from ..pipeline.source import Node, locate
from ..schema import empty_warnings

EMPTY_SECTIONS = empty_warnings()  # paths like "recommendations.items"
OVERRIDES = {"\u202d", "\u202e"}  # LEFT-TO-RIGHT and RIGHT-TO-LEFT OVERRIDE


@dataclass(frozen=True, order=True)
class Finding:
    """One error or warning at a 1-based position."""

    file: str
    line: int
    column: int
    severity: str  # "error" or "warning"
    message: str
    rule: str = "error"

    def __str__(self) -> str:
        return escaped(f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}")

    def as_dict(self) -> dict:
        """Return the finding as plain data for JSON."""
        return asdict(self)


def check_file(path: Path, now: dt.datetime | None = None, formats: tuple[str, ...] = (),
               ninjs_version: str = "2") -> list[Finding]:
    """Return every error and warning of the statement at `path`, in file order.

    `formats` are those the statement will be built to: they add the checks
    of the web page, the email and ninjs.
    """
    from ..pipeline.project import find_root
    from ..pipeline.resolve import Options, resolve

    if not path.is_file():
        return [Finding(display_path(path), 1, 1, "error", "no such statement file")]
    root = find_root(path)
    try:
        resolved = resolve(path, Options())
        statement, errors = resolved.statement, (_template_warnings(resolved) + _letterhead_warnings(resolved) + _word_errors(resolved, formats)
                                                 + text_findings(resolved))
    except MmnpressError as error:
        statement, errors = _validated(path, root), _errors(error, path)
    warnings = lint(statement, root, now, formats) if statement else []
    if "ninjs" in formats and not errors:
        errors = ninjs_problems(path, ninjs_version)
    return sorted(set(errors + warnings))


def ninjs_problems(path: Path, version: str) -> list[Finding]:
    """Build the statement's ninjs object in memory; return where it breaks the official schema."""
    import json

    from ..pipeline.assemble import assemble
    from ..pipeline.resolve import Options, resolve
    from ..render import ninjs

    try:
        document = assemble(resolve(path, Options()), Options())
        data = json.loads(ninjs.render(document, version))
    except MmnpressError as error:
        return _errors(error, path)
    return [Finding(display_path(path), 1, 1, "error", f"ninjs {ninjs.VERSIONS[version]}: {problem}", "ninjs")
            for problem in ninjs.validate(data, version)]


def text_findings(resolved) -> list[Finding]:
    """Warn about brackets around citations without a partner, and Markdown that printed as typed."""
    from ..pipeline import text, textcheck

    st = resolved.statement
    found = [_placed(item, offset, "citation-brackets", message)
             for item in [*st.texts(), *st.notes.values()]
             for offset, message in textcheck.unbalanced_citation_brackets(item)]
    if found:
        return found  # pandoc would read these wrongly anyway
    result = text.run_text_stage(st, resolved.style, resolved.bibliographies, resolved.note_style)
    placed = [_placed(field, offset, "markdown-left", message)
              for item in st.texts() if item.path in result.fields
              for field, offset, message in textcheck.markdown_left(item, result.fields[item.path], st.notes)]
    return list(dict.fromkeys(placed))  # a named note used twice prints its leftover twice


def _placed(item, offset: int, rule: str, message: str) -> Finding:
    """Return a warning at `offset` of a text field's source, placed in its file."""
    source = item.source
    start = max(source.rfind(" ", 0, offset) + 1, source.rfind("\n", 0, offset) + 1)
    end = min(i for i in (source.find(" ", offset), source.find("\n", offset), len(source)) if i >= 0)
    needle = source[start:max(end, offset + 1)]
    line, column = locate(item.node, needle, skip=source.count(needle, 0, start))
    return Finding(display_path(item.node.file), line, column + offset - start, "warning", message, rule)


def _template_warnings(resolved) -> list[Finding]:
    from ..templates import stale_templates

    return [Finding(display_path(path), 1, 1, "warning", message, "template-older")
            for path, message in stale_templates(resolved.organisation, resolved.statement.kind)]


def _letterhead_warnings(resolved) -> list[Finding]:
    """Return what building on the organisation's letterhead strips from it (live fields, linked pictures, ...)."""
    from ..render.letterhead import hazards

    letterhead = resolved.organisation.letterhead
    line = hazards(letterhead) if letterhead is not None else None
    return [Finding(display_path(letterhead), 1, 1, "warning", line.split(": ", 1)[1], "letterhead-stripped")] if line else []


def _word_errors(resolved, formats: tuple[str, ...]) -> list[Finding]:
    """Report what stops the Word file (a letterhead not found), unless the check is --to formats without docx."""
    from ..templates import word_template_problems

    if formats and "docx" not in formats:
        return []
    return [Finding(p.file, p.line, p.column, "error", p.message) for p in word_template_problems(resolved.organisation, resolved.statement.kind)]


def _errors(error: MmnpressError, path: Path) -> list[Finding]:
    if isinstance(error, InputError):
        return [Finding(p.file, p.line, p.column, "error", p.message) for p in error.problems]
    return [Finding(display_path(path), 1, 1, "error", line) for line in error.lines()]


def _validated(path: Path, root: Path) -> Statement | None:
    """Return the statement if it loads and validates (its references may still be wrong)."""
    from ..pipeline.translations import load_statement

    try:
        return load_statement(path, root)
    except MmnpressError:
        return None


def lint(statement: Statement, root: Path, now: dt.datetime | None = None, formats: tuple[str, ...] = ()) -> list[Finding]:
    """Return the warnings for a validated statement to be built to `formats`."""
    now = now or dt.datetime.now(dt.UTC)
    return [
        *unused_notes(statement),
        *embargo_past(statement, now),
        *embargoed_web(statement, now, formats),
        *embargo_before_date(statement),
        *no_media_contact(statement),
        *translation_drift(statement, root),
        *empty_sections(statement),
        *missing_labels(statement),
        *direction_overrides(statement),
        *left_out_of_site(statement, root, now, formats),
    ]


def _warning(node: Node, rule: str, message: str) -> Finding:
    return Finding(display_path(node.file), node.line, node.column, "warning", message, rule)


def direction_overrides(st: Statement) -> list[Finding]:
    """Warn about bidirectional overrides: they show the text after them reversed, unlike what it says."""
    found = []
    for node in text_values(st):
        for char in sorted({c for c in node.value if c in OVERRIDES}, key=node.value.index):
            line, column = locate(node, char)
            message = (f"U+{ord(char):04X} {unicodedata.name(char)} makes the text after it show in another order "
                       "than it is typed (readers see something else than what is checked); delete it")
            found.append(Finding(display_path(node.file), line, column, "warning", message, "direction-override"))
    return found


def unused_notes(st: Statement) -> list[Finding]:
    """Warn about named notes that no text field refers to (pandoc cannot nest notes)."""
    from ..pipeline.textcheck import used_note_labels

    used = used_note_labels(st)
    notes = st.root.get("notes")
    return [
        _warning(notes.key_node(label), "unused-note", f"note '{label}' is never used; refer to it as [^{label}] or remove it")
        for label in st.notes
        if label not in used
    ]


def embargo_past(st: Statement, now: dt.datetime) -> list[Finding]:
    """Warn when the embargo has already passed."""
    if st.embargo is None or st.embargo >= now:
        return []
    message = f"the embargo ({st.embargo.isoformat()}) has passed; change it or set release: immediate"
    return [_warning(st.root.get("embargo"), "embargo-past", message)]


def embargoed_web(st: Statement, now: dt.datetime, formats: tuple[str, ...]) -> list[Finding]:
    """Warn when a release still under embargo is built to a web page or an email."""
    web = [f for f in formats if f in ("html", "email")]
    if not web or st.release != "embargoed" or st.embargo is None or st.embargo < now:
        return []
    message = (f"embargoed until {st.embargo.isoformat()}, and built to {' and '.join(web)}: the page and message say so "
               "and the page asks search engines not to index it, but publish neither before then; rebuild the page after")
    return [_warning(st.root.get("embargo"), "embargoed-web", message)]


def embargo_before_date(st: Statement) -> list[Finding]:
    """Warn when the embargo ends before the statement's own date."""
    if st.embargo is None or st.embargo.date() >= st.date:
        return []
    message = f"the embargo ({st.embargo.isoformat()}) ends before the statement's date ({st.date.isoformat()}); correct one of them"
    return [_warning(st.root.get("embargo"), "embargo-before-date", message)]


def no_media_contact(st: Statement) -> list[Finding]:
    """Warn when a press release names nobody to reach by email or phone."""
    if st.kind != "press-release" or any(c.email or c.phone for c in st.contacts):
        return []
    node = st.root.get("contacts") or st.root.get("kind")
    message = "a press release needs a media contact: add one with an email or phone under contacts:"
    return [_warning(node, "no-media-contact", message)]


def translation_drift(st: Statement, root: Path) -> list[Finding]:
    """Warn when a translation is dated before its original or differs in recommendations."""
    if st.extends is None or len(st.sources) < 2:
        return []
    original = _validated(st.sources[1], root)
    if original is None:
        return []
    return [*_older(st, original), *_recommendation_count(st, original), *_stale_fields(st, original)]


def _own(st: Statement, key: str) -> Node | None:
    """Return the value node of `key` when the translation itself gives it (not inherited)."""
    node = st.root.get(key)
    return node if node is not None and node.file == st.file else None


def _older(st: Statement, original: Statement) -> list[Finding]:
    node = _own(st, "date")
    if node is None or st.date >= original.date:
        return []
    message = (
        f"this translation is dated {st.date.isoformat()}, before its original "
        f"{display_path(original.file)} ({original.date.isoformat()}); bring it up to date"
    )
    return [_warning(node, "translation-older", message)]


def _stale_fields(st: Statement, original: Statement) -> list[Finding]:
    from ..pipeline.provenance import stale

    record = _own(st, "translated_from")
    if record is None:
        return []
    given = {key for key, (_, value) in st.root.entries.items() if value.file == st.file}
    return [_warning(record.get(path) or record, "translation-stale", f"{st.lang}: {path} {what}")
            for path, what in stale(st.translated_from, original.root, given)]


def _recommendation_count(st: Statement, original: Statement) -> list[Finding]:
    if _own(st, "recommendations") is None or len(st.recommendations) == len(original.recommendations):
        return []
    message = (
        f"this translation has {len(st.recommendations)} recommendations, its original "
        f"{display_path(original.file)} has {len(original.recommendations)}"
    )
    return [_warning(st.root.key_node("recommendations"), "translation-recommendations", message)]


def empty_sections(st: Statement) -> list[Finding]:
    """Warn about sections given with nothing in them."""
    found = [(path, _node_at(st.root, path)) for path in EMPTY_SECTIONS]
    return [
        _warning(node, "empty-section", f"'{key}' is empty; fill it in or remove it")
        for key, node in found
        if node is not None and node.kind != "scalar" and not (node.items or node.entries)
    ]


def _node_at(root: Node, path: str) -> Node | None:
    """Return the node at a dotted path of mapping keys, or None."""
    node = root
    for key in path.split("."):
        node = node.get(key) if node.kind == "map" else None
        if node is None:
            return None
    return node


def left_out_of_site(st: Statement, root: Path, now: dt.datetime, formats: tuple[str, ...]) -> list[Finding]:
    """With --to site, say why the site leaves the statement out, if it does."""
    from ..site.discover import why_left_out

    if "site" not in formats:
        return []
    reason = why_left_out(st, now)
    for original in st.sources[1:] if reason is None else ():
        loaded = _validated(original, root)
        if loaded is None or why_left_out(loaded, now):
            reason = f"a translation of {display_path(original)}, which the site leaves out"
    if reason is None:
        return []
    node = st.root.get("embargo") if "embargo" in reason else (st.root.get("status") or st.root.get("extends") or st.root)
    return [_warning(node, "site-left-out", f"left out of the site: {reason}")]


def missing_labels(st: Statement) -> list[Finding]:
    """Warn when the catalog of the statement's language lacks labels."""
    from .. import i18n

    missing = i18n.labels(st.lang).missing
    if not missing:
        return []
    if len(missing) == len(i18n.LABEL_KEYS):
        message = f"no label catalog for '{st.lang}': every label prints in English"
    else:
        message = f"the '{st.lang}' label catalog lacks {', '.join(missing)}; these print in English"
    return [_warning(st.root.get("lang"), "missing-labels", message)]
