"""Write WordprocessingML for rich text as lxml elements.

A `Writer` turns the render model's rich text into runs, hyperlinks,
footnote references, bookmarks and paragraphs, and collects the footnotes
and link relationships they need. Elements are built with lxml, never by
pasting strings, so every text is escaped by the serializer. `template_xml`
serializes finished elements once, for a docxtpl template to insert.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

from ..document import Block, Note, Rich, Run
from ..unicode.chars import without_forbidden
from .bookmarks import bookmark_name

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSMAP = {"w": W_NS, "r": R_NS}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
HYPERLINK = R_NS + "/hyperlink"
SCRIPT_FONTS = {"th": "Noto Sans Thai", "my": "Noto Sans Myanmar", "km": "Noto Sans Khmer", "lo": "Noto Sans Lao"}
LANG_TAGS = {"en": "en-GB", "th": "th-TH", "my": "my-MM", "km": "km-KH", "lo": "lo-LA", "vi": "vi-VN",
             "ja": "ja-JP", "ko": "ko-KR", "zh": "zh-CN"}
BOLD = ("w:b", "w:bCs")
# Link targets Word may open; others (file://, javascript:, a UNC path that leaks
# Windows credentials when clicked) print as plain text, like templates/*/common.typ.
SAFE_LINK = re.compile(r"(?i)^(https?://|mailto:|tel:)")
# Characters a template must not read as Jinja syntax, and their references.
_TEMPLATE_SYNTAX = str.maketrans({"{": "&#123;", "}": "&#125;", "%": "&#37;"})
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def qn(name: str) -> str:
    """Return the Clark name of a prefixed name: "w:p" -> "{http://...main}p"."""
    prefix, local = name.split(":")
    return f"{{{NSMAP[prefix]}}}{local}"


def element(name: str, attributes: dict[str, str] | None = None, children: Iterable = ()) -> etree._Element:
    """Return a new element `name` ("w:p") with prefixed `attributes` and `children`."""
    attributes = attributes or {}
    prefixes = {name.split(":")[0], *(k.split(":")[0] for k in attributes)}
    made = etree.Element(qn(name), {qn(k): v for k, v in attributes.items()}, nsmap={p: NSMAP[p] for p in prefixes})
    made.extend(children)
    return made


def template_xml(elements: Iterable[etree._Element]) -> str:
    """Serialize `elements` for a template: no namespace declarations, Jinja syntax as references."""
    wrapper = element("w:body", children=elements)
    whole = etree.tostring(wrapper, encoding="unicode")
    inner = whole[whole.index(">") + 1:whole.rindex("</")] if len(wrapper) else ""
    return inner.translate(_TEMPLATE_SYNTAX)


def text_xml(text: str) -> str:
    """Escape plain text for a template's XML, Jinja syntax too, so templates never see tags."""
    return without_forbidden(text).translate(_XML_TEXT).translate(_TEMPLATE_SYNTAX)


def word_lang(lang: str) -> str:
    """Return the language tag Word expects (th -> th-TH)."""
    return LANG_TAGS.get(lang, lang)


@dataclass
class Tracking:
    """Who made a redline's tracked changes and when, and the ids they take."""

    author: str
    date: str  # ISO 8601 in UTC, as Word writes it: 2026-11-30T05:00:00Z
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(10_000))  # clear of bookmark ids

    def mark(self, change: str) -> etree._Element:
        """Return an empty `w:ins` or `w:del` ("ins", "del") with the next id, the author and the date."""
        return element(f"w:{change}", {"w:id": str(next(self.ids)), "w:author": self.author, "w:date": self.date})

    def wrap(self, run: etree._Element, change: str) -> etree._Element:
        """Return `run` inside a tracked insertion or deletion (its text then deleted text)."""
        if change == "del":
            for text in run.iter(qn("w:t")):
                text.tag = qn("w:delText")
        wrapper = self.mark(change)
        wrapper.append(run)
        return wrapper


