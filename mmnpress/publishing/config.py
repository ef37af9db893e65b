"""Read where statements are published: the profile's `publish: wordpress:` section, and the site's password.

    publish:
      wordpress:
        url: https://example.org        # the site's address
        user: officer                   # whose Application Password is used
        categories: {statement: MMN Activities, press-release: MMN Activities}
        tags: [migration]               # optional
        files: [pdf, docx]              # optional: what goes to the media library (default: pdf)

The section is declared with the rest of the profile (`mmnpress.profile`), which checks it.
`wordpress:` may instead name several sites (`wordpress: {main: {url: ...}, staging: {url: ...}}`),
chosen with --site. The Application Password never lives in YAML or on the command line: it comes from
MMNPRESS_WORDPRESS_PASSWORD or the system keyring (service `mmnpress`, the site's address as the name).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MmnpressError, display_path
from ..profile import PASSWORD_VARIABLE

KEYRING_SERVICE = "mmnpress"


@dataclass(frozen=True)
class Site:
    """One WordPress site statements are published to."""

    name: str
    url: str
    user: str
    categories: dict[str, str] = field(default_factory=dict)  # kind -> category name
    tags: tuple[str, ...] = ()
    files: tuple[str, ...] = ("pdf",)
    where: str = ""  # the profile that names the site, for messages


def publish_settings(organisation) -> dict[str, Site]:
    """Return the WordPress sites of the profile's `publish: wordpress:` section, by name (the profile declares and checks it)."""
    where = display_path(organisation.folder / "profile.yaml")
    sites = ((organisation.settings.get("publish") or {}).get("wordpress")) or {}
    return {
        name: Site(name, values["url"] or "", values["user"] or "", {k: v for k, v in (values["categories"] or {}).items() if v},
                   tuple(values["tags"] or ()), tuple(values["files"] or ()), where)
        for name, values in sites.items()
    }


def choose_site(sites: dict[str, Site], name: str | None, profile: Path) -> Site:
    """Return the site --site names, or the only one."""
    where = display_path(profile)
    if not sites:
        raise MmnpressError(f"{where}:1:1: no 'publish: wordpress:' section; add the site's url and user (see docs/FORMAT.md)")
    if name is None:
        if len(sites) > 1:
            raise MmnpressError(f"{where}: several WordPress sites ({', '.join(sites)}); choose one with --site")
        return next(iter(sites.values()))
    if name not in sites:
        raise MmnpressError(f"{where}: no WordPress site '{name}' under 'publish: wordpress:' (sites: {', '.join(sites)})")
    return sites[name]


def application_password(site: Site) -> str:
    """Return the site's Application Password from the environment or the system keyring; never from a file."""
    password = os.environ.get(PASSWORD_VARIABLE, "").strip()
    if password:
        return password
    try:
        import keyring

        password = keyring.get_password(KEYRING_SERVICE, site.url) or ""
    except Exception:  # noqa: BLE001 - no keyring back end on this machine: the same advice as an empty one
        password = ""
    if not password:
        raise MmnpressError(f"no Application Password for {site.url}: set {PASSWORD_VARIABLE}, or store it once with "
                            f"`keyring set {KEYRING_SERVICE} {site.url}` (user {site.user}; WordPress makes one under Users → Profile)")
    return password
