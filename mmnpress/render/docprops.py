"""Set the package properties of a rendered Word document.

The core properties (title, author, language, date) are what Word shows in
File > Info and what search tools index; the custom properties name the
statement the file was built from, which `mmnpress review` reads back.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from .. import __version__
from ..document import Document, shorten
from ..unicode.chars import without_forbidden
from .wordml import element, qn, word_lang

CORE_TITLE_CHARS = 255  # python-docx refuses longer core properties
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id of user-defined properties


def set_properties(docx, document: Document) -> None:
    """Fill the core and custom properties of `docx` and its default language from `document`."""
    core = docx.core_properties
    core.title = shorten(document.title_plain, CORE_TITLE_CHARS)
    core.author = shorten(document.profile.name, CORE_TITLE_CHARS)
    core.language = word_lang(document.lang)
    core.subject = shorten(document.labels.get(document.kind.replace("-", "_"), document.kind), CORE_TITLE_CHARS)
    core.created = dt.datetime.fromisoformat(document.date_iso)  # the statement's date
    core.modified = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)  # when it was built (python-docx writes UTC)
    core.last_modified_by = "mmnpress"
    core.comments = shorten(f"Made with mmnpress {__version__} from {document.source_file}", CORE_TITLE_CHARS)
    core.revision = 1
    _default_language(docx, document.lang)
    _custom_properties(docx, {
        "mmnpress.statement": document.source_file,
        "mmnpress.hash": document.source_hash,
        "mmnpress.kind": document.kind,
        "mmnpress.lang": document.lang,
    })


def _default_language(docx, lang: str) -> None:
    """Make `lang` the language of text that names none, for spelling and line breaking."""
    styles = docx.styles.element
    rpr = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    tag = word_lang(lang)
    rpr.append(element("w:lang", {"w:val": tag, "w:eastAsia": tag, "w:bidi": tag}))


def _custom_properties(docx, values: dict[str, str]) -> None:
    """Add docProps/custom.xml holding `values` as text properties."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(values.items(), start=2):
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=USER_DEFINED, pid=str(pid), name=without_forbidden(name))
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = without_forbidden(value)
    blob = XML_DECLARATION + etree.tostring(root, encoding="UTF-8")
    package = docx.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:  # the template's own (a generated one records its profile)
            package.rels.pop(rel_id)
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_CONTENT_TYPE, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)
