"""Render a `Document` to Word through the organisation's docxtpl template.

The template decides order, letterhead and styles; this module writes the
WordprocessingML for rich text (runs, links, footnote references, numbered
recommendations, the contact block) and hands it to the template as
pre-built XML. Jinja runs sandboxed with autoescape and StrictUndefined, and
every user string is XML-escaped here with braces as character references,
so nothing typed in a statement is ever read as template code.
"""

from __future__ import annotations

import functools
import io
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..document import Block, Contact, Document, Note, Profile, Rich, Run, short_title, shorten
from ..errors import RenderError, display_path
from ..paths import bookmark_name
from . import DEFAULT_OPTIONS, Renderer, RenderOptions

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINK = R_NS + "/hyperlink"
SCRIPT_FONTS = {"th": "Noto Sans Thai", "my": "Noto Sans Myanmar", "km": "Noto Sans Khmer", "lo": "Noto Sans Lao"}
LANG_TAGS = {"en": "en-GB", "th": "th-TH", "my": "my-MM", "km": "km-KH", "lo": "lo-LA", "vi": "vi-VN"}
RENDER_SECONDS = 10
# Link targets Word may open; others (file://, javascript:, a UNC path that leaks
# Windows credentials when clicked) print as plain text, like templates/*/common.typ.
SAFE_LINK = re.compile(r"(?i)^(https?://|mailto:|tel:)")
MAX_TEMPLATE_BYTES = 64 * 1024 * 1024  # unpacked; a zip bomb is refused before python-docx opens it
# A template may not make a sequence longer, or pass a number larger, than this:
# one huge C-level operation ('a' * 10**9, 'a'.center(10**9)) cannot be interrupted.
MAX_REPEAT = 1_000_000
_HUGE_WIDTH = re.compile(r"\d{7,}")  # a width in a format string such as %0999999999d
# Characters XML 1.0 cannot hold (citeproc may pass a JSON escape such as \u0001 through).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
CORE_TITLE_CHARS = 255  # python-docx refuses longer core properties


def text_xml(text: str) -> str:
    """Escape text for WordprocessingML, braces too so templates never see tags."""
    text = _NOT_XML.sub("", text)
    return escape(text).replace("{", "&#123;").replace("}", "&#125;").replace("%", "&#37;")


def literal(text: str):
    """Return `text` as template-safe markup that prints exactly as typed."""
    from markupsafe import Markup

    return Markup(text_xml(text))


def word_lang(lang: str) -> str:
    """Return the language tag Word expects (th -> th-TH)."""
    return LANG_TAGS.get(lang, lang)


