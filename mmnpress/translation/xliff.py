"""XLIFF 1.2: what every CAT tool reads (OmegaT through Okapi, Trados, memoQ, Poedit, Weblate).

One `<trans-unit>` per segment, its id and resname the segment path, its
`extradata` the hash of its source. Codes are inline elements with
`equiv-text`: `<x/>` for a citation or note mark, `<g>` around emphasis,
strong, link text and an inline note's text, so a CAT tool protects them and
the text inside a `<g>` stays translatable. The field's description, length
hint and codes are a `<note>`; the project's close translations and the
earlier source of a changed segment are `<alt-trans>`.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .. import __version__
from ..errors import display_path
from . import inline
from .exchange import Incoming, Returned
from .exporter import REVIEW, TRANSLATED, Export, Unit

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML = "http://www.w3.org/XML/1998/namespace"
DATATYPE = "x-mmnpress-statement"
_REVIEW_STATES = ("needs-review-translation", "needs-review-l10n", "needs-review-adaptation", "needs-translation", "new")


def _element(parent, tag: str, **attributes) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS}}}{tag}", {k.replace("_", "-"): v for k, v in attributes.items()})


def write(export: Export) -> bytes:
    """Return the XLIFF 1.2 file of an export."""
    root = etree.Element(f"{{{NS}}}xliff", nsmap={None: NS}, version="1.2")
    file = _element(root, "file", original=export.original, source_language=export.source_lang,
                    target_language=export.target_lang, datatype=DATATYPE)
    header = _element(file, "header")
    _element(header, "tool", tool_id="mmnpress", tool_name="mmnpress", tool_version=__version__)
    _element(header, "note").text = (f"Translation of {export.original} into '{export.target_lang}'. Bring it back with: "
                                     f"mmnpress translate import FILE")
    body = _element(file, "body")
    for unit in export.units:
        _unit(body, unit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _unit(body, unit: Unit) -> None:
    segment = unit.segment
    element = _element(body, "trans-unit", id=segment.path, resname=segment.path, extradata=segment.digest)
    element.set(f"{{{XML}}}space", "preserve")
    source = segment.content
    _fill(_element(element, "source"), source)
    if unit.target is not None:
        target = _element(element, "target", state=unit.state)
        if unit.state == TRANSLATED and unit.why.startswith("identical"):
            target.set("state-qualifier", "exact-match")
        _fill(target, unit.target, inline.codes(source))
    _element(element, "note", **{"from": "mmnpress"}).text = segment.note() + (f"\nPre-filled from {unit.why}." if unit.why else "")
    if unit.state == REVIEW and unit.previous:
        alternative = _element(element, "alt-trans", alttranstype="previous-version")
        _element(alternative, "source").text = unit.previous
    for offer in unit.offers:
        alternative = _element(element, "alt-trans", match_quality=f"{offer.score}%" if offer.score else "", origin=offer.origin,
                               alttranstype="proposal")
        if not offer.score:
            del alternative.attrib["match-quality"]
        _element(alternative, "source").text = offer.source
        _element(alternative, "target").text = offer.target


def _fill(element, content: list, codes: dict[int, inline.Code] | None = None) -> None:
    """Write text and codes into `element`: source content holds Codes, target content Refs (looked up in `codes`)."""
    last = None
    for part in content:
        if isinstance(part, str):
            if last is None:
                element.text = (element.text or "") + part
            else:
                last.tail = (last.tail or "") + part
            continue
        code = part if isinstance(part, inline.Code) else codes[part.id]
        ctype = inline.KINDS[code.kind][0]
        if code.paired:
            last = _element(element, "g", id=str(code.id), ctype=ctype, equiv_text=code.open + "…" + code.close)
            _fill(last, part.content or [], codes)
        else:
            last = _element(element, "x", id=str(code.id), ctype=ctype, equiv_text=code.open)


def read(path: Path) -> Returned:
    """Read an XLIFF 1.2 file back (external entities and the network are never used)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    shown = display_path(path)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as error:
        return Returned(shown, "", "", "", [], [(error.lineno or 1, f"not well-formed XML: {error.msg}")])
    file = tree.getroot().find(f"{{{NS}}}file")
    if tree.getroot().tag != f"{{{NS}}}xliff" or file is None:
        return Returned(shown, "", "", "", [], [(1, "not an XLIFF 1.2 file (no <xliff><file> in the XLIFF 1.2 namespace)")])
    units = [_incoming(unit) for unit in file.iter(f"{{{NS}}}trans-unit")]
    problems = [] if file.get("datatype") == DATATYPE else [(file.sourceline, "this XLIFF file was not made by mmnpress translate export")]
    return Returned(shown, file.get("original", ""), file.get("source-language", ""), file.get("target-language", ""), units, problems)


def _incoming(unit) -> Incoming:
    target = unit.find(f"{{{NS}}}target")
    problems: list[str] = []
    content = _content(target, problems) if target is not None else None
    if content is not None and not inline.target_text(content).strip() and not any(isinstance(p, inline.Ref) for p in content):
        content = None
    reviewed = target is None or target.get("state") not in _REVIEW_STATES
    line = (target if target is not None else unit).sourceline
    return Incoming(unit.get("id", ""), line, unit.get("extradata", ""), content, reviewed, problems)


def _content(element, problems: list[str]) -> list:
    """Return the text and Refs inside a target; a <mrk> a CAT tool added counts as its content."""
    out: list = [element.text] if element.text else []
    for child in element:
        if not isinstance(child.tag, str):
            pass  # a comment or processing instruction
        else:
            name = etree.QName(child).localname
            number = child.get("id", "")
            if name == "mrk":
                out += _content(child, problems)
            elif name in ("x", "g") and number.isdigit():
                out.append(inline.Ref(int(number), _content(child, problems) if name == "g" else None))
            else:
                problems.append(f"<{name} id=\"{number}\"> is not a code of the source; use the source's <x/> and <g> codes")
        if child.tail:
            out.append(child.tail)
    return out
