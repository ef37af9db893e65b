"""The project around a statement: its folders, organisation profile and files.

A project is the folder that holds `statements/`, `templates/` and
`bibliography/` (`mmnpress init` makes one). Statements may read files only
inside it: `extends`, `references` and CSL paths that resolve (symlinks
followed) outside the project are errors. A statement with no organisation
profile around it uses the house style bundled with mmnpress.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..document import Profile
from ..errors import InputError, MmnpressError, Problem, display_path
from ..files import inside, resolved  # noqa: F401 - where statements and templates read them
from ..profile import validate
from ..profile.config_options import DEFAULT_KEY, Check
from .source import Node, load

HOUSE = Path(__file__).parent.parent / "house"
LAYOUT = "templates/<name>/profile.yaml"


@dataclass(frozen=True)
class Organisation:
    """A profile plus its folder and the nodes of its boilerplate per language."""

    profile: Profile
    folder: Path
    about: dict[str, Node]
    letterhead: Path | None = None
    letterhead_styles: str = "house"  # the styles a Word file on the letterhead keeps: "house" or "letterhead"
    settings: dict[str, Any] = field(default_factory=dict)  # every value of the profile, by key, as `profile.PROFILE` declares
    word_problems: tuple[Problem, ...] = ()  # what stops only its Word files (a letterhead not found)

    @property
    def is_house_style(self) -> bool:
        """Tell whether this is the house style bundled with mmnpress."""
        return self.folder == HOUSE

    def describe(self) -> str:
        """Return where the profile came from, for the build line."""
        if self.is_house_style:
            return "the bundled house style (mmnpress init makes your own)"
        return display_path(self.folder / "profile.yaml")

    def about_in(self, lang: str) -> Node | None:
        """Return the boilerplate node for `lang`, else for its base language, else English."""
        return self.about.get(lang) or self.about.get(lang.split("-")[0]) or self.about.get("en")

    def name_for(self, lang: str) -> str:
        """Return the organisation's name in `lang` (or its base language) where the profile gives one, else its name."""
        return _in_language(self.settings.get("name", {}), lang) or self.profile.name

    def short_name_for(self, lang: str) -> str:
        """Return the short name in `lang` (or its base language) where the profile gives one, else the short name (or the name in `lang`)."""
        short_names = self.settings.get("short_name", {})
        return _in_language(short_names, lang) or (self.profile.short_name if short_names else self.name_for(lang))

    @property
    def names_per_language(self) -> bool:
        """Tell whether the profile gives a name in some language besides its default one."""
        return len(self.settings.get("name", {})) > 1


def _in_language(values: dict[str, str], lang: str) -> str | None:
    """Return the value for `lang`, else for its base language (th for th-TH), else None."""
    return values.get(lang) or values.get(lang.split("-")[0])


def find_root(statement: Path) -> Path:
    """Return the project folder: the nearest ancestor holding `templates/`.

    The statement's own folder decides, not where a symbolic link points: a
    link to another project's statement must not build into that project.
    """
    start = statement.absolute().parent
    return _nearest_project(start) or (start.parent if start.name == "statements" else start)


def project_around(folder: Path) -> Path:
    """Return the project around a working folder: the nearest folder from it up holding `templates/`, else itself."""
    folder = folder.resolve()
    return _nearest_project(folder) or folder


def _nearest_project(start: Path) -> Path | None:
    return next((f for f in (start, *start.parents) if (f / "templates").is_dir()), None)


def project_relative(path: Path, root: Path) -> str:
    """Return `path` relative to the project folder, with forward slashes (as a draft records it)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return display_path(path)


def organisation_folder(root: Path, key: str | None, node: Node | None) -> Path:
    """Return the organisation folder `choose_organisation` picks; its problem placed at `node`."""
    try:
        return choose_organisation(root, key)
    except MmnpressError as error:
        raise _error(node, str(error)) from None


def choose_organisation(root: Path, key: str | None) -> Path:
    """Return `templates/<key>`, the only organisation when `key` is None, or the house style when there is none."""
    templates = root / "templates"
    found = sorted(p.parent for p in templates.glob("*/profile.yaml"))
    known = ", ".join(f.name for f in found)
    if key is not None:
        folder = templates / key
        if not (folder / "profile.yaml").is_file():
            raise MmnpressError(f"no organisation '{key}': {display_path(folder / 'profile.yaml')} does not exist"
                                f"{f' (profiles found: {known})' if found else ''}{_loose_files(templates)}; "
                                f"`mmnpress init --organisation {key}` makes one")
        return folder
    if len(found) > 1:
        raise MmnpressError(f"set 'organisation:' to one of {known} (the folders under {display_path(templates)} "
                            "that hold a profile.yaml)")
    if not found and (hint := _loose_files(templates)):
        raise MmnpressError(f"no organisation profile under {display_path(templates)}{hint}")
    return found[0] if found else HOUSE


def _loose_files(templates: Path) -> str:
    """Return a hint when profile or template files lie directly in templates/, not in a folder of their own."""
    loose = sorted(p.name for p in templates.glob("*") if p.is_file() and p.suffix in (".yaml", ".docx", ".typ", ".png"))
    if not loose:
        return ""
    return f"; {', '.join(loose[:4])} lie directly in {display_path(templates)}: move them into {LAYOUT.rsplit('/', 1)[0]}/"


def _error(node: Node | None, message: str) -> InputError:
    if node is None:
        return InputError([Problem("<statement>", 1, 1, message)])
    return InputError([Problem(display_path(node.file), node.line, node.column, message)])


def load_organisation(folder: Path) -> Organisation:
    """Read and check `profile.yaml` of an organisation folder (every problem located, all at once)."""
    check = Check(folder)
    values = validate(load(folder / "profile.yaml"), folder, check)
    name = values["name"].get(DEFAULT_KEY) or folder.name
    profile = Profile(
        key=folder.name,
        name=name,
        short_name=values["short_name"].get(DEFAULT_KEY) or name,
        website=values["website"],
        address=values["address"],
        logo=str(values["logo"]) if values["logo"] else None,
        logo_alt=values["logo_alt"],
        primary=values["colours"]["primary"],
        accent=values["colours"]["accent"],
        body_font=values["fonts"]["body"],
        heading_font=values["fonts"]["heading"],
        page_url=values["page_url"],
        press_email=values["press_email"],
        contacts=values["contacts"],
        about_position=values["about_position"],
    )
    letterhead = values["letterhead"]
    return Organisation(profile, folder, values["about"], letterhead["file"], letterhead["styles"], values,
                        tuple(check.word_problems.problems))