@dataclass
class Writer:
    """Build run and paragraph elements, collecting footnotes and link targets.

    With `tracking`, runs, notes and paragraphs whose render model carries a
    change mark ("ins", "del"), or that are written while `changing` is in
    force, become tracked changes; a deleted item keeps no bookmark.
    """

    part: object  # the python-docx part that owns hyperlink relationships
    notes_part: object
    lang: str
    footnotes: list[etree._Element] = field(default_factory=list)
    bookmark_id: int = 0
    tracking: Tracking | None = None
    change: str | None = None  # the change of everything written now

    @contextlib.contextmanager
    def changing(self, change: str | None):
        """Mark everything written inside the block with `change` (nothing when None)."""
        before = self.change
        self.change = change or before
        try:
            yield
        finally:
            self.change = before

    def runs(self, rich: Rich, extra: tuple[str, ...] = ()) -> list[etree._Element]:
        """Return the elements of rich text; `extra` names run properties to add ("w:b")."""
        return [self.inline(item, extra) for item in rich]

    def inline(self, inline: Run | Note, extra: tuple[str, ...] = ()) -> etree._Element:
        """Return a run, a hyperlink holding a run, or a footnote reference."""
        if isinstance(inline, Note):
            return self.note(inline)
        if inline.link and not SAFE_LINK.match(inline.link):
            inline = replace(inline, link=None)  # as the PDF does: file://, javascript:, \\server\share print as text
        run = self.run(inline, extra)
        if not inline.link:
            return run
        rid = self.part.relate_to(inline.link, HYPERLINK, is_external=True)
        return element("w:hyperlink", {"r:id": rid, "w:history": "1"}, [run])

    def run(self, run: Run, extra: tuple[str, ...] = ()) -> etree._Element:
        """Return one `w:r`; line breaks in its text become `w:br`."""
        made = element("w:r", children=[element("w:rPr", children=[*map(element, extra), *_run_properties(run, self.lang)])])
        for index, piece in enumerate(run.text.split("\n")):
            if index:
                made.append(element("w:br"))
            made.append(_text(piece))
        return self._tracked(made, run.change)

    def _tracked(self, run: etree._Element, change: str | None) -> etree._Element:
        """Return `run` as a tracked change when it or the writer's current item carries one."""
        change = change or self.change
        return self.tracking.wrap(run, change) if change and self.tracking else run

    def note(self, note: Note) -> etree._Element:
        """Add `note` to the footnotes; return the run that refers to it."""
        number = str(len(self.footnotes) + 1)
        change = note.change or self.change
        inner = Writer(self.notes_part, self.notes_part, self.lang, tracking=self.tracking, change=change)
        paragraphs = []
        for index, runs in enumerate(note.paragraphs or ((),)):
            mark = [_styled_run("FootnoteReference", element("w:footnoteRef")), element("w:r", children=[_text(" ")])]
            properties = element("w:pPr", children=[element("w:pStyle", {"w:val": "FootnoteText"})])
            inner.mark_paragraph(properties)
            content = [*(inner._tracked(r, None) for r in (mark if index == 0 else ())), *inner.runs(runs)]
            paragraphs.append(element("w:p", children=[properties, *content]))
        self.footnotes.append(element("w:footnote", {"w:id": number}, paragraphs))
        return self._tracked(_styled_run("FootnoteReference", element("w:footnoteReference", {"w:id": number})), note.change)

    def mark_paragraph(self, properties: etree._Element) -> None:
        """Mark the paragraph mark of `properties` (a `w:pPr`) inserted or deleted with the current change."""
        if self.change and self.tracking:
            properties.append(element("w:rPr", children=[self.tracking.mark(self.change)]))

    def bookmark(self, path: str, content: list[etree._Element]) -> list[etree._Element]:
        """Return `content` between the start and end of the bookmark of YAML `path` (none when deleted)."""
        if self.change == "del":
            return content
        start, end = self._bookmark_ends(path)
        return [start, *content, end]

    def bookmark_paragraphs(self, path: str, paragraphs: list[etree._Element]) -> list[etree._Element]:
        """Put the bookmark of `path` around `paragraphs`: from inside the first to inside the last."""
        if self.change == "del":
            return paragraphs
        start, end = self._bookmark_ends(path)
        paragraphs[0].insert(1, start)  # after the paragraph properties, which come first
        paragraphs[-1].append(end)
        return paragraphs

    def _bookmark_ends(self, path: str) -> tuple[etree._Element, etree._Element]:
        self.bookmark_id += 1
        number = str(self.bookmark_id)
        return (element("w:bookmarkStart", {"w:id": number, "w:name": bookmark_name(path)}),
                element("w:bookmarkEnd", {"w:id": number}))

    def paragraph(self, content: list[etree._Element], style: str | None = None, keep_next: bool = False) -> etree._Element:
        """Return a `w:p` of `content` in paragraph style `style`."""
        properties = element("w:pPr")
        if style:
            properties.append(element("w:pStyle", {"w:val": style}))
        if keep_next:
            properties.append(element("w:keepNext"))
        if self.lang in SCRIPT_FONTS:
            # justified lines in scripts without spaces between words open wide gaps (the PDF sets them ragged too)
            properties.append(element("w:jc", {"w:val": "left"}))
        self.mark_paragraph(properties)
        return element("w:p", children=[properties, *content])

    def block(self, block: Block | None, keep_next: bool = False) -> list[etree._Element]:
        """Return the paragraph of `block` (none for None), its text in the block's bookmark."""
        if block is None:
            return []
        style = {"heading": "Heading2", "quote": "Quote"}.get(block.style)
        with self.changing(block.change):
            return [self.paragraph(self.bookmark(block.path, self.runs(block.text)), style, keep_next)]


