"""Make a new project that builds at once: `mmnpress init`.

A project is a folder holding templates/<name>/profile.yaml (the
organisation), statements/ (one example of each kind), bibliography/ (a
small example) and a .gitignore for build/. Nothing that exists is ever
overwritten: init adds what is missing and names what it left alone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import MmnpressError, display_path
from .pipeline.project import HOUSE
from .profile import export as profile_schema
from .schema import KINDS
from .skeleton import SLUG, render

BIBLIOGRAPHY = "bibliography/references.json"
EXAMPLE_REFERENCE = [{
    "id": "example-report",
    "type": "report",
    "title": "Replace this entry with a source you cite",
    "author": [{"family": "Author", "given": "An"}],
    "publisher": "Publisher",
    "issued": {"date-parts": [[2024]]},
    "URL": "https://www.example.org/report",
}]
PLACEHOLDER_NAME = "Your Organisation"
MINOR_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "&"})


@dataclass
class Report:
    """What init wrote and what it found already there."""

    root: Path
    slug: str
    short_name: str = PLACEHOLDER_NAME
    made: tuple[str, ...] = ()  # what init made from the full name: "short name", "folder"
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def init(target: Path, slug: str | None = None, name: str | None = None, lang: str = "en",
         today: dt.date | None = None, short_name: str | None = None, more: dict[str, str] | None = None) -> Report:
    """Create the project files under `target` that are missing (and the `more` files: path -> text); return what was written and kept."""
    from .skeleton import _check_lang

    _check_lang(lang)
    _check_name(name)
    made = tuple(what for what, given in (("short name", short_name), ("folder", slug)) if name and not given)
    short_name = short_name or (short_name_of(name) if name else "")
    slug = slug or _slug(short_name) or _slug(name or "") or _existing(target) or _slug(target.resolve().name) or "organisation"
    if not SLUG.match(slug):
        raise MmnpressError(f"--organisation '{slug}' must be lower-case letters and digits joined by hyphens, like my-org")
    if target.exists() and not target.is_dir():
        raise MmnpressError(f"{display_path(target)} is a file; init needs a folder (new or existing)")
    files = _files(slug, name or PLACEHOLDER_NAME, short_name or PLACEHOLDER_NAME, lang, today or dt.date.today())
    files.update(more or {})  # e.g. a workflow that publishes the site
    report = Report(target, slug, short_name=short_name or PLACEHOLDER_NAME, made=made)
    for relative, text in files.items():
        path = target / relative
        if path.exists():
            report.kept.append(path)
        else:
            _write(path, text, report)
    if report.written:
        from .schema_json import write_for_project

        write_for_project(target)  # the examples' first line points editors at it
        profile_schema.write_for_project(target)  # and the profile's
    return report


def _write(path: Path, text: str, report: Report) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as stream:
            stream.write(text)
    except FileExistsError:
        report.kept.append(path)
        return
    except OSError as error:
        if report.written:
            raise MmnpressError(f"cannot write {display_path(path)}: {error.strerror or error} "
                                f"(wrote {', '.join(display_path(p) for p in report.written)})") from None
        raise MmnpressError(f"cannot write in {display_path(report.root)}: {error.strerror or error}") from None
    report.written.append(path)


def _files(slug: str, name: str, short_name: str, lang: str, today: dt.date) -> dict[str, str]:
    """Return the project's files by path: profile, examples, bibliography, .gitignore."""
    files = {f"templates/{slug}/profile.yaml": profile_text(name, lang, short_name)}
    for kind in KINDS:
        files[f"statements/example-{kind}.yaml"] = _example(kind, slug, name, lang, today)
    files[BIBLIOGRAPHY] = json.dumps(EXAMPLE_REFERENCE, indent=2) + "\n"
    files[".gitignore"] = "# outputs of mmnpress build (remake them any time)\nbuild/\n"
    return files