@dataclass
class _Writer:
    """Build run and paragraph XML, collecting footnotes and link targets."""

    part: object  # the python-docx part that owns hyperlink relationships
    notes_part: object
    lang: str
    footnotes: list[str] = field(default_factory=list)
    bookmark_id: int = 0

    def runs(self, rich: Rich, extra_rpr: str = "") -> str:
        return "".join(self.inline(i, extra_rpr) for i in rich)

    def inline(self, inline: Run | Note, extra_rpr: str = "") -> str:
        if isinstance(inline, Note):
            return self.note(inline)
        if inline.link and not SAFE_LINK.match(inline.link):
            inline = replace(inline, link=None)  # as the PDF does: file://, javascript:, \\server\share print as text
        run = self.run(inline, extra_rpr)
        if inline.link:
            rid = self.part.relate_to(inline.link, HYPERLINK, is_external=True)
            return f'<w:hyperlink r:id="{rid}" w:history="1">{run}</w:hyperlink>'
        return run

    def run(self, run: Run, extra_rpr: str = "") -> str:
        props = extra_rpr + _run_props(run, self.lang)
        pieces = run.text.split("\n")
        body = "<w:br/>".join(f'<w:t xml:space="preserve">{text_xml(p)}</w:t>' for p in pieces)
        return f"<w:r><w:rPr>{props}</w:rPr>{body}</w:r>"

    def note(self, note: Note) -> str:
        number = len(self.footnotes) + 1
        inner = _Writer(self.notes_part, self.notes_part, self.lang)
        paragraphs = []
        for index, runs in enumerate(note.paragraphs or ((),)):
            mark = '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>'
            paragraphs.append(
                f'<w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>{mark if index == 0 else ""}{inner.runs(runs)}</w:p>'
            )
        self.footnotes.append(f'<w:footnote w:id="{number}">{"".join(paragraphs)}</w:footnote>')
        return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{number}"/></w:r>'

    def bookmark(self, path: str, content: str) -> str:
        self.bookmark_id += 1
        name = bookmark_name(path)
        start = f'<w:bookmarkStart w:id="{self.bookmark_id}" w:name="{name}"/>'
        return f'{start}{content}<w:bookmarkEnd w:id="{self.bookmark_id}"/>'

    def paragraph(self, content: str, style: str | None = None, keep_next: bool = False) -> str:
        ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
        ppr += "<w:keepNext/>" if keep_next else ""
        # justified lines in scripts without spaces between words open wide gaps (the PDF sets them ragged too)
        ppr += '<w:jc w:val="left"/>' if self.lang in SCRIPT_FONTS else ""
        return f"<w:p><w:pPr>{ppr}</w:pPr>{content}</w:p>"

    def block(self, block: Block | None) -> str:
        if block is None:
            return ""
        style = {"heading": "Heading2", "quote": "Quote"}.get(block.style)
        return self.paragraph(self.bookmark(block.path, self.runs(block.text)), style)


