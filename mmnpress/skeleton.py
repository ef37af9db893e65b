"""Start a statement from a commented skeleton that builds as it is.

`mmnpress new KIND SLUG` writes ``statements/<today>-<slug>.yaml`` in the
project around the working folder, from ``skeletons/<kind>.yaml``, and never
overwrites a file. Outside any project it writes into the working folder
(its statements/ when there is one) and the statement uses the bundled house
style. Its first line points editors that use the YAML language server to
the project's copy of the JSON Schema, which `new` writes or refreshes in
``.mmnpress/statement.schema.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from string import Template

from .errors import MmnpressError, display_path
from .profile import export as profile_schema
from .schema_json import SCHEMA_FILE, write_for_project

SKELETONS = Path(__file__).with_name("skeletons")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SUBTITLES = {"statement": "{name} Statement", "position-paper": "{name} position paper"}


def create(kind: str, slug: str, lang: str = "en", organisation: str | None = None,
           where: Path | None = None, today: dt.date | None = None) -> Path:
    """Write a new statement from the skeleton of `kind`; return its path."""
    _check_slug(slug)
    _check_lang(lang)
    from .pipeline.project import HOUSE, choose_organisation, project_around

    start = (where or Path.cwd()).resolve()
    root = project_around(start)
    folder = choose_organisation(root, organisation)
    date = (today or dt.date.today()).isoformat()
    house = folder == HOUSE
    target = root / "statements" if not house or (root / "statements").is_dir() else start
    schema = Path(os.path.relpath(root / SCHEMA_FILE, target)).as_posix()
    text = render(kind, lang=lang, date=date, organisation=None if house else folder.name, name=_profile_name(folder),
                  schema=schema)
    path = write_new(target / f"{date}-{slug}.yaml", text)
    write_for_project(root)
    if not house:
        profile_schema.write_for_project(root)  # refreshed, as the statements' schema is, for the profile's first line
    return path


def render(kind: str, *, lang: str, date: str, organisation: str | None, name: str,
           schema: str = f"../{SCHEMA_FILE.as_posix()}") -> str:
    """Return the skeleton of `kind` with its placeholders filled in (no organisation: the house style)."""
    skeleton = (SKELETONS / f"{kind}.yaml").read_text(encoding="utf-8")
    subtitle = SUBTITLES.get(kind, "{name}").format(name=name)
    if organisation is None:
        lines = "# organisation: your-name                # a folder under templates/ with a profile.yaml (mmnpress init)\n"
    else:
        lines = f"# The organisation: its profile.yaml (and any templates of its own) in templates/{organisation}/\n" \
                f"organisation: {organisation}\n"
    values = {"lang": lang, "date": date, "organisation_lines": lines, "subtitle": json.dumps(subtitle, ensure_ascii=False)}
    return f"# yaml-language-server: $schema={schema}\n" + Template(skeleton).substitute(values)


def _check_slug(slug: str) -> None:
    if not SLUG.match(slug):
        raise MmnpressError(f"slug '{slug}' must be lower-case letters and digits joined by hyphens, like asean-consensus")


def _check_lang(lang: str) -> None:
    from .pipeline.model import is_language

    if not is_language(lang):
        raise MmnpressError(f"--lang must be a BCP 47 language tag such as en, th, my, km, lo, vi (got '{lang}')")


def _profile_name(folder: Path) -> str:
    from .pipeline.project import load_organisation

    return load_organisation(folder).profile.name


def write_new(path: Path, text: str, hint: str = "choose another slug or remove it") -> Path:
    """Write `text` into the new file `path`; refuse, saying `hint`, when it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as stream:
            stream.write(text)
    except FileExistsError:
        raise MmnpressError(f"{display_path(path)} already exists; {hint}") from None
    return path
