"""Start the translation of a statement: `mmnpress new --translate STATEMENT --lang L`.

It writes ``<stem>.<lang>.yaml`` beside the original: `extends:` names the
original and `lang:` the new language, and every key the schema declares
translatable that the original gives follows, commented out, with the
original's text as typed. The file builds as it is (it inherits everything);
the translator uncomments a key and writes the translation in its place.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import MmnpressError, display_path
from ..schema import STATEMENT
from ..schema_json import SCHEMA_FILE, write_for_project
from ..skeleton import _check_lang, write_new

TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def create_translation(original: Path, lang: str) -> Path:
    """Write the translation skeleton of `original` into `lang` beside it; return its path."""
    _check_lang(lang)
    from ..i18n.names import language_name
    from ..pipeline.project import find_root
    from ..pipeline.source import load

    if not original.is_file():
        raise MmnpressError(f"{display_path(original)}: no such statement file")
    tree = load(original)
    given = tree.get("lang")
    if given is not None and given.kind == "scalar" and str(given.value) == lang:
        raise MmnpressError(f"{display_path(original)} is already in '{lang}'; --lang names the language to translate it into")
    target = original.with_name(f"{original.stem}.{lang}{original.suffix}")
    root = find_root(original)
    schema = Path(os.path.relpath(root / SCHEMA_FILE, target.parent)).as_posix()
    name = language_name(lang, "en")
    text = "\n".join([
        f"# yaml-language-server: $schema={schema}",
        f"# The {name} translation of {original.name}. It inherits every key it does not give, so it builds as it is.",
        "# To translate a key, remove the '# ' before its lines and write the translation in place of the original text;",
        "# a key given here replaces the whole key of the original (all of body, all of recommendations).",
        f"extends: {original.name}",
        f"lang: {lang}",
        *_commented(original.read_text(encoding="utf-8"), _translatable()),
    ]) + "\n"
    path = write_new(target, text, "translate into another --lang, or remove it")
    write_for_project(root)
    return path


def _translatable() -> set[str]:
    """Return the top-level keys the schema declares translatable."""
    return {field.key for field in STATEMENT.fields if field.translatable}


def _commented(source: str, keys: set[str]) -> list[str]:
    """Return the translatable top-level keys of `source` as typed, each line commented out, a blank line before each."""
    lines = source.splitlines()
    starts = [(index, match.group(1)) for index, line in enumerate(lines) if (match := TOP_KEY.match(line))]
    out: list[str] = []
    for (start, key), (end, _) in zip(starts, [*starts[1:], (len(lines), "")], strict=True):
        if key not in keys:
            continue
        block = lines[start:end]
        while block and (not block[-1].strip() or block[-1].startswith("#")):
            block.pop()  # blank lines and the comments that lead into the next key
        out += ["", *(f"# {line}".rstrip() for line in block)]
    return out
