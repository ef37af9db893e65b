"""Read the `site:` section of an organisation's profile.

    site:
      name: Mekong Migration Network     # default: the profile's name
      logo: logo.png                     # default: the profile's logo
      colours: {primary: "#1F4E79", accent: "#C55A11"}   # default: the profile's
      navigation:                        # links in every page's header
        - {label: About us, url: "https://www.mekongmigration.org/?page_id=2"}
      language: en                       # the language of the archive pages
      base_url: https://statements.example.org   # absolute addresses in feeds, sitemap, canonical links

`site_section` is the one place that reads the raw mapping, so the section
can move into a declared profile schema without touching the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Collector, display_path
from ..source import Node, load

COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
KEYS = ("name", "logo", "colours", "navigation", "language", "base_url")


@dataclass(frozen=True)
class Site:
    """What the site looks like and where it is published."""

    name: str
    logo: Path | None
    primary: str
    accent: str
    navigation: tuple[tuple[str, str], ...] = ()  # (label, address)
    language: str = "en"
    base_url: str = ""  # without a trailing slash; "" keeps every address relative
    body_font: str = "Noto Serif"  # the profile's two families
    heading_font: str = "Noto Sans"
    key: str = ""  # the organisation's folder name
    website: str = ""


def site_section(profile_file: Path) -> Node | None:
    """Return the `site:` mapping of a profile.yaml, or None without one."""
    node = load(profile_file).get("site")
    return None if node is None or node.is_null() else node


def site_settings(organisation, base_url: str | None = None) -> Site:
    """Return the site of `organisation`: its `site:` section over the profile's values; `base_url` overrides."""
    profile = organisation.profile
    node = site_section(organisation.folder / "profile.yaml")
    problems = Collector()
    values = _checked(node, organisation.folder, problems) if node is not None else {}
    problems.raise_if_any()
    logo = values.get("logo") or (Path(profile.logo) if profile.logo else None)
    address = base_url if base_url is not None else values.get("base_url", "")
    return Site(
        values.get("name") or profile.name,
        logo,
        values.get("primary") or profile.primary,
        values.get("accent") or profile.accent,
        tuple(values.get("navigation", ())),
        values.get("language") or "en",
        normal_base_url(address),
        profile.body_font,
        profile.heading_font,
        profile.key,
        profile.website,
    )


def normal_base_url(address: str) -> str:
    """Return a base URL without its trailing slash."""
    return address.rstrip("/")


def _checked(node: Node, folder: Path, problems: Collector) -> dict:
    """Return the values of the `site:` mapping, each checked; problems are placed at their node."""
    if node.kind != "map":
        _add(problems, node, "'site' must be a mapping of name, logo, colours, navigation, language and base_url")
        return {}
    for key in node.entries:
        if key not in KEYS:
            _add(problems, node.key_node(key), f"unknown key 'site.{key}'; the site takes {', '.join(KEYS)}")
    values = {key: _text(node.get(key), f"site.{key}", problems) for key in ("name", "logo", "language", "base_url")}
    values["logo"] = _logo(node.get("logo"), values["logo"], folder, problems)
    values["language"] = _language(node.get("language"), values["language"], problems)
    values["base_url"] = _base_url(node.get("base_url"), values["base_url"], problems)
    values.update(_colours(node.get("colours"), problems))
    values["navigation"] = _navigation(node.get("navigation"), problems)
    return {k: v for k, v in values.items() if v}


def _add(problems: Collector, node: Node, message: str) -> None:
    problems.add(display_path(node.file), node.line, node.column, message)


def _text(node: Node | None, name: str, problems: Collector) -> str | None:
    if node is None or node.is_null():
        return None
    if node.kind != "scalar":
        _add(problems, node, f"'{name}' must be a single value")
        return None
    return node.value.strip() or None


def _logo(node: Node | None, name: str | None, folder: Path, problems: Collector) -> Path | None:
    from ..project import inside

    if not name:
        return None
    path = folder / name
    if not inside(path, folder) or not path.is_file():
        _add(problems, node, f"'site.logo' must name an image file in {display_path(folder)}: {name}")
        return None
    return path.resolve()


def _language(node: Node | None, value: str | None, problems: Collector) -> str | None:
    from ..model import is_language

    if value and not is_language(value):
        _add(problems, node, f"'site.language' must be a language tag such as en, th, my, km, lo, vi (got '{value}')")
        return None
    return value


def _base_url(node: Node | None, value: str | None, problems: Collector) -> str | None:
    if value and (not re.fullmatch(r"https?://[^\s\"'<>]+", value) or "?" in value or "#" in value):
        _add(problems, node, f"'site.base_url' must be an http(s) address such as https://statements.example.org (got '{value}')")
        return None
    return value


def _colours(node: Node | None, problems: Collector) -> dict:
    if node is None or node.is_null():
        return {}
    if node.kind != "map":
        _add(problems, node, "'site.colours' must be a mapping of primary and accent")
        return {}
    found = {}
    for key in ("primary", "accent"):
        value = _text(node.get(key), f"site.colours.{key}", problems)
        if value and not COLOUR.fullmatch(value):
            _add(problems, node.get(key), f"'site.colours.{key}' must be a colour written #RRGGBB (got '{value}')")
        elif value:
            found[key] = value
    return found


def _navigation(node: Node | None, problems: Collector) -> list[tuple[str, str]]:
    from ..render.webtext import safe_link

    if node is None or node.is_null():
        return []
    if node.kind != "seq":
        _add(problems, node, "'site.navigation' must be a list of {label: ..., url: ...}")
        return []
    links = []
    for item in node.items:
        label = _text(item.get("label"), "site.navigation.label", problems) if item.kind == "map" else None
        url = _text(item.get("url"), "site.navigation.url", problems) if item.kind == "map" else None
        if not label or not url or not safe_link(url):
            _add(problems, item, "each 'site.navigation' link needs a label and a url (an http, https or mailto address)")
        else:
            links.append((label, url))
    return links
