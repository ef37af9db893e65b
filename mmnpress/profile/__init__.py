"""The organisation profile (templates/<name>/profile.yaml), declared once.

Every key a profile may hold is one option in `PROFILE` below, in the
manner of mkdocs' ``config_options`` (the types are in `config_options`):
its value type, its default and a one-line description. What reads this
declaration: `validate` (every problem at FILE:LINE:COLUMN, unknown keys
with the closest known one), `project.load_organisation` (the values),
the JSON Schema that `mmnpress schema --profile` prints and `init` writes
for editors (`export`), and the key table of docs/FORMAT.md.

Adding a key is one entry here and its use where it is read. A new group
of keys is one `Section`, e.g. a site's settings::

    "site": Section("The archive site.", {
        "name": Text("The site's name."),
        "base_url": WebAddress(...),
    }),

whose values arrive as ``organisation.settings["site"]["name"]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..document import Profile
from ..images import docx_image_problems, image_problem
from ..pipeline.source import Node
from ..schema import KINDS
from .config_options import (
    Check,
    Choice,
    File,
    Language,
    MailAddress,
    Names,
    OneOrNamed,
    Option,
    Paragraph,
    Pattern,
    PerLanguage,
    Records,
    Section,
    ServerAddress,
    Shorthand,
    Text,
    WebAddress,
)

COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
PASSWORD_VARIABLE = "MMNPRESS_WORDPRESS_PASSWORD"  # where `mmnpress publish` reads a site's Application Password
SITE_ADDRESS = re.compile(r"^https?://[^\s\"'<>?#]+$")  # where a site is published: no query, no fragment
LINK = re.compile(r"(?i)^(https?://|mailto:)\S+$")  # a link readers may follow
CONTACTS_PLACES = ("end", "top")  # where a press release puts its media contacts
ABOUT_POSITIONS = ("before-references", "after-references")  # where a position paper puts About and contacts
LETTERHEAD_STYLES = ("house", "letterhead")  # which styles a Word file on a letterhead keeps


def _image_problems(path: Path) -> list[str]:
    """Return why an image is too large to decode (before any engine reads it), as a list."""
    problem = image_problem(path, path.name)
    return [problem] if problem else []


def _colour(doc: str, default: str) -> Pattern:
    return Pattern(doc, COLOUR, "a colour written #RRGGBB, like #1F4E79", default, type_name="colour")


PROFILE = Section(
    "An organisation profile: its letterhead, look and boilerplate.",
    noun="a profile",
    options={
        "name": PerLanguage(
            "The full name, printed in the letterhead and the footer (default: the folder's name); "
            "one name, or one per language with a default: {default: ..., km: ...}.",
            Text("The name.", one_line=True),
            shorthand=True,
        ),
        "short_name": PerLanguage(
            'The short name, used in "About ..." and the document properties (default: the name); one, or one per language like name.',
            Text("The short name.", one_line=True),
            shorthand=True,
        ),
        "website": Text("The website, printed under the address (https:// may be left out).", ""),
        "address": Text("The postal address; a comma near its middle splits it over two lines.", ""),
        "logo": File("A logo image beside the name (.png, .jpg, .svg), in the profile's folder.", inspect=_image_problems),
        "logo_alt": Text('The logo\'s alternative text (default: the name; "" marks the logo decorative).'),
        "letterhead": Shorthand(
            "The organisation's own Word letterhead: a .docx file in the profile's folder, or {file, styles}.",
            {
                "file": File("The letterhead, a .docx in the profile's folder (only Word files need it).", (".docx",), "a Word document",
                             inspect=docx_image_problems, missing_stops_word_only=True),
                "styles": Choice(
                    "Which styles the Word file keeps: the house styles in the profile's colours and fonts (house), "
                    "or the letterhead's own (letterhead).",
                    LETTERHEAD_STYLES,
                ),
            },
        ),
        "colours": Section(
            "The colours of the letterhead, title, headings and rules.",
            {
                "primary": _colour("The name, title and headings.", Profile.primary),
                "accent": _colour("Rules, the release line, numbers.", Profile.accent),
            },
        ),
        "fonts": Section(
            "Font families, from the installed font packages.",
            {
                "body": Text("The text.", Profile.body_font),
                "heading": Text("The name, title and headings.", Profile.heading_font),
            },
        ),
        "contacts": Choice(
            "Where a press release puts its media contacts: at the end, after About (end), or right after the title (top).", CONTACTS_PLACES
        ),
        "about_position": Choice("Where a position paper puts About and its contacts: before its References or after them.", ABOUT_POSITIONS),
        "about": PerLanguage(
            'The paragraph under "About" and the short name, per language, printed after the text unless a statement has its own about:.',
            Paragraph("The paragraph."),
        ),
        "page_url": WebAddress(
            "Where web pages are published; {stem} is the file stem, {lang} the language.",
            "stem",
            ("stem", "lang"),
            "https://example.org/press/{stem}.html",
        ),
        "site": Section(
            "The statements website that `mmnpress site` builds; each key defaults to the profile's own value.",
            {
                "name": Text("The site's name (default: the profile's name).", one_line=True),
                "logo": File("The site's logo, in the profile's folder (default: the profile's logo).", inspect=_image_problems),
                "colours": Section(
                    "The site's colours (default: the profile's).",
                    {"primary": _colour("Headings and the header.", None), "accent": _colour("Rules and links.", None)},
                ),
                "navigation": Records(
                    "Links in every page's header, in order.",
                    Section("A link.", {"label": Text("What the link says.", one_line=True),
                                        "url": Pattern("Where it goes: an http(s) or mailto address.", LINK, "an http(s) or mailto address")}),
                    "link",
                ),
                "language": Language("The language of the archive pages, their labels and the language switcher.", "en"),
                "base_url": Pattern(
                    "Where the site is published (absolute addresses in feeds, sitemap and canonical links; --base-url overrides).",
                    SITE_ADDRESS,
                    "an http(s) address such as https://statements.example.org",
                    "",
                ),
            },
        ),
        "signatories_by": Choice(
            "How the signatories of a joint statement print unless the statement says: as listed, under their countries, or by name.",
            ("as-listed", "country", "name"),
        ),
        "publish": Section(
            "Where statements are published (`mmnpress publish`).",
            {
                "wordpress": OneOrNamed(
                    "A WordPress site (5.6 or newer), or several by name, chosen with --site. Its Application Password comes from "
                    "MMNPRESS_WORDPRESS_PASSWORD or the system keyring (service mmnpress, the site's address as the name), never from a file.",
                    Section(
                        "A WordPress site.",
                        {
                            "url": ServerAddress("The site's address: https, or http on this machine."),
                            "user": Text("The WordPress user the Application Password belongs to.", one_line=True),
                            "categories": Section(
                                "The category of each kind of statement (created if missing, with --create-categories).",
                                {kind: Text(f"The category of a {kind}.", one_line=True) for kind in KINDS},
                                noun="'categories' (a kind of statement)",
                            ),
                            "tags": Names("Tags given to every post."),
                            "files": Names("What goes to the media library and is linked at the end of the post.", ("pdf",), ("pdf", "docx")),
                        },
                        required=("url", "user"),
                        refused={"password": f"the Application Password never goes in a file: remove it, and set {PASSWORD_VARIABLE} "
                                             "or the system keyring"},
                    ),
                    single="wordpress",
                )
            },
        ),
        "press_email": MailAddress("The sender of emailed releases (an internationalised domain is written in its IDNA form).", ""),
    },
)


def validate(root: Node, folder: Path, check: Check | None = None) -> dict[str, Any]:
    """Check a profile's node tree against `PROFILE`; return its values, or raise `InputError` with every problem.

    What stops only Word files (a letterhead not found) is left in `check.word_problems`.
    """
    check = check or Check(folder)
    values = PROFILE.validate(root, "", check)
    check.problems.raise_if_any()
    return values



def walk(parent: Option = PROFILE, path: str = "") -> Iterator[tuple[str, Option]]:
    """Yield every option below `parent` with its key path (``colours.primary``), in declared order."""
    for key, option in parent.options().items():
        here = f"{path}.{key}" if path else key
        yield here, option
        yield from walk(option, here)
