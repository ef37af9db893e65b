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
from .project import HOUSE
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


@dataclass
class Report:
    """What init wrote and what it found already there."""

    root: Path
    slug: str
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def init(target: Path, slug: str | None = None, name: str | None = None, lang: str = "en",
         today: dt.date | None = None, ci: str | None = None) -> Report:
    """Create the project files under `target` that are missing; return what was written and kept."""
    from .skeleton import _check_lang

    _check_lang(lang)
    slug = slug or _slug(name or "") or _existing(target) or _slug(target.resolve().name) or "organisation"
    if not SLUG.match(slug):
        raise MmnpressError(f"--organisation '{slug}' must be lower-case letters and digits joined by hyphens, like my-org")
    if target.exists() and not target.is_dir():
        raise MmnpressError(f"{display_path(target)} is a file; init needs a folder (new or existing)")
    files = _files(slug, name or PLACEHOLDER_NAME, lang, today or dt.date.today())
    if ci:
        from .site.ci import workflow

        files.update([workflow(ci)])
    report = Report(target, slug)
    for relative, text in files.items():
        path = target / relative
        if path.exists():
            report.kept.append(path)
        else:
            _write(path, text, report)
    if report.written:
        from .schema_json import write_for_project

        write_for_project(target)  # the examples' first line points editors at it
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


def _files(slug: str, name: str, lang: str, today: dt.date) -> dict[str, str]:
    """Return the project's files by path: profile, examples, bibliography, .gitignore."""
    files = {f"templates/{slug}/profile.yaml": profile_text(name, lang)}
    for kind in KINDS:
        files[f"statements/example-{kind}.yaml"] = _example(kind, slug, name, lang, today)
    files[BIBLIOGRAPHY] = json.dumps(EXAMPLE_REFERENCE, indent=2) + "\n"
    files[".gitignore"] = "# outputs of mmnpress build (remake them any time)\nbuild/\n"
    return files


def profile_text(name: str, lang: str) -> str:
    """Return the commented house profile with the organisation's name and language filled in."""
    text = (HOUSE / "profile.yaml").read_text(encoding="utf-8")
    quoted = json.dumps(name, ensure_ascii=False)
    text = re.sub(r"^name: .*$", lambda _: f"name: {quoted}", text, count=1, flags=re.M)
    text = re.sub(r"^short_name: .*$", lambda _: f"short_name: {quoted}", text, count=1, flags=re.M)
    text = text.replace("Your Organisation works", f"{name} works")
    if lang != "en":
        text = text.replace("\n  en: >-\n", f"\n  {lang}: >-\n")
    return text


def _example(kind: str, slug: str, name: str, lang: str, today: dt.date) -> str:
    """Return the skeleton of `kind` for this organisation, citing the example bibliography."""
    text = render(kind, lang=lang, date=today.isoformat(), organisation=slug, name=name)
    text = text.replace("# references: ../bibliography/references.json", "references: ../bibliography/references.json", 1)
    return text.replace("    A second paragraph gives the background.", "    A second paragraph gives the background [@example-report, p. 4].", 1)


def _existing(target: Path) -> str | None:
    """Return the first organisation the project already has, so a second init adds no other."""
    found = sorted(target.glob("templates/*/profile.yaml"))
    return found[0].parent.name if found else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def next_steps(report: Report) -> list[str]:
    """Return the lines init prints: what it wrote, what it left alone, the next three commands."""
    lines = [f"wrote {display_path(p)}" for p in report.written]
    lines += [f"left alone (already there): {display_path(p)}" for p in report.kept]
    go = [] if report.root.resolve() == Path.cwd().resolve() else [f"  cd {display_path(report.root)}"]
    return [*lines, "next:", *go,
            "  mmnpress build                       # statements/ into build/, Word and PDF",
            "  mmnpress new press-release my-news   # start a statement from a skeleton",
            "  mmnpress check                       # find mistakes, with FILE:LINE:COLUMN",
            f"Your name, address, logo, colours and Word letterhead go in templates/{report.slug}/profile.yaml."]