def _run_props(run: Run, doc_lang: str) -> str:
    props = []
    script = run.lang or doc_lang  # runs in the document language carry no lang of their own
    if script in SCRIPT_FONTS:
        font = SCRIPT_FONTS[script]
        props.append(f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/>')
    elif run.code:
        props.append('<w:rFonts w:ascii="Noto Sans Mono" w:hAnsi="Noto Sans Mono"/>')
    props += [tag for flag, tag in (
        (run.strong, "<w:b/><w:bCs/>"), (run.em, "<w:i/><w:iCs/>"), (run.strike, "<w:strike/>"),
        (run.smallcaps, "<w:smallCaps/>"),
    ) if flag]
    if run.link:
        props.insert(0, '<w:rStyle w:val="Hyperlink"/>')
    if run.sup or run.sub:
        props.append(f'<w:vertAlign w:val="{"superscript" if run.sup else "subscript"}"/>')
    lang = word_lang(run.lang or doc_lang)
    props.append(f'<w:lang w:val="{lang}" w:bidi="{lang}"/>')
    return "".join(props)


def _recommendations(writer: _Writer, document: Document) -> str:
    parts = [writer.block(document.recommendations_intro)]
    for item in document.recommendations:
        title = writer.bookmark(item.path + ".title", writer.runs(item.title, "<w:b/><w:bCs/>"))
        dash = writer.run(Run(" \u2013 "))
        text = writer.bookmark(item.path + ".text", writer.runs(item.text))
        parts.append(writer.paragraph(title + dash + text, "Recommendation"))
    return "".join(parts)


def _contacts(writer: _Writer, document: Document) -> str:
    parts = [writer.paragraph(writer.run(Run(document.contacts_heading)), "ContactHeading", keep_next=True)]
    if document.contacts_heading_en:
        parts.append(writer.paragraph(writer.run(Run(document.contacts_heading_en, lang="en")), "ContactHeadingEnglish", True))
    for index, contact in enumerate(document.contacts):
        last = index == len(document.contacts) - 1
        parts.append(_contact(writer, contact, document.labels, last))
    return "".join(parts)


def _contact(writer: _Writer, contact: Contact, labels: dict[str, str], last: bool) -> str:
    """Return the paragraphs of one contact: one bookmark over all, one per field."""
    field = functools.partial(_field, writer, contact.path)
    name = field("name", writer.run(Run(contact.name, strong=True)))
    if contact.name_local:
        local = writer.run(Run(contact.name_local, strong=True, lang=contact.name_local_lang))
        name += writer.run(Run(" (")) + field("name_local", local) + writer.run(Run(")"))
    lines = [name]
    if contact.role:
        lines.append(field("role", writer.run(Run(contact.role))))
    details = []
    if contact.email:
        email = writer.inline(Run(contact.email, link=f"mailto:{contact.email}"))
        details.append(writer.run(Run(f"{labels['email']}: ")) + field("email", email))
    if contact.phones:
        details.append(writer.run(Run(f"{labels['tel']} ")) + field("phone", writer.run(Run(", ".join(contact.phones)))))
    if details:
        lines.append(writer.run(Run(" \u00b7 ")).join(details))
    if contact.languages:
        lines.append(writer.run(Run(f"{labels['languages']}: {contact.languages}", em=True)))
    paragraphs = [writer.paragraph(line, "Contact", keep_next=True) for line in lines]
    spacer = "" if last else writer.paragraph("", "Contact", keep_next=True)
    first, rest = paragraphs[0], "".join(paragraphs[1:]) + spacer
    return _wrap_bookmark(writer, contact.path, first, rest)


def _field(writer: _Writer, path: str, key: str, content: str) -> str:
    """Wrap one field of a contact in its own bookmark (these survive LibreOffice)."""
    return writer.bookmark(f"{path}.{key}", content)


def _wrap_bookmark(writer: _Writer, path: str, first: str, rest: str) -> str:
    """Wrap a bookmark across paragraphs: start inside the first, end inside the last."""
    writer.bookmark_id += 1
    number = writer.bookmark_id
    start = f'<w:bookmarkStart w:id="{number}" w:name="{bookmark_name(path)}"/>'
    first = first.replace("</w:pPr>", "</w:pPr>" + start, 1)
    whole = first + rest
    cut = whole.rfind("</w:p>")
    return whole[:cut] + f'<w:bookmarkEnd w:id="{number}"/>' + whole[cut:]


def _page_of(writer: _Writer, label: str) -> str:
    """Return footer runs for "Page {page} of {total}" with live Word fields."""
    out = []
    for piece in re.split(r"(\{page\}|\{total\})", label):
        if piece in ("{page}", "{total}"):
            field_name = "PAGE" if piece == "{page}" else "NUMPAGES"
            out.append(f'<w:fldSimple w:instr=" {field_name} "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        elif piece:
            out.append(writer.run(Run(piece)))
    return "".join(out)


def _context(writer: _Writer, document: Document) -> dict:
    from markupsafe import Markup

    def xml(value: str) -> Markup | str:
        return Markup(value) if value else ""

    def blocks(items) -> Markup | str:
        return xml("".join(writer.block(b) for b in items))

    profile = document.profile
    date_line = f"{document.place}, {document.date_text}" if document.place else document.date_text
    return {
        "draft": document.draft,
        "labels": {k: literal(v) for k, v in document.labels.items()},
        "organisation": {"name": literal(profile.name), "short_name": literal(profile.short_name),
                         "website": literal(profile.website), "address": literal(profile.address)},
        "title": xml(writer.bookmark("title", writer.runs(document.title.text))),
        "subtitle": xml(writer.bookmark("subtitle", writer.runs(document.subtitle.text))) if document.subtitle else "",
        "header_title": xml(writer.run(Run(short_title(document)))),
        "page_of": xml(_page_of(writer, document.labels["page_of"])),
        "date_line": literal(date_line),
        "release_line": literal(document.release_line),
        "end_mark": literal(document.end_mark),
        "summary": xml(_with_dateline(writer, [document.summary], document.dateline, "Summary")) if document.summary else "",
        "body": xml(_with_dateline(writer, document.body, "" if document.summary else document.dateline)),
        "recommendations": xml(_recommendations(writer, document)) if document.recommendations else "",
        "closing": blocks(document.closing),
        "notes_to_editors": blocks(document.notes_to_editors),
        "signatories": xml(_signatories(writer, document)),
        "about_heading": literal(document.labels["about"].replace("{name}", profile.short_name)),
        "about": blocks([document.about] if document.about else []),
        "contacts": xml(_contacts(writer, document)) if document.contacts else "",
        "references": xml("".join(writer.paragraph(writer.runs(r.text), "Reference") for r in document.references)),
    }


def _with_dateline(writer: _Writer, blocks, dateline: str, style: str | None = None) -> str:
    """Return the blocks' XML, the first paragraph led by the press release dateline."""
    if not dateline or not blocks:
        return "".join(writer.paragraph(writer.bookmark(b.path, writer.runs(b.text)), style) if style else writer.block(b)
                       for b in blocks)
    first, rest = blocks[0], blocks[1:]
    lead = writer.run(Run(dateline + " ", strong=True))
    paragraph = writer.paragraph(lead + writer.bookmark(first.path, writer.runs(first.text)), style)
    return paragraph + "".join(writer.block(b) for b in rest)


def _signatories(writer: _Writer, document: Document) -> str:
    parts = []
    for item in document.signatories:
        runs = writer.runs(item.name) + (writer.run(Run(f" ({item.country})")) if item.country else "")
        parts.append(writer.paragraph(writer.bookmark(item.path, runs)))
    return "".join(parts)


class WordRenderer(Renderer):
    """Render documents through the organisation's Word templates."""

    name, suffix = "docx", ".docx"
    warm = ("docxtpl", "docx.opc.constants", "docx.opc.part", "docx.oxml", "jinja2.sandbox", "mmnpress.render.docx")

    def __init__(self) -> None:
        self._ready: dict[tuple, object] = {}  # templates opened ahead, each used once

    def prepare(self, template_dir: Path, kind: str, profile: Profile) -> None:
        """Open the Word template of `kind` and compile its Jinja parts."""
        template = open_template(template_dir, kind)
        self._ready[_template_key(template_dir, kind)] = template

    def render(self, document: Document, template_dir: Path, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
        """Return `document` rendered through `template_dir/<kind>.docx` as the bytes of a .docx file."""
        template = self._ready.pop(_template_key(template_dir, document.kind), None)
        template = template or open_template(template_dir, document.kind)
        return _fill(template, document, template_dir / f"{document.kind}.docx")

    def close(self) -> None:
        """Forget the templates opened ahead."""
        self._ready.clear()


def _template_key(template_dir: Path, kind: str) -> tuple:
    """Return what identifies a template file as it is now, so an edited one is opened again."""
    path = template_dir / f"{kind}.docx"
    try:
        info = path.stat()
    except OSError:
        return (path,)
    return path, info.st_mtime_ns, info.st_size


def _fill(template, document: Document, template_path: Path) -> bytes:
    """Render `document` into the opened `template`; return the file's bytes."""
    notes_part = _footnotes_part(template.docx)
    writer = _Writer(template.docx.part, notes_part, document.lang.split("-")[0])
    context = _context(writer, document)
    _render_sandboxed(template, context, template_path)
    _append_footnotes(notes_part, writer.footnotes)
    _properties(template.docx, document)
    buffer = io.BytesIO()
    template.docx.save(buffer)
    return buffer.getvalue()


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
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds for a broken package
        raise RenderError(f"{template_path}: not a usable Word document ({type(error).__name__}: {error})") from None
    try:
        _precompile(template)
    except Exception:  # noqa: BLE001 - a broken template is reported, with its name, when it renders
        pass
    return template


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
    env = sandbox()
    for xml in sources:
        # the same preparation docxtpl applies before it calls from_string
        env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml)))


