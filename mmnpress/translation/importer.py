"""Check a translated exchange file against the original as it is now, then write the translation file.

Every problem is found before anything is written: a file for another
statement or language, a code missing, doubled or invented, a target in
another script or in Zawgyi, a source changed since the export (unless
accepted: the field then keeps the hash of the source it was translated
from, so `check` goes on naming it), a segment left untranslated (unless
partial). Each is one located line; nothing is written when there is one.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import InputError, MmnpressError, Problem, display_path
from ..files import write_atomically
from ..pipeline.project import inside, project_around
from ..pipeline.provenance import parts
from ..pipeline.source import load
from ..pipeline.translations import load_statement
from ..schema import LANG_TAG, TOP_KEYS
from ..unicode.scripts import script_language
from ..unicode.zawgyi import is_zawgyi
from . import inline
from .exchange import Incoming, Returned
from .memory import recorded_digests
from .segments import Segment, segments, translation_path

READERS = {".xlf": "xliff", ".xliff": "xliff", ".po": "po", ".docx": "docx"}
_SCRIPT_NAMES = {"th": "Thai", "my": "Myanmar", "km": "Khmer", "lo": "Lao"}


@dataclass
class Outcome:
    """What an import did: the translation file, the paths it translated and whether the file changed."""

    file: Path
    paths: list[str]
    changed: bool
    marked: list[str]  # stale segments taken with --accept-stale


def read(path: Path) -> Returned:
    """Read an exchange file in the format its name says."""
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        raise MmnpressError(f"{display_path(path)}: translate import reads .xlf, .xliff, .po and .docx files")
    if not path.is_file():
        raise MmnpressError(f"{display_path(path)}: no such file")
    from importlib import import_module

    return import_module(f".{kind}", __package__).read(path)


def import_file(path: Path, partial: bool = False, accept_stale: bool = False, write: bool = True) -> Outcome:
    """Check the exchange file at `path` and write its translation; raise InputError with every problem, writing nothing."""
    returned = read(path)
    problems = [Problem(returned.file, line, 1, message) for line, message in returned.problems]
    if problems:
        raise InputError(problems)
    original_path, root = _original(returned)
    original = load_statement(original_path, root)
    own = translation_path(original_path, returned.target_lang)
    problems += _file_problems(returned, original, own)
    if problems:
        raise InputError(problems)
    current = {segment.path: segment for segment in segments(original.root)}
    translations, digests, marked = {}, {}, []
    for unit in returned.units:
        found = _unit(unit, current.get(unit.path), returned, partial, accept_stale)
        problems += [Problem(returned.file, unit.line, 1, f"segment {unit.path}: {message}") for message in found[0]]
        if found[1] is not None:
            translations[unit.path] = found[1]
            if found[2] is not None:
                digests[unit.path] = found[2]
            if found[2] != current[unit.path].digest:
                marked.append(unit.path)
    problems += _duplicates(returned) + _absent(returned, current, partial)
    if problems:
        raise InputError(problems)
    return _write(original_path, own, returned.target_lang, translations, digests, current, marked, write)


def _original(returned: Returned) -> tuple[Path, Path]:
    root = project_around(Path.cwd())
    original = root / returned.original
    if not returned.original or not inside(original, root) or not original.is_file():
        raise InputError([Problem(returned.file, 1, 1, f"names the statement '{returned.original}', which is not a file of the project "
                                                        f"{display_path(root)}; run the import in the project that exported it")])
    return original, root


def _file_problems(returned: Returned, original, own: Path) -> list[Problem]:
    found = []
    if original.extends is not None:
        found.append("names a translation as its original")
    if returned.source_lang.lower() != original.lang.lower():
        found.append(f"was exported from a '{returned.source_lang}' text, but {display_path(original.file)} is in '{original.lang}'")
    if not LANG_TAG.match(returned.target_lang) or returned.target_lang.split("-")[0] == original.lang.split("-")[0]:
        found.append(f"its target language '{returned.target_lang}' is not a language to translate {display_path(original.file)} into")
    elif own.is_file():
        found += _own_problems(own, original.file, returned.target_lang)
    return [Problem(returned.file, 1, 1, message) for message in found]


def _own_problems(own: Path, original: Path, lang: str) -> list[str]:
    node = load(own)
    extends, language = node.get("extends"), node.get("lang")
    found = []
    if extends is None or extends.kind != "scalar" or (own.parent / extends.value).resolve() != original.resolve():
        found.append(f"{display_path(own)} exists and is not a translation of {display_path(original)}; move it away first")
    if language is None or language.value != lang:
        found.append(f"{display_path(own)} exists and is not in '{lang}'")
    return found


def _unit(unit: Incoming, segment: Segment | None, returned: Returned, partial: bool, accept_stale: bool):
    """Return (problems, Markdown or None, hash to record) for one segment."""
    if segment is None:
        if accept_stale:
            return [], None, None
        return ["is not in the original any more; export again (or import with --accept-stale to leave it out)"], None, None
    problems = []
    if unit.digest != segment.digest and not accept_stale:
        problems.append("its source changed in the original since the export; export again, or import with --accept-stale "
                        "(the segment is then marked stale)")
    if unit.target is None:
        return ([] if partial else ["is not translated (import with --partial to leave it out)"]), None, None
    problems += unit.problems
    if isinstance(unit.target, str):
        unit.target, found = inline.from_placeholders(unit.target, inline.codes(segment.content))
        problems += found
    text, found = _joined(unit.target, segment)
    problems += found + _script_problems(inline.target_text(unit.target), returned.target_lang)
    # a source accepted stale keeps the hash it was translated from; one still marked for review keeps what the file recorded
    recorded = unit.digest if unit.digest != segment.digest else segment.digest if unit.reviewed else None
    return problems, (text if not problems else None), recorded


def _joined(target: list, segment: Segment) -> tuple[str, list[str]]:
    if segment.markdown:
        return inline.rebuild(target, segment.content)
    if any(isinstance(part, inline.Ref) for part in target):
        return "", ["a plain field takes no codes"]
    return "".join(target).strip(), []


def _script_problems(text: str, lang: str) -> list[str]:
    base = lang.split("-")[0].lower()
    written = script_language(text)
    if written is not None and written != base:
        return [f"is written in {_SCRIPT_NAMES[written]} script, not in the script of '{lang}'"]
    if is_zawgyi(text):
        return ["is typed in the Zawgyi encoding; convert it to Unicode (Burmese fonts and readers expect Unicode)"]
    return []


def _duplicates(returned: Returned) -> list[Problem]:
    seen: set[str] = set()
    found = []
    for unit in returned.units:
        if unit.path in seen:
            found.append(Problem(returned.file, unit.line, 1, f"segment {unit.path}: appears twice in the file"))
        seen.add(unit.path)
    return found


def _absent(returned: Returned, current: dict[str, Segment], partial: bool) -> list[Problem]:
    if partial:
        return []
    there = {unit.path for unit in returned.units}
    return [Problem(returned.file, 1, 1, f"segment {path}: is not in this file (new in the original since the export); "
                                         f"export again, or import with --partial") for path in current if path not in there]


def _write(original: Path, own: Path, lang: str, translations: dict[str, str], digests: dict[str, str],
           current: dict[str, Segment], marked: list[str], write: bool) -> Outcome:
    """Merge the translations into the translation file (made when missing) and write it if it changed."""
    from ..review.yamledit import changed

    before = own.read_bytes().decode("utf-8") if own.is_file() else _new_file(original, lang)
    base = yaml.safe_load(original.read_text(encoding="utf-8-sig"))
    given = yaml.safe_load(before) or {}
    recorded = {**recorded_digests(load(own)), **digests} if own.is_file() else dict(digests)
    wanted = _values(base, given, translations)
    wanted["translated_from"] = {path: recorded[path] for path in current if path in recorded}

    def change(data) -> None:
        for key in [k for k in TOP_KEYS if k in wanted]:
            _merge(data, key, wanted[key])

    expected = copy.deepcopy(given)
    change(expected)
    if own.is_file() and expected == given:  # a second import of the same file: nothing to do
        return Outcome(own, list(translations), False, marked)
    _, result, after = changed(before, change)
    if yaml.safe_load(result) != expected:
        raise MmnpressError(f"{display_path(own)}: the translation did not read back as intended; nothing was written")
    differs = after != (own.read_bytes().decode("utf-8") if own.is_file() else None)
    if write and differs:
        write_atomically(own, after.encode("utf-8"))
    return Outcome(own, list(translations), differs, marked)


def _new_file(original: Path, lang: str) -> str:
    return (f"# Translation of {original.name} into '{lang}', made by mmnpress translate import.\n"
            f"# Everything not given here is inherited from the original.\n"
            f"extends: {original.name}\nlang: {lang}\n")


def _values(base: dict, given: dict, translations: dict[str, str]) -> dict:
    """Return the top-level values the translation file must give: its own ones with the translated values set.

    A top-level value the file does not give yet starts as the original's
    (extends inherits whole top-level keys); one whose lists no longer match
    the original's length starts again from the original's.
    """
    wanted: dict = {}
    for path, text in translations.items():
        keys = parts(path)
        top = keys[0]
        if top not in wanted:
            own = given.get(top)
            wanted[top] = copy.deepcopy(own if own is not None and _same_shape(own, base.get(top)) else base.get(top))
        holder = wanted
        for key in keys[:-1]:
            holder = holder[key]
        holder[keys[-1]] = text
    return wanted


def _same_shape(one, other) -> bool:
    if isinstance(one, dict) and isinstance(other, dict):
        return all(_same_shape(one.get(k), v) for k, v in other.items() if k in one)
    if isinstance(one, list) and isinstance(other, list):
        return len(one) == len(other) and all(_same_shape(a, b) for a, b in zip(one, other, strict=True))
    return not isinstance(one, dict | list) and not isinstance(other, dict | list) or one is None


def _merge(holder, key, value) -> None:
    """Set `holder[key]` to `value`, touching only what differs (ruamel data keeps its comments and styles)."""
    from ..review.yamledit import styled_like

    old = holder[key] if (isinstance(holder, list) or key in holder) else None
    if isinstance(old, dict) and isinstance(value, dict):
        for k, v in value.items():
            _merge(old, k, v)
    elif isinstance(old, list) and isinstance(value, list):
        for index, item in enumerate(value):
            if index < len(old):
                _merge(old, index, item)
            else:
                old.append(item)
        del old[len(value):]
    elif old != value:
        holder[key] = styled_like(old, value) if isinstance(old, str) and isinstance(value, str) else value


def report(outcome: Outcome, dry_run: bool) -> str:
    """Return what an import did (or would do), in one or two lines."""
    name = display_path(outcome.file)
    if not outcome.changed:
        return f"{name}: up to date; nothing to change"
    line = f"{name}: {'would write' if dry_run else 'wrote'} {len(outcome.paths)} translated fields"
    if outcome.marked:
        line += f"\n{name}: marked stale (their original changed since the export): {', '.join(outcome.marked)}"
    return line
