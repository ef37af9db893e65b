"""Read the `site:` section of an organisation's profile.

    site:
      name: Mekong Migration Network     # default: the profile's name
      logo: logo.png                     # default: the profile's logo
      colours: {primary: "#1F4E79", accent: "#C55A11"}   # default: the profile's
      navigation:                        # links in every page's header
        - {label: About us, url: "https://www.mekongmigration.org/?page_id=2"}
      language: en                       # the language of the archive pages
      base_url: https://statements.example.org   # absolute addresses in feeds, sitemap, canonical links

The section is declared with the rest of the profile (`mmnpress.profile`),
which checks it; here its values meet the profile's defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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


def site_settings(organisation, base_url: str | None = None) -> Site:
    """Return the site of `organisation`: its profile's `site:` section over the profile's values; `base_url` overrides."""
    profile = organisation.profile
    values = organisation.settings.get("site") or {}
    colours = values.get("colours") or {}
    address = base_url if base_url is not None else values.get("base_url") or ""
    return Site(
        values.get("name") or profile.name,
        values.get("logo") or (Path(profile.logo) if profile.logo else None),
        colours.get("primary") or profile.primary,
        colours.get("accent") or profile.accent,
        tuple((link["label"], link["url"]) for link in values.get("navigation") or ()),
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