def mark_literals(root: etree._Element, literals: dict[str, tuple[str, str]], tracking: Tracking) -> None:
    """Replace each run holding a placeholder of `literals` by its old text deleted and its new text inserted.

    Plain texts a template prints itself (the date line) cannot hold runs, so a
    redline renders a placeholder there and this turns it into tracked runs
    that keep the run's properties.
    """
    for text in list(root.iter(qn("w:t"))):
        found = next((key for key in literals if key in (text.text or "")), None)
        run = text.getparent()
        if found is None or run.tag != qn("w:r") or len(run.findall(qn("w:t"))) != 1:
            continue
        before, _, after = text.text.partition(found)
        old, new = literals[found]
        pieces = [(before, None), (old, "del"), (new, "ins"), (after, None)]
        made = [_copy_with_text(run, text, piece, change, tracking) for piece, change in pieces if piece]
        parent, index = run.getparent(), run.getparent().index(run)
        parent.remove(run)
        for offset, item in enumerate(made):
            parent.insert(index + offset, item)


def _copy_with_text(run: etree._Element, text: etree._Element, piece: str, change: str | None, tracking: Tracking):
    from copy import deepcopy

    copy = deepcopy(run)
    copy.find(qn("w:t")).text = piece
    return tracking.wrap(copy, change) if change else copy


def _text(text: str) -> etree._Element:
    made = element("w:t")
    made.set(XML_SPACE, "preserve")
    made.text = without_forbidden(text)
    return made


def _styled_run(style: str, content: etree._Element) -> etree._Element:
    properties = element("w:rPr", children=[element("w:rStyle", {"w:val": style})])
    return element("w:r", children=[properties, content])


def _run_properties(run: Run, doc_lang: str) -> list[etree._Element]:
    """Return the properties of `run`, in the order WordprocessingML's schema wants."""
    props = []
    if run.link:
        props.append(element("w:rStyle", {"w:val": "Hyperlink"}))
    script = run.lang or doc_lang  # runs in the document language carry no lang of their own
    if script in SCRIPT_FONTS:
        font = SCRIPT_FONTS[script]
        props.append(element("w:rFonts", {"w:ascii": font, "w:hAnsi": font, "w:cs": font}))
    elif run.code:
        props.append(element("w:rFonts", {"w:ascii": "Noto Sans Mono", "w:hAnsi": "Noto Sans Mono"}))
    for flag, names in ((run.strong, BOLD), (run.em, ("w:i", "w:iCs")), (run.strike, ("w:strike",)),
                        (run.smallcaps, ("w:smallCaps",))):
        props += [element(name) for name in names] if flag else []
    if run.sup or run.sub:
        props.append(element("w:vertAlign", {"w:val": "superscript" if run.sup else "subscript"}))
    lang = word_lang(run.lang or doc_lang)
    props.append(element("w:lang", {"w:val": lang, "w:bidi": lang}))
    return props