def profile_text(name: str, lang: str, short_name: str | None = None) -> str:
    """Return the commented house profile with the organisation's name, short name and language filled in, naming its JSON Schema first.

    The values are set through ruamel's round trip (comments and layout kept),
    never pasted into the text, so any name is written as YAML that loads.
    """
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import FoldedScalarString

    yaml = YAML()
    yaml.preserve_quotes, yaml.width = True, 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load((HOUSE / "profile.yaml").read_text(encoding="utf-8"))
    data["name"], data["short_name"] = name, short_name or name
    about = data["about"]["en"]
    folded = FoldedScalarString(about.replace(PLACEHOLDER_NAME, name, 1))
    shift = len(name) - len(PLACEHOLDER_NAME)  # the name starts the paragraph: every fold moves by as much
    folded.fold_pos = [position + shift for position in getattr(about, "fold_pos", [])]
    if lang != "en":
        del data["about"]["en"]
    data["about"][lang] = folded
    written = io.StringIO()
    yaml.dump(data, written)
    return profile_schema.SCHEMA_LINE + written.getvalue()


def _check_name(name: str | None) -> None:
    from .addresses import line_problem

    problem = line_problem(name) if name else None
    if problem:
        raise MmnpressError(f"--name {problem}")


def _example(kind: str, slug: str, name: str, lang: str, today: dt.date) -> str:
    """Return the skeleton of `kind` for this organisation, citing the example bibliography."""
    text = render(kind, lang=lang, date=today.isoformat(), organisation=slug, name=name)
    text = text.replace("# references: ../bibliography/references.json", "references: ../bibliography/references.json", 1)
    return text.replace("    A second paragraph gives the background.", "    A second paragraph gives the background [@example-report, p. 4].", 1)


def _existing(target: Path) -> str | None:
    """Return the first organisation the project already has, so a second init adds no other."""
    found = sorted(target.glob("templates/*/profile.yaml"))
    return found[0].parent.name if found else None


def short_name_of(name: str) -> str:
    """Return a short name for the full `name`: its acronym in brackets, else the initials of its main words.

    "Cambodian Women Workers Network" gives CWWN, "Foundation for Education and Development (FED)" FED;
    a name of one word, or whose words do not all start with Latin letters, is its own short name.
    """
    given = re.search(r"\(([^()\s]{2,12})\)\s*$", name)
    if given:
        return given.group(1)
    words = [w for w in re.split(r"[\s/-]+", name) if w and w.lower() not in MINOR_WORDS]
    if len(words) < 2 or not all(w[0].isascii() and w[0].isalpha() for w in words):
        return name.strip()
    return "".join(w[0] for w in words).upper()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def next_steps(report: Report) -> list[str]:
    """Return the lines init prints: what it wrote, what it left alone, the next three commands."""
    lines = [f"wrote {display_path(p)}" for p in report.written]
    lines += [f"left alone (already there): {display_path(p)}" for p in report.kept]
    go = [] if report.root.resolve() == Path.cwd().resolve() else [f"  cd {display_path(report.root)}"]
    return [*lines, *_naming(report), "next:", *go,
            "  mmnpress build                       # statements/ into build/, Word and PDF",
            "  mmnpress new press-release my-news   # start a statement from a skeleton",
            "  mmnpress check                       # find mistakes, with FILE:LINE:COLUMN",
            f"Your name, address, logo, colours and Word letterhead go in templates/{report.slug}/profile.yaml."]


def _naming(report: Report) -> list[str]:
    """Return the lines that say which short name and folder init made from the full name, and how to change them."""
    lines = []
    if "short name" in report.made:
        lines.append(f"short name {report.short_name} (made from the name; --short-name chooses it): edit short_name in the profile to change it")
    if "folder" in report.made:
        lines.append(f"folder templates/{report.slug}/ (made from the short name; --organisation chooses it): to change it, rename "
                     f"the folder and the line `organisation: {report.slug}` of each statement")
    return lines
