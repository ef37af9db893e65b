"""The project around a statement: its folders, organisation profile and files.

A project is the folder that holds `statements/`, `templates/` and
`bibliography/` (`mmnpress init` makes one). Statements may read files only
inside it: `extends`, `references` and CSL paths that resolve (symlinks
followed) outside the project are errors. A statement with no organisation
profile around it uses the house style bundled with mmnpress.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..document import Profile
from ..errors import Collector, InputError, MmnpressError, Problem, display_path
from .source import Node, load

HOUSE = Path(__file__).parent.parent / "house"
LAYOUT = "templates/<name>/profile.yaml"
LETTERHEAD_SUFFIXES = (".docx",)
CONTACTS_PLACES = ("end", "top")  # where a press release puts its media contacts
ABOUT_POSITIONS = ("before-references", "after-references")  # where a position paper puts About and contacts
LETTERHEAD_STYLES = ("house", "letterhead")  # whose styles Word files on a letterhead use: the profile's or the letterhead's


@dataclass(frozen=True)
class Organisation:
    """A profile plus its folder and the nodes of its boilerplate per language."""

    profile: Profile
    folder: Path
    about: dict[str, Node]
    letterhead: Path | None = None
    letterhead_styles: str = "house"
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


def inside(path: Path, folder: Path) -> bool:
    """Tell whether `path`, with symlinks resolved, lies inside `folder` (never when they loop)."""
    target, base = resolved(path), resolved(folder)
    return target is not None and base is not None and target.is_relative_to(base)


def resolved(path: Path) -> Path | None:
    """Return `path` with symlinks resolved, or None when they loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a loop, 3.13 OSError
        return None


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
    """Read `profile.yaml` of an organisation folder."""
    root = load(folder / "profile.yaml")
    problems = Collector()
    name = _one_line(root, "name", problems) or folder.name
    colours = root.get("colours")
    fonts = root.get("fonts")
    logo = _scalar(root, "logo", problems)
    _check_image(root, "logo", folder, logo, problems)
    profile = Profile(
        key=folder.name,
        name=name,
        short_name=_one_line(root, "short_name", problems) or name,
        website=_scalar(root, "website", problems) or "",
        address=_scalar(root, "address", problems) or "",
        logo=str((folder / logo).resolve()) if logo and inside(folder / logo, folder) else None,
        logo_alt=_scalar(root, "logo_alt", problems),
        primary=_scalar(colours, "primary", problems) or Profile.primary,
        accent=_scalar(colours, "accent", problems) or Profile.accent,
        body_font=_scalar(fonts, "body", problems) or Profile.body_font,
        heading_font=_scalar(fonts, "heading", problems) or Profile.heading_font,
        page_url=_page_url(root, problems),
        press_email=_press_email(root, problems),
        contacts=_choice(root, "contacts", CONTACTS_PLACES, problems),
        about_position=_choice(root, "about_position", ABOUT_POSITIONS, problems),
    )
    word_problems = Collector()
    letterhead, letterhead_styles = _letterhead(root, folder, problems, word_problems)
    problems.raise_if_any()
    about = root.get("about")
    return Organisation(profile, folder, dict((k, v[1]) for k, v in about.entries.items()) if about else {}, letterhead,
                        letterhead_styles, tuple(word_problems.problems))


def _letterhead(root: Node, folder: Path, problems: Collector, word_problems: Collector) -> tuple[Path | None, str]:
    """Return the Word letterhead the profile names and whose styles to use.

    `letterhead: letterhead.docx`, or `letterhead: {file: letterhead.docx, styles: house | letterhead}`.
    A letterhead not found stops only Word files (`word_problems`): PDF and the rest do not use it.
    """
    given = root.get("letterhead")
    if given is not None and given.kind == "map":
        styles = _choice(given, "styles", LETTERHEAD_STYLES, problems)
        if not _scalar(given, "file", problems):
            problems.add(display_path(given.file), given.line, given.column, "'letterhead' needs 'file:' naming the Word document")
        return _letterhead_file(given, "file", folder, problems, word_problems), styles
    return _letterhead_file(root, "letterhead", folder, problems, word_problems), LETTERHEAD_STYLES[0]


