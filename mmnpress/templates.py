"""Find the templates a build uses: the organisation's own, generated, or bundled.

An organisation folder (templates/<name>/) needs only `profile.yaml`. Word
templates the folder does not hold are generated from the profile (and its
logo and letterhead) once per content of those files, so an edited profile
shows in the next build. They are kept in the user's cache folder
(`usercache`: $XDG_CACHE_HOME/mmnpress/word-templates, by default ~/.cache/...), shared by
every project with the same profile, or in the project's build/.templates/
when that cannot be written. Typst
templates the folder does not hold come from the house style bundled with
mmnpress (mmnpress/house/), which is also the profile of statements outside
any project.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from .pipeline.project import HOUSE, Organisation

GENERATED = Path("build") / ".templates"  # in the project, when the user's cache folder cannot be written
AREA = "word-templates"  # in the user's cache folder (usercache)


def profile_stamp(organisation: Organisation) -> str:
    """Return the hash of what generated Word templates depend on: profile, logo, letterhead."""
    digest = hashlib.sha256()
    for path in (organisation.folder / "profile.yaml", organisation.profile.logo, organisation.letterhead):
        if path is None:
            digest.update(b"-")
            continue
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


@functools.cache
def _generator_fingerprint() -> str:
    """Return a hash of the generator's own code, so a new mmnpress makes new templates."""
    from . import __version__

    digest = hashlib.sha256(__version__.encode())
    generators = [Path(__file__).parent / "render" / name for name in ("wordtemplates.py", "wordparts.py", "letterhead.py", "letterheadsafety.py")]
    outline = [Path(__file__).with_name(name) for name in ("schema.py", "outline.py")]  # the outline decides the template's body
    for source in (*generators, *outline):
        if source.is_file():
            digest.update(source.read_bytes())
    return digest.hexdigest()[:8]


def has_own_word_template(organisation: Organisation, kind: str) -> bool:
    """Tell whether the organisation keeps a Word template of `kind` of its own."""
    return (organisation.folder / f"{kind}.docx").is_file()


def word_template_dir(organisation: Organisation, kind: str, root: Path) -> Path:
    """Return the folder holding the Word template of `kind`, generating it when needed."""
    if has_own_word_template(organisation, kind):
        return organisation.folder
    if problems := word_template_problems(organisation, kind):
        from .errors import InputError

        raise InputError(problems)
    from . import usercache

    stamp = profile_stamp(organisation)
    name = f"{stamp[:16]}-{_generator_fingerprint()}"

    def make() -> bytes:
        from .render.wordtemplates import template_bytes

        return template_bytes(organisation.profile, kind, stamp, organisation.letterhead, organisation.letterhead_styles,
                              organisation.names_per_language)

    if usercache.folder(AREA) is not None:
        return usercache.kept_file(AREA, name.encode(), f"{kind}.docx", make).parent
    target = root / GENERATED / name / f"{kind}.docx"  # the user's cache folder cannot be written
    if not target.is_file():
        from .files import write_atomically

        write_atomically(target, make())
    return target.parent


def word_template_problems(organisation: Organisation, kind: str) -> list:
    """Return what stops the Word template of `kind` from being made (a letterhead not found); none if the organisation keeps its own."""
    return [] if has_own_word_template(organisation, kind) else list(organisation.word_problems)


def typst_template_dir(organisation: Organisation, kind: str) -> Path:
    """Return the folder holding the Typst templates of `kind`: the organisation's own, or the house style."""
    if (organisation.folder / f"{kind}.typ").is_file():
        return organisation.folder
    return HOUSE


def template_dir(organisation: Organisation, kind: str, root: Path, templates: str) -> Path:
    """Return the folder of the templates a renderer of `templates` ("word", "typst", "organisation") uses for `kind`."""
    return _FINDERS[templates](organisation, kind, root)


_FINDERS = {
    "word": word_template_dir,
    "typst": lambda organisation, kind, root: typst_template_dir(organisation, kind),
    "organisation": lambda organisation, kind, root: organisation.folder,
}


def make(organisation: Organisation) -> list[Path]:
    """Write every kind's Word template into the organisation folder, to be edited by hand."""
    from .render.wordtemplates import write_templates

    if organisation.folder == HOUSE:
        from .errors import MmnpressError

        raise MmnpressError("no organisation profile here; run `mmnpress init` first, then `mmnpress templates make`")
    if organisation.word_problems:
        from .errors import InputError

        raise InputError(list(organisation.word_problems))
    return write_templates(organisation.profile, organisation.folder, profile_stamp(organisation), organisation.letterhead,
                           organisation.letterhead_styles, organisation.names_per_language)


def stale_templates(organisation: Organisation, kind: str) -> list[tuple[Path, str]]:
    """Return (template, warning) when the kept Word template of `kind` was made from another profile."""
    from .render.wordtemplates import PROFILE_PROPERTY
    from .safedocx import UnsafeDocxError, custom_properties, open_docx

    path = organisation.folder / f"{kind}.docx"
    if not path.is_file():
        return []
    try:
        made_from = custom_properties(open_docx(path)).get(PROFILE_PROPERTY)
    except UnsafeDocxError:
        return []  # the build reports an unusable template
    if made_from == profile_stamp(organisation):
        return []
    return [
        (
            path,
            "profile.yaml (or its logo or letterhead) changed since this Word template was made, and the "
            f"template is used as it is: `mmnpress templates make {organisation.folder.name}` regenerates it "
            "(your edits in Word are lost), or delete it to follow profile.yaml",
        )
    ]
