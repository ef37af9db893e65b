"""Set a long list of signatories in columns in Word: a continuous section of its own with `w:cols`.

A section's properties sit in the last paragraph of the section. The list
writer marks two paragraphs with an incomplete `w:sectPr`: an empty one
before the list (it ends the text before, in one column) and the list's
last one (it ends the list, in columns). Once the template is rendered,
`complete` gives both the page setup of the body's own (last) section, and
the first the headers and footers too, since a first section without them
has none; the last section then starts continuously after the list, and
only the first has a different first page.
"""

from __future__ import annotations

import copy

from lxml import etree

from .wordml import element, qn

MARK = "mmnpress-columns"  # w:sectPr/@w:rsidSect of the marked paragraphs, removed when completed
PAGE_SETUP = ("pgSz", "pgMar", "pgNumType", "docGrid", "bidi", "textDirection")  # what a later section repeats


def columns_before() -> etree._Element:
    """Return the empty paragraph that ends the text before the list."""
    return element("w:p", children=[element("w:pPr", children=[_marked(1), element("w:spacing", {"w:before": "0", "w:after": "0",
                                                                                                      "w:line": "1", "w:lineRule": "exact"})])])


def end_columns(paragraph: etree._Element, count: int) -> None:
    """Make `paragraph` end a section of `count` columns."""
    properties = paragraph.find(qn("w:pPr"))
    change = properties.find(qn("w:pPrChange"))
    if change is not None:
        change.addprevious(_marked(count))
    else:
        properties.append(_marked(count))


def _marked(count: int) -> etree._Element:
    return element("w:sectPr", {"w:rsidSect": MARK}, [element("w:type", {"w:val": "continuous"}),
                                                      element("w:cols", {"w:num": str(count), "w:space": "567"})])


def complete(root: etree._Element) -> None:
    """Fill the marked sections of the rendered document body in with the page setup of its last section."""
    body = root.find(qn("w:body"))
    last = body.find(qn("w:sectPr")) if body is not None else None
    marked = [s for s in root.iter(qn("w:sectPr")) if s.get(qn("w:rsidSect")) == MARK]
    if last is None or not marked:
        return
    for index, section in enumerate(marked):
        del section.attrib[qn("w:rsidSect")]
        wanted = [c for c in last if index == 0 or etree.QName(c).localname in PAGE_SETUP]
        kind, cols = section.find(qn("w:type")), section.find(qn("w:cols"))
        if index == 0:
            section.remove(kind)  # the first section starts the document
        for child in wanted:
            name = etree.QName(child).localname
            if name in ("type", "cols"):
                continue
            made = copy.deepcopy(child)
            (cols.addprevious(made) if _before_cols(name) else section.append(made))
    if last.find(qn("w:type")) is None:
        _insert_type(last)
    for first_page in last.findall(qn("w:titlePg")):
        last.remove(first_page)  # a section starting at the top of a page would take the first page's header


def _before_cols(name: str) -> bool:
    return name in ("headerReference", "footerReference", "footnotePr", "endnotePr", "pgSz", "pgMar", "paperSrc", "pgBorders",
                    "lnNumType", "pgNumType")


def _insert_type(section: etree._Element) -> None:
    """Give the last section w:type continuous, in its place before the page size."""
    kind = element("w:type", {"w:val": "continuous"})
    after = [c for c in section if etree.QName(c).localname in ("headerReference", "footerReference", "footnotePr", "endnotePr")]
    if after:
        after[-1].addnext(kind)
    else:
        section.insert(0, kind)