def _letterhead_file(root: Node, key: str, folder: Path, problems: Collector, word_problems: Collector) -> Path | None:
    """Return the .docx file `key` of `root` names, checked to lie in the organisation folder (found: else a Word-only problem)."""
    name = _scalar(root, key, problems)
    if not name:
        return None
    node = root.get(key)
    path = folder / name
    if Path(name).suffix.lower() not in LETTERHEAD_SUFFIXES:
        problems.add(display_path(node.file), node.line, node.column, f"letterhead must be a Word document (.docx): {name}")
    elif not inside(path, folder):
        problems.add(display_path(node.file), node.line, node.column, f"letterhead must lie in {display_path(folder)}: {name}")
    elif not path.is_file():
        word_problems.add(display_path(node.file), node.line, node.column, f"letterhead not found: {display_path(path)}")
    else:
        from ..images import docx_image_problems

        for problem in docx_image_problems(path):
            problems.add(display_path(node.file), node.line, node.column, f"letterhead: {problem}")
        return resolved(path)
    return None


def _check_image(root: Node, key: str, folder: Path, name: str | None, problems: Collector) -> None:
    """Report an image named by `key` too large to decode, before any engine reads it."""
    from ..images import image_problem

    if not name or not inside(folder / name, folder) or not (folder / name).is_file():
        return
    problem = image_problem(folder / name, name)
    if problem:
        node = root.get(key)
        problems.add(display_path(node.file), node.line, node.column, f"'{key}': {problem}")


def _choice(root: Node, key: str, choices: tuple[str, ...], problems: Collector) -> str:
    """Return the value of `key`, one of `choices`; the first choice when it is missing or wrong."""
    value = _scalar(root, key, problems)
    if value is None:
        return choices[0]
    if value not in choices:
        node = root.get(key)
        problems.add(display_path(node.file), node.line, node.column,
                     f"'{key}' must be one of {', '.join(choices)}, not {value!r}")
        return choices[0]
    return value


def _page_url(root: Node, problems: Collector) -> str:
    """Return the `page_url` pattern, checked to be an http(s) address naming {stem}."""
    value = _scalar(root, "page_url", problems)
    if not value:
        return ""
    node = root.get("page_url")
    if not value.startswith(("https://", "http://")) or "{stem}" not in value:
        problems.add(display_path(node.file), node.line, node.column,
                     "'page_url' must be an http(s) address holding {stem}, e.g. https://example.org/press/{stem}.html")
        return ""
    if set("{}") & set(value.replace("{stem}", "").replace("{lang}", "")):
        problems.add(display_path(node.file), node.line, node.column, "'page_url' may hold only {stem} and {lang}")
        return ""
    return value


def _one_line(root: Node, key: str, problems: Collector) -> str | None:
    """Return the value of `key`, checked to be one line (names reach mail headers and window titles)."""
    from ..addresses import line_problem

    value = _scalar(root, key, problems)
    problem = line_problem(value) if value else None
    if problem:
        node = root.get(key)
        problems.add(display_path(node.file), node.line, node.column, f"'{key}' {problem}")
        return None
    return value


def _press_email(root: Node, problems: Collector) -> str:
    """Return `press_email` as an ASCII address (an internationalised domain in its IDNA form), or ""."""
    from ..addresses import sender_address

    value = _scalar(root, "press_email", problems)
    if not value:
        return ""
    try:
        return sender_address(value)
    except ValueError as error:
        node = root.get("press_email")
        problems.add(display_path(node.file), node.line, node.column, f"'press_email': {error}")
        return ""


def _scalar(node: Node | None, key: str, problems: Collector) -> str | None:
    value = node.get(key) if node is not None and node.kind == "map" else None
    if value is None or value.is_null():
        return None
    if value.kind != "scalar":
        problems.add(display_path(value.file), value.line, value.column, f"'{key}' must be a single value")
        return None
    return value.value
