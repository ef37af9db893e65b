"""Strip from a letterhead what Word would fetch, run or update when a release is opened.

A letterhead is any organisation's Word document, and what is taken from it
reaches every Word file built. Kept: static text, shapes, embedded pictures,
hyperlinks and the page-number fields (PAGE, NUMPAGES, SECTIONPAGES, the only
fields mmnpress writes itself). Removed, and said in one line:

- an attached template (`w:attachedTemplate`: Word fetches it, macros and all);
- every other field (DDEAUTO and DDE run programs; INCLUDEPICTURE, INCLUDETEXT
  and LINK fetch files, leaking the reader's Windows login to a file://host
  share); a field's last shown result stays as plain text;
- pictures linked rather than embedded (`r:link` on `a:blip`, VML
  `v:imagedata` with an external relationship or `o:href`);
- every external relationship that is not a hyperlink, what points to it,
  OLE objects, a mail merge's data source, and the marks that make Word update
  fields on opening (`w:dirty`, `w:updateFields`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
O = "{urn:schemas-microsoft-com:office:office}"  # noqa: E741 - the VML office namespace's usual prefix
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
PAGE_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES"}
FIELD_CODE = (W + "fldChar", W + "instrText", W + "delInstrText")
EMBEDDED_OBJECT_TYPES = ("/oleObject", "/package", "/control")


@dataclass
class Removed:
    """What was taken out of a letterhead, to say in one line."""

    templates: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    pictures: int = 0
    objects: int = 0
    links: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.templates or self.fields or self.pictures or self.objects or self.links)

    def line(self, name: str) -> str:
        """Return the one line that says what was removed from the letterhead `name`."""
        from ..errors import escaped

        said = [f"the attached template {escaped(_short(t))}" for t in self.templates]
        if self.fields:
            names = list(dict.fromkeys(self.fields))
            said.append(f"{_count(len(self.fields), 'live field')} ({', '.join(escaped(n) for n in names)})")
        if self.pictures:
            said.append(_count(self.pictures, "linked picture"))
        if self.objects:
            said.append(_count(self.objects, "OLE object"))
        if self.links:
            kinds = ", ".join(dict.fromkeys(escaped(_short(link)) for link in self.links))
            said.append(f"{_count(len(self.links), 'external link')} ({kinds})")
        listed = ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]
        return f"{name}: removed {listed}; Word would fetch or update them on opening"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def make_safe(document) -> Removed:
    """Strip from a python-docx Document every part of the letterhead Word would fetch, run or update; return what went."""
    removed = Removed()
    package = document.part.package
    for part in list(package.iter_parts()):
        root, parsed = _root(part)
        if root is not None:
            external = {rid for rid, rel in part.rels.items() if rel.is_external and rel.reltype != HYPERLINK}
            _settings(root, part, removed)
            _fields(root, removed)
            _linked(root, part, external, removed)
            if parsed:
                part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        _drop_relationships(part.rels, removed)
    _drop_relationships(package.rels, removed)
    return removed


def _root(part):
    """Return the part's XML root and whether it was parsed here (python-docx keeps only some parts parsed)."""
    element = getattr(part, "_element", None)
    if element is not None:
        return element, False
    if not (part.content_type.endswith("+xml") or part.content_type.endswith("/xml")):
        return None, False
    try:
        return etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)), True
    except etree.XMLSyntaxError:
        return None, False


def _settings(root, part, removed: Removed) -> None:
    """Drop the attached template, the mail merge and the order to update every field on opening."""
    for element in list(root.iter(W + "attachedTemplate")):
        rel = part.rels.get(element.get(R + "id") or "")
        removed.templates.append(rel.target_ref if rel is not None else "(no address)")
        _detach(element)
    for tag in ("mailMerge", "updateFields"):
        for element in list(root.iter(W + tag)):
            if tag == "mailMerge":
                removed.links.append("mail merge data source")
            _detach(element)


