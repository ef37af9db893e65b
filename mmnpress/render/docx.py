"""Render a `Document` to Word through the organisation's docxtpl template.

The template decides order, letterhead and styles. `wordcontext` fills its
variables with the statement's parts as WordprocessingML built by
`wordml.Writer`; the footnotes go to the template's footnotes part and
`docprops` sets the package properties. Jinja runs in `mmnpress.render.sandbox`,
and every user string reaches the template escaped, braces included, so
nothing typed in a statement is ever read as template code.

Those modules load lxml and docxtpl, so they are imported when a document
is rendered, not when the format registry is read.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from ..document import Document, Profile
from ..errors import RenderError, display_path
from . import DEFAULT_OPTIONS, Renderer, RenderOptions, sandbox

MAX_TEMPLATE_BYTES = 64 * 1024 * 1024  # unpacked; a zip bomb is refused before python-docx opens it


class WordRenderer(Renderer):
    """Render documents through the organisation's Word templates."""

    name, suffix = "docx", ".docx"
    templates = "word"
    warm = ("docxtpl", "docx.opc.constants", "docx.opc.part", "docx.oxml", "jinja2.sandbox", "lxml.etree",
            "mmnpress.render.docx", "mmnpress.render.docprops", "mmnpress.render.wordcontext",
            "mmnpress.render.wordaccess", "mmnpress.render.wordfonts", "mmnpress.render.wordzip")

    def __init__(self) -> None:
        self._ready: dict[tuple, object] = {}  # templates opened ahead, each used once
        self._last: tuple[Path, str] | None = None  # the template folder and kind rendered last

    def prepare(self, template_dir: Path, kind: str, profile: Profile) -> None:
        """Open the Word template of `kind` and compile its Jinja parts, unless it is open already."""
        key = _template_key(template_dir, kind)
        if key not in self._ready:
            for older in [k for k in self._ready if k[0] == key[0]]:
                del self._ready[older]  # the file was saved again since
            self._ready[key] = open_template(template_dir, kind)

    def render(self, document: Document, template_dir: Path, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
        """Return `document` rendered through `template_dir/<kind>.docx` as the bytes of a .docx file."""
        template = self._ready.pop(_template_key(template_dir, document.kind), None)
        template = template or open_template(template_dir, document.kind)
        self._last = (template_dir, document.kind)
        return _fill(template, document, template_dir / f"{document.kind}.docx", embed_fonts=options.embed_fonts)

    def ready_again(self) -> None:
        """Open the template rendered last again (a filled template cannot be filled twice)."""
        if self._last is not None:
            self.prepare(*self._last, profile=None)

    def close(self) -> None:
        """Forget the templates opened ahead."""
        self._ready.clear()
        self._last = None


def _template_key(template_dir: Path, kind: str) -> tuple:
    """Return what identifies a template file as it is now, so an edited one is opened again."""
    path = template_dir / f"{kind}.docx"
    try:
        info = path.stat()
    except OSError:
        return (path,)
    return path, info.st_mtime_ns, info.st_size


def tracked_bytes(document: Document, template_dir: Path, tracking, literals: dict[str, tuple[str, str]]) -> bytes:
    """Return a redline: `document`, whose change marks become tracked changes by `tracking`, as .docx bytes.

    `literals` maps placeholders the document holds in plain texts the
    template prints (the date line) to their old and new texts.
    """
    return _fill(open_template(template_dir, document.kind), document, template_dir / f"{document.kind}.docx",
                 tracking, literals)


def _fill(template, document: Document, template_path: Path, tracking=None, literals=None,
          embed_fonts: bool = True) -> bytes:
    """Render `document` into the opened `template`; return the file's bytes."""
    from . import wordaccess, wordcolumns, wordfonts, wordzip
    from .docprops import set_properties
    from .wordcontext import context
    from .wordml import Writer, mark_literals

    notes_part = _footnotes_part(template.docx)
    writer = Writer(template.docx.part, notes_part, document.lang.split("-")[0], tracking=tracking)
    _render(template, context(writer, document), template_path)
    wordcolumns.complete(template.docx.element)
    _append_footnotes(notes_part, writer.footnotes)
    if literals:
        mark_literals(template.docx.element, literals, tracking)
    wordaccess.apply(template.docx, document.profile)
    wordfonts.apply(template.docx, document.lang.split("-")[0], embed=embed_fonts)
    set_properties(template.docx, document)
    return wordzip.package_bytes(template.docx)


def open_template(template_dir: Path, kind: str):
    """Open the Word template of `kind` and compile its Jinja parts ahead of rendering."""
    from docxtpl import DocxTemplate

    template_path = template_dir / f"{kind}.docx"
    if not template_path.is_file():
        raise RenderError(f"{template_path}: no Word template for kind '{kind}'")
    _check_package(template_path)
    try:
        template = DocxTemplate(str(template_path))
        template.init_docx()
        template.patch_xml = _patched_xml
        template.resolve_listing = functools.partial(_resolved_listing, template)
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds for a broken package
        raise RenderError(f"{template_path}: not a usable Word document ({type(error).__name__}: {error})") from None
    try:
        _precompile(template)
    except Exception:  # noqa: BLE001 - a broken template is reported, with its name, when it renders
        pass
    return template


@functools.lru_cache(maxsize=16)
def _patched_xml(source: str) -> str:
    """Return docxtpl's preparation of a template part for Jinja, made once per content.

    It is dozens of regular expressions over the whole part, the same for
    every build of a template, and depends on nothing but the part's XML.
    """
    from docxtpl import DocxTemplate

    return DocxTemplate.patch_xml(None, source)


_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")


def _resolved_listing(template, xml: str) -> str:
    """Return docxtpl's rewriting of tabs, newlines, bells and form feeds typed inside <w:t>, skipped where none is.

    docxtpl runs three nested regular expressions over the whole rendered part
    for it (3 ms a build); the text mmnpress writes holds none of them.
    """
    if _LISTING_TEXT.search(xml) is None:
        return xml
    return type(template).resolve_listing(template, xml)


def _check_package(path: Path) -> None:
    """Refuse a template that is no zip, or unpacks to more than MAX_TEMPLATE_BYTES."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            unpacked = sum(item.file_size for item in package.infolist())
    except (OSError, zipfile.BadZipFile) as error:
        raise RenderError(f"{path}: not a Word document ({error})") from None
    if unpacked > MAX_TEMPLATE_BYTES:
        raise RenderError(f"{path}: unpacks to {unpacked // 2**20} MiB; Word templates are limited to {MAX_TEMPLATE_BYTES // 2**20} MiB")


def _precompile(template) -> None:
    """Compile the body, headers and footers into the shared environment's cache."""
    sources = [template.get_xml()]
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        sources += [template.get_part_xml(part) for _, part in template.get_headers_footers(uri)]
    env = sandbox.environment()
    for xml in sources:
        # the same preparation docxtpl applies before it calls from_string
        env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml)))


def _footnotes_part(docx):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rel in docx.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            return rel.target_part
    raise RenderError("the Word template has no footnotes part; delete it to use one made from profile.yaml, or run mmnpress templates make")


def _render(template, context: dict, template_path: Path) -> None:
    """Render the template in the shared sandbox, within its time limit; one clear line on failure."""
    _strict_parts(template)
    with sandbox.guarded(display_path(template_path)):
        template.render(context, jinja_env=sandbox.environment(), autoescape=True)


def _strict_parts(template) -> None:
    """Make malformed XML from a template an error.

    docxtpl reparses a rendered part with lxml's recover mode, which silently
    drops everything after the first broken tag: a document cut short.
    """
    from lxml import etree

    render_part = type(template).render_xml_part

    def strict(src_xml, part, context, jinja_env=None):
        xml = render_part(template, src_xml, part, context, jinja_env)
        etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
        return xml

    template.render_xml_part = strict


def _append_footnotes(part, footnotes: list) -> None:
    """Add the footnotes to the template's footnotes part."""
    from lxml import etree

    if not footnotes:
        return
    root = etree.fromstring(part.blob)
    root.extend(footnotes)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


RENDERER = WordRenderer
