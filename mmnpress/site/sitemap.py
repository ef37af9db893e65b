"""`sitemap.xml` with every language version of each statement as alternates, and `robots.txt`.

A sitemap must give absolute addresses, so it is written only with a base
URL (--base-url or site.base_url); robots.txt then names it.
"""

from __future__ import annotations

from lxml import etree

from .discover import Entry
from .layout import absolute
from .settings import Site

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap(site: Site, entries: list[Entry], families: dict[str, list[Entry]]) -> bytes:
    """Return the sitemap: the front page, then every statement page with its language alternates."""
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    front = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
    etree.SubElement(front, f"{{{SITEMAP_NS}}}loc").text = absolute(site, "index.html")
    for entry in entries:
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute(site, entry.page)
        etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = entry.date.isoformat()
        family = families.get(entry.family, [])
        for version in family if len(family) > 1 else ():
            etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=version.lang, href=absolute(site, version.page))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def robots(site: Site) -> bytes:
    """Return robots.txt: everything may be crawled; the sitemap's address when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    if site.base_url:
        lines.append(f"Sitemap: {absolute(site, 'sitemap.xml')}")
    return ("\n".join(lines) + "\n").encode("utf-8")