@functools.lru_cache(maxsize=1)
def sandbox():
    """Return the one sandboxed, autoescaping, strict Jinja environment, caching compiled templates."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class CachingSandbox(_BoundedSandbox, SandboxedEnvironment):
        compiled: dict = {}

        def from_string(self, source, globals=None, template_class=None):
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            if source not in self.compiled:
                if len(self.compiled) > 64:
                    self.compiled.clear()
                self.compiled[source] = super().from_string(source)
            return self.compiled[source]

    env = CachingSandbox(autoescape=True, undefined=StrictUndefined)
    env.filters = {name: _bounded(function) for name, function in env.filters.items()}
    return env


class _BoundedSandbox:
    """Sandbox hooks that bound time and size where Python cannot interrupt.

    Every call a template makes checks the render's deadline, which bounds
    nested loops in any thread. `*` and `**` are intercepted, which also stops
    Jinja from folding `'a' * 10**9` or `9 ** 10**9` while it compiles.
    """

    intercepted_binops = frozenset({"*", "**", "%"})

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        _deadline.check()
        _check_arguments(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj, attribute):
        _check_attribute(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        _check_attribute(obj, argument)
        return super().getitem(obj, argument)

    def call_binop(self, context, operator, left, right):
        _deadline.check()
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left).bit_length() * right > 10_000:
            raise _TooBig(f"{left} ** {right} is too large")
        if operator == "*" and _repeat_size(left, right) > MAX_REPEAT:
            raise _TooBig(f"repeating a {type(left).__name__} to {_repeat_size(left, right)} items")
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        return super().call_binop(context, operator, left, right)


def _bounded(function):
    """Wrap a Jinja filter so that huge size parameters are refused before it runs."""

    value_at = 1 if hasattr(function, "jinja_pass_arg") else 0  # after the context or environment, if passed

    @functools.wraps(function)
    def bounded(*args, **kwargs):
        _deadline.check()
        _check_arguments(args[value_at + 1:], kwargs)
        if function.__name__ == "do_format" and len(args) > 0 and isinstance(args[0], str):
            _check_format(args[0])
        return function(*args, **kwargs)

    return bounded


def _check_attribute(obj, name) -> None:
    _deadline.check()
    if name in ("format", "format_map") and isinstance(obj, str):
        _check_format(obj)


def _check_arguments(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and abs(value) > MAX_REPEAT:
            raise _TooBig(f"the number {value} is too large for a template")


def _check_format(text: str) -> None:
    if _HUGE_WIDTH.search(text):
        raise _TooBig("a format width of seven digits or more")


def _repeat_size(left, right) -> int:
    """Return how many items `left * right` makes when it repeats a sequence, else 0."""
    if isinstance(right, int) and hasattr(left, "__len__"):
        return len(left) * right
    if isinstance(left, int) and hasattr(right, "__len__"):
        return len(right) * left
    return 0


class _TooBig(Exception):
    """Raise when a template computes something too large to finish."""


class _Deadline:
    """The end of the current render, per thread; `check` raises once it has passed."""

    def __init__(self) -> None:
        import threading

        self.local = threading.local()

    def check(self) -> None:
        end = getattr(self.local, "end", None)
        if end is not None and time.monotonic() > end:
            self.local.end = None
            raise RenderTimeout(f"template rendering took longer than {RENDER_SECONDS:g} s")


class RenderTimeout(RenderError):
    """Raise when rendering a template runs past its time limit."""


_deadline = _Deadline()


def _footnotes_part(docx):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rel in docx.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            return rel.target_part
    raise RenderError("the Word template has no footnotes part; regenerate it with scripts/make_templates.py")


def _render_sandboxed(template, context: dict, template_path: Path) -> None:
    """Render the template in the shared sandbox, within RENDER_SECONDS; one clear line on failure."""
    from jinja2 import TemplateError
    from jinja2.sandbox import SecurityError

    template_path = display_path(template_path)
    _strict_parts(template)
    try:
        with _time_limit(RENDER_SECONDS, template_path):
            template.render(context, jinja_env=sandbox(), autoescape=True)
    except RenderTimeout as error:
        raise RenderError(f"{template_path}: {error}") from None
    except RenderError:
        raise
    except (SecurityError, _TooBig) as error:
        raise RenderError(f"{template_path}: template refused by the sandbox: {error}") from None
    except TemplateError as error:
        raise RenderError(f"{template_path}: template error: {error}") from None
    except RecursionError:
        raise RenderError(f"{template_path}: template recurses without end") from None
    except Exception as error:  # noqa: BLE001 - whatever a template does wrong is the template's problem
        message = " ".join(f"{type(error).__name__}: {error}".split())[:300]
        raise RenderError(f"{template_path}: template failed: {message}") from None


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


class _time_limit:
    """Interrupt template rendering that runs longer than `seconds`.

    In the main thread (also a worker process's) SIGALRM interrupts anything
    Python runs. In other threads the sandbox checks the deadline at every
    call, and a trace function checks it on every line of template code, so
    a loop without calls ends too.
    """

    def __init__(self, seconds: float, template_path: str):
        self.seconds, self.template_path = seconds, template_path
        self.armed = self.tracing = False

    def __enter__(self):
        import signal
        import sys
        import threading

        _deadline.local.end = time.monotonic() + self.seconds
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            self.previous = signal.signal(signal.SIGALRM, self._expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.armed = True
        elif sys.gettrace() is None:
            sys.settrace(_trace_templates)
            self.tracing = True
        return self

    def _expired(self, *_):
        raise RenderTimeout(f"template rendering took longer than {self.seconds:g} s")

    def __exit__(self, *_):
        import signal
        import sys

        _deadline.local.end = None
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous if self.previous is not None else signal.SIG_DFL)
        if self.tracing:
            sys.settrace(None)
        return False


def _trace_templates(frame, event, _):
    """Check the deadline at each call; trace the lines of code Jinja compiled from a template."""
    _deadline.check()
    return _trace_lines if frame.f_code.co_filename == "<template>" else None


def _trace_lines(frame, event, _):
    _deadline.check()
    return _trace_lines


def _append_footnotes(part, footnotes: list[str]) -> None:
    from lxml import etree

    if not footnotes:
        return
    root = etree.fromstring(part.blob)
    wrapper = f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">{"".join(footnotes)}</w:footnotes>'
    for note in etree.fromstring(wrapper.encode("utf-8")):
        root.append(note)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _properties(docx, document: Document) -> None:
    import datetime as dt

    core = docx.core_properties
    core.title = shorten(document.title_plain, CORE_TITLE_CHARS)
    core.author = shorten(document.profile.name, CORE_TITLE_CHARS)
    core.language = word_lang(document.lang)
    core.subject = shorten(document.labels.get(document.kind.replace("-", "_"), document.kind), CORE_TITLE_CHARS)
    core.created = dt.datetime.fromisoformat(document.date_iso)
    core.last_modified_by = core.author
    core.revision = 1
    _default_language(docx, document.lang)
    _custom_properties(docx, {
        "mmnpress.statement": document.source_file,
        "mmnpress.hash": document.source_hash,
        "mmnpress.kind": document.kind,
        "mmnpress.lang": document.lang,
    })


def _default_language(docx, lang: str) -> None:
    from docx.oxml.ns import qn

    styles = docx.styles.element
    rpr = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    from docx.oxml import parse_xml

    tag = word_lang(lang)
    rpr.append(parse_xml(f'<w:lang xmlns:w="{W_NS}" w:val="{tag}" w:eastAsia="{tag}" w:bidi="{tag}"/>'))


def _custom_properties(docx, values: dict[str, str]) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    ns = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    props = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(values.items(), start=2)
    )
    blob = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="{ns}" xmlns:vt="{vt}">{props}</Properties>'
    package = docx.part.package
    content_type = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    part = Part(PackURI("/docProps/custom.xml"), content_type, blob.encode("utf-8"), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


RENDERER = WordRenderer
