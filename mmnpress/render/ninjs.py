"""Render a Document as IPTC ninjs, the JSON news format newsrooms and wire services read.

ninjs 2.2 by default (its property names are all lower case); 3.1 on request
(camelCase, `embargoedUntil`). Every file written is valid against the
official schema of its version, vendored in `ninjs_schemas/` with its
licence; `validate` checks a document against it.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from ..document import Contact, Document, Version, plain_text, stem
from ..errors import RenderError
from . import DEFAULT_OPTIONS, Renderer, RenderOptions, webtext
from .plaintext import document_text
from .webtext import HtmlText

NAME = "ninjs"
SUFFIX = ".ninjs.json"
VERSIONS = {"2": "2.2", "3": "3.1"}
SCHEMA_DIR = Path(__file__).with_name("ninjs_schemas")
# ninjs 3 renamed these; everything else keeps its name.
CAMEL = {"representationtype": "representationType", "versioncreated": "versionCreated", "embargoed": "embargoedUntil",
         "pubstatus": "pubStatus", "contenttype": "contentType", "contactinfo": "contactInfo",
         "copyrightholder": "copyrightHolder", "charcount": "charCount", "wordcount": "wordCount"}


def render(document: Document, version: str = "2") -> bytes:
    """Return the ninjs object of `document` as UTF-8 JSON; `version` is "2" or "3"."""
    if version not in VERSIONS:
        raise RenderError(f"ninjs version must be one of {', '.join(VERSIONS)} (got {version!r})")
    data = news_item(document)
    if version == "3":
        data = _camel(data)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def news_item(document: Document) -> dict:
    """Return the ninjs 2 object describing `document`."""
    profile = document.profile
    item = {
        "uri": uri(document),
        "type": "text",
        "representationtype": "full",
        "version": document.source_hash[:16] or "1",
        "versioncreated": f"{document.date_iso}T00:00:00Z",
        "embargoed": document.embargo_iso,
        "pubstatus": "withheld" if document.draft else "usable",
        "copyrightholder": profile.name,
        "language": document.lang,
        "headlines": _headlines(document),
        "descriptions": _descriptions(document),
        "bodies": _bodies(document),
        "by": profile.name,
        "located": document.place,
        "organisations": _organisations(document),
        "people": [_person(c, document.labels) for c in document.contacts],
        "genres": [{"name": document.labels.get(document.kind.replace("-", "_"), document.kind), "literal": document.kind}],
        "associations": _associations(document),
    }
    return {key: value for key, value in item.items() if value not in ("", [], None)}


def uri(document: Document, version: Version | None = None) -> str:
    """Return the identifier of a version: its web address, or a tag: URI of the organisation's site."""
    version = version or Version(document.lang, stem(document))
    if document.profile.page_url:
        return webtext.page_address(document, version)
    site = re.sub(r"^[a-z]+://", "", document.profile.website or "").strip("/").split("/")[0].removeprefix("www.")
    if re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}", site):
        dated = re.match(r"\d{4}-\d{2}-\d{2}", version.stem)  # the same date in every version's identifier
        return f"tag:{site},{dated.group() if dated else document.date_iso[:10]}:{version.stem}"
    return f"urn:mmnpress:{re.sub(r'[^A-Za-z0-9-]', '-', document.profile.key)}:{version.stem}"


def _headlines(document: Document) -> list[dict]:
    lines = [{"role": "main", "value": document.title_plain}]
    if document.subtitle:
        lines.append({"role": "sub", "value": plain_text(document.subtitle.text).strip()})
    return lines


def _descriptions(document: Document) -> list[dict]:
    if not document.summary:
        return []
    return [{"role": "summary", "contenttype": "text/plain", "value": plain_text(document.summary.text).strip()}]


def _bodies(document: Document) -> list[dict]:
    """Return the body as HTML (notes as numbers over a Notes list, so it embeds in any page) and as text."""
    writer = HtmlText(document.lang, linked=False)
    html = webtext.body_sections(document, writer)
    if writer.notes:
        items = "\n".join(f"<li>{text}</li>" for text in writer.notes)
        html += f'\n<h2>{webtext.plain(document.labels["notes"])}</h2>\n<ol class="notes">\n{items}\n</ol>'
    text = document_text(document)
    return [
        {"role": "main", "contenttype": "text/html", "charcount": len(html), "value": html},
        {"role": "main", "contenttype": "text/plain", "charcount": len(text), "value": text},
    ]


def _organisations(document: Document) -> list[dict]:
    profile = document.profile
    author = {"name": profile.name, "rel": "author"}
    if profile.website:
        author["uri"] = profile.website if "://" in profile.website else f"https://{profile.website}"
    signatories = [{"name": plain_text(s.name).strip(), "rel": "signatory"} for s in document.signatories]
    return [author, *signatories]


def _person(contact: Contact, labels: dict[str, str]) -> dict:
    name = contact.name + (f" ({contact.name_local})" if contact.name_local else "")
    info = [{"type": "email", "role": contact.role, "value": contact.email}] if contact.email else []
    info += [{"type": "phone", "role": contact.role, "value": phone} for phone in contact.phones]
    person = {"name": name, "rel": "contact", "contactinfo": [{k: v for k, v in i.items() if v} for i in info]}
    return {k: v for k, v in person.items() if v}


def _associations(document: Document) -> list[dict]:
    """Return the other language versions: the original this one extends, and the translations built alongside."""
    own = stem(document)
    linked = {}
    if document.translation_of:
        linked[document.translation_of.stem] = ("original", document.translation_of)
    for version in document.versions:
        if version.stem != own and version.stem not in linked:
            linked[version.stem] = ("translation", version)
    return [{"name": f"{role} ({version.lang})", "uri": uri(document, version), "language": version.lang, "type": "text"}
            for role, version in linked.values()]


def _camel(value):
    """Return ninjs 2 data with the property names of ninjs 3."""
    if isinstance(value, dict):
        return {CAMEL.get(k, k): _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


@cache
def schema(version: str) -> dict:
    """Return the official JSON Schema of ninjs `version` ("2" or "3")."""
    path = SCHEMA_DIR / f"ninjs-schema_{VERSIONS[version]}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def validate(data: dict, version: str = "2") -> list[str]:
    """Return every way `data` breaks the ninjs schema of `version`, as lines (none when valid)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema(version), format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
            for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]


class NinjsRenderer(Renderer):
    """Render documents as IPTC ninjs news items."""

    name, suffix, warm = NAME, SUFFIX, ("mmnpress.render.ninjs",)

    def render(self, document: Document, template_dir: Path, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
        """Return the ninjs object of `document` in the version `options` ask for."""
        return render(document, options.ninjs_version)


RENDERER = NinjsRenderer
