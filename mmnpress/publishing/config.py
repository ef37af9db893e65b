"""Read where statements are published: the profile's `publish: wordpress:` section, and the site's password.

    publish:
      wordpress:
        url: https://example.org        # the site's address
        user: officer                   # whose Application Password is used
        categories: {statement: MMN Activities, press-release: MMN Activities}
        tags: [migration]               # optional
        files: [pdf, docx]              # optional: what goes to the media library (default: pdf)

`wordpress:` may instead name several sites (`wordpress: {main: {url: ...}, staging: {url: ...}}`),
chosen with --site. The Application Password never lives in YAML or on the command line: it comes from
MMNPRESS_WORDPRESS_PASSWORD or the system keyring (service `mmnpress`, the site's address as the name).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import Collector, MmnpressError, display_path
from ..pipeline.source import Node, load
from ..schema import KINDS

PASSWORD_VARIABLE = "MMNPRESS_WORDPRESS_PASSWORD"
KEYRING_SERVICE = "mmnpress"
SINGLE_SITE = "wordpress"  # the name of the site when `wordpress:` holds one site
FILE_FORMATS = ("pdf", "docx")
SITE_KEYS = ("url", "user", "categories", "tags", "files")


@dataclass(frozen=True)
class Site:
    """One WordPress site statements are published to."""

    name: str
    url: str
    user: str
    categories: dict[str, str] = field(default_factory=dict)  # kind -> category name
    tags: tuple[str, ...] = ()
    files: tuple[str, ...] = ("pdf",)
    where: str = ""  # FILE:LINE:COLUMN of the site's settings, for messages


def publish_settings(profile: Path) -> dict[str, Site]:
    """Return the WordPress sites of the profile's `publish: wordpress:` section, by name; raise every problem found."""
    root = load(profile)
    section = root.get("publish") if root.kind == "map" else None
    problems = Collector()
    sites: dict[str, Site] = {}
    wordpress = _mapping(section, "wordpress", problems) if section is not None and _is_map(section, "publish", problems) else None
    if wordpress is not None:
        if "url" in wordpress.entries or not wordpress.entries:
            sites[SINGLE_SITE] = _site(SINGLE_SITE, wordpress, problems)
        else:
            for name, (_, node) in wordpress.entries.items():
                if _is_map(node, name, problems):
                    sites[name] = _site(name, node, problems)
    problems.raise_if_any()
    return sites


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


def _site(name: str, node: Node, problems: Collector) -> Site:
    for key, (key_node, _) in node.entries.items():
        if key == "password":
            problems.add(display_path(key_node.file), key_node.line, key_node.column,
                         f"the Application Password never goes in a file: remove it, and set {PASSWORD_VARIABLE} or the system keyring")
        elif key not in SITE_KEYS:
            problems.add(display_path(key_node.file), key_node.line, key_node.column,
                         f"unknown key '{key}' under publish: wordpress: (known: {', '.join(SITE_KEYS)})")
    url = _url(node, problems)
    user = _text(node, "user", problems) or ""
    if not user:
        problems.add(display_path(node.file), node.line, node.column,
                     "publish: wordpress: needs 'user', the WordPress user of the Application Password")
    return Site(name, url, user, _categories(node, problems), tuple(_texts(node, "tags", problems)),
                _files(node, problems), node.where)


def _url(node: Node, problems: Collector) -> str:
    """Return the site's address: https, or http on a loopback host (as WordPress requires for Application Passwords)."""
    value = (_text(node, "url", problems) or "").rstrip("/")
    at = node.get("url") or node
    parts = urlsplit(value)
    if not value or parts.scheme not in ("http", "https") or not parts.hostname:
        problems.add(display_path(at.file), at.line, at.column, "publish: wordpress: 'url' must be the site's address, e.g. https://example.org")
    elif parts.scheme == "http" and not is_loopback(parts.hostname):
        problems.add(display_path(at.file), at.line, at.column,
                     f"publish: wordpress: 'url' must use https (the password would cross the network readable): {value}")
    return value


def is_loopback(host: str) -> bool:
    """Tell whether `host` is this machine (localhost, 127.0.0.0/8, ::1)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _categories(node: Node, problems: Collector) -> dict[str, str]:
    mapping = node.get("categories")
    if mapping is None or mapping.is_null():
        return {}
    if not _is_map(mapping, "categories", problems):
        return {}
    found = {}
    for kind, (key_node, value) in mapping.entries.items():
        if kind not in KINDS:
            problems.add(display_path(key_node.file), key_node.line, key_node.column,
                         f"categories: '{kind}' is not a kind of statement ({', '.join(KINDS)})")
        elif value.kind != "scalar" or not value.value.strip():
            problems.add(display_path(value.file), value.line, value.column, f"categories: '{kind}' must be a category's name")
        else:
            found[kind] = value.value.strip()
    return found


def _files(node: Node, problems: Collector) -> tuple[str, ...]:
    files = _texts(node, "files", problems) if node.get("files") is not None else ["pdf"]
    at = node.get("files") or node
    for name in files:
        if name not in FILE_FORMATS:
            problems.add(display_path(at.file), at.line, at.column, f"files: '{name}' is not one of {', '.join(FILE_FORMATS)}")
    return tuple(dict.fromkeys(f for f in files if f in FILE_FORMATS))


def _texts(node: Node, key: str, problems: Collector) -> list[str]:
    value = node.get(key)
    if value is None or value.is_null():
        return []
    items = [value] if value.kind == "scalar" else value.items if value.kind == "seq" else None
    if items is None or any(i.kind != "scalar" for i in items):
        problems.add(display_path(value.file), value.line, value.column, f"'{key}' must be a list of names")
        return []
    return [i.value.strip() for i in items if i.value.strip()]


def _text(node: Node, key: str, problems: Collector) -> str | None:
    value = node.get(key)
    if value is None or value.is_null():
        return None
    if value.kind != "scalar":
        problems.add(display_path(value.file), value.line, value.column, f"'{key}' must be a single value")
        return None
    return value.value.strip()


def _mapping(node: Node, key: str, problems: Collector) -> Node | None:
    value = node.get(key)
    if value is None or value.is_null():
        return None
    return value if _is_map(value, key, problems) else None


def _is_map(node: Node, key: str, problems: Collector) -> bool:
    if node.kind != "map":
        problems.add(display_path(node.file), node.line, node.column, f"'{key}' must be a mapping of keys to values")
        return False
    return True