def _fields(root, removed: Removed) -> None:
    """Keep page-number fields (not marked dirty); turn every other field into its last shown text."""
    for simple in list(root.iter(W + "fldSimple")):
        name = _field_name(simple.get(W + "instr") or "")
        if name in PAGE_FIELDS:
            simple.attrib.pop(W + "dirty", None)
            continue
        removed.fields.append(name or "(empty)")
        for child in list(simple):
            simple.addprevious(child)
        _detach(simple)
    _complex_fields(root, removed)


def _complex_fields(root, removed: Removed) -> None:
    """Walk the runs of w:fldChar begin / w:instrText / separate / end fields, nested ones included."""
    open_fields: list[dict] = []
    for run in list(root.iter(W + "r")):
        for frame in open_fields:
            (frame["code"] if frame["in_code"] else frame["result"]).append(run)
        for mark in run:
            if mark.tag == W + "fldChar":
                kind = mark.get(W + "fldCharType")
                if kind == "begin":
                    open_fields.append({"begin": mark, "instr": [], "code": [run], "result": [], "in_code": True})
                elif kind == "separate" and open_fields:
                    open_fields[-1]["in_code"] = False
                    open_fields[-1]["code"].append(run)
                elif kind == "end" and open_fields:
                    frame = open_fields.pop()
                    frame["code"].append(run)
                    _close_field(frame, removed)
            elif mark.tag == W + "instrText" and open_fields:
                open_fields[-1]["instr"].append(mark.text or "")


def _close_field(frame: dict, removed: Removed) -> None:
    name = _field_name("".join(frame["instr"]))
    if name in PAGE_FIELDS:
        frame["begin"].attrib.pop(W + "dirty", None)
        return
    removed.fields.append(name or "(empty)")
    for run in frame["code"]:
        if run not in frame["result"]:
            _detach(run)
    for run in frame["result"]:
        for mark in [m for m in run if m.tag in FIELD_CODE]:
            run.remove(mark)
        if all(child.tag == W + "rPr" for child in run):
            _detach(run)


def _field_name(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper().lstrip("\\") if words else ""


def _linked(root, part, external: set[str], removed: Removed) -> None:
    """Remove linked pictures, OLE objects and whatever points to an external relationship other than a hyperlink."""
    for blip in list(root.iter(A + "blip")):
        if blip.get(R + "link") is None:
            continue
        removed.pictures += 1
        if blip.get(R + "embed") and blip.get(R + "embed") not in external:
            del blip.attrib[R + "link"]  # linked and embedded: the embedded copy stays
        else:
            _detach(_run_of(blip))
    for image in list(root.iter(V + "imagedata")):
        linked = image.get(O + "href") or image.get(R + "href") or image.get(R + "id") in external
        if not linked or not _in_tree(image, root):
            continue
        removed.pictures += 1
        if image.get(R + "id") and image.get(R + "id") not in external:
            image.attrib.pop(O + "href", None)
            image.attrib.pop(R + "href", None)
        else:
            _detach(_run_of(image))
    for ole in list(root.iter(W + "object")):
        if _in_tree(ole, root):
            removed.objects += 1
            _detach(_run_of(ole))
    for element in list(root.iter()):
        rid = next((v for n, v in element.attrib.items() if n.startswith(R) and v in external), None)
        if rid is not None and _in_tree(element, root):
            removed.links.append(part.rels[rid].reltype.rsplit("/", 1)[-1])
            _detach(_run_of(element))


def _drop_relationships(rels, removed: Removed) -> None:
    """Drop external relationships other than hyperlinks, and OLE objects' parts (nothing points to them now)."""
    for rid, rel in list(rels.items()):
        if rel.is_external and rel.reltype != HYPERLINK or rel.reltype.endswith(EMBEDDED_OBJECT_TYPES):
            rels.pop(rid)


def _run_of(element):
    """Return the run holding `element` (a picture, object or field), or the element itself outside any run."""
    run = next((a for a in element.iterancestors(W + "r")), None)
    return run if run is not None else element


def _in_tree(element, root) -> bool:
    return element is root or any(ancestor is root for ancestor in element.iterancestors())


def _detach(element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)
