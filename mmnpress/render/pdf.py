"""Render a Document to PDF with Typst, in-process.

The document travels to the template as two JSON files at Typst's root
(`data.json`, `view.json`), and the templates place every user string as
text, never as markup, so nothing a user types is evaluated. Files, not
`sys.inputs`: a new `sys.inputs` makes Typst a new standard library, on which
every layout it remembers depends, so each compile would lay out the whole
document again; with files, a rebuild after an edit lays out what changed
(the seed: 31 ms before, 8 ms now). Templates written for `sys.inputs` still
get it. Typst's root is a fresh build folder holding only
copies of the templates and the logo, so a template cannot read anything
else either. Fonts come from PyPI packages (see `mmnpress/fonts/`); system fonts
are ignored so every machine writes the same PDF. The Chinese, Japanese
and Korean fonts join only for a document with such text, listed after
the others in the order its language prefers.

Loading fonts is the cold cost of a compile. A `PdfRenderer` keeps the font
set and one compiler per template folder, so a batch or the watcher pays it
once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import sys
import tempfile
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mmnpress import fonts
from mmnpress.document import Document, Profile, data_runs, short_title, to_data, view_data
from mmnpress.errors import InputError, Problem, RenderError, display_path
from mmnpress.fonts import coverage
from mmnpress.i18n import digits
from mmnpress.render import DEFAULT_OPTIONS, Renderer, RenderOptions, pdfbreaks
from mmnpress.unicode import scripts

KNOWN_STANDARDS = ("ua-1", "a-1a", "a-1b", "a-2a", "a-2b", "a-2u", "a-3a", "a-3b", "a-3u", "a-4", "a-4e", "a-4f")
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")

class PdfRenderError(RenderError):
    """Raise when Typst cannot make the PDF; the message is one readable line."""


def parse_standards(pdf_standard: str) -> list[str]:
    """Return the Typst standards named by "ua-1,a-2a" or "none"."""
    names = [s.strip().lower() for s in pdf_standard.split(",") if s.strip()]
    if names in ([], ["none"]):
        return []
    unknown = [s for s in names if s not in KNOWN_STANDARDS]
    if unknown:
        raise PdfRenderError(f"unknown PDF standard {', '.join(unknown)!s}; use none or any of {', '.join(KNOWN_STANDARDS)}")
    return names


@dataclass
class _Build:
    """A template folder copied to a private Typst root, with its compiler."""

    source: Path
    folder: Path
    compiler: Any
    signature: tuple
    reads_sys_inputs: bool = False  # an organisation's template written before the JSON files
    has_marks: bool = False  # its text has combining marks, so its clusters may need repair

    def __post_init__(self) -> None:
        # Removes the folder when the build is dropped or the process exits.
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.folder, True)

    def remove(self) -> None:
        """Delete the build folder now."""
        self._cleanup()

    def hand_over(self, inputs: dict[str, str]) -> dict[str, str]:
        """Write each input as `NAME.json` at the root; return the `sys.inputs` to compile with."""
        for name, text in inputs.items():
            (self.folder / f"{name}.json").write_text(text, encoding="utf-8")
        return inputs if self.reads_sys_inputs else {}


# Typst keeps the whole layout in memory, growing with the text: about 0.55 MiB per
# 1,000 characters over a base (measured with cited paragraphs: 222,636 characters took
# 195 MiB, about 438,000 took 313 MiB). A PDF is refused only when the memory it needs
# (estimated with a margin) is not free; a long one says so on one line first.
BASE_MIB = 120
MIB_PER_1000_CHARACTERS = 0.7
PROGRESS_CHARACTERS = 200_000
# Up to this length the PDF renders beside the Word file; a longer text renders
# after it, so Typst's layout and the Word file's XML are not in memory at once.
CONCURRENT_CHARACTERS = 100_000


_MEASURED: list = [None, 0]  # the document measured last (a weak reference) and its length


def memory_needed_mib(characters: int) -> int:
    """Return the memory (MiB) laying out `characters` of text takes, estimated with a margin."""
    return int(BASE_MIB + characters * MIB_PER_1000_CHARACTERS / 1000)


def free_memory_mib() -> int | None:
    """Return the memory this process can still get without swapping, in MiB; None where unknown.

    The system's MemAvailable, or less where a control group (a container) sets a lower limit.
    """
    free = []
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            free += [int(line.split()[1]) // 1024 for line in info if line.startswith("MemAvailable:")]
    except (OSError, ValueError, IndexError):
        pass
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text(encoding="ascii").strip()
        used = Path("/sys/fs/cgroup/memory.current").read_text(encoding="ascii").strip()
        if limit.isdigit() and used.isdigit():
            free.append((int(limit) - int(used)) // 2**20)
    except OSError:
        pass
    return min(free) if free else None


def text_length(document: Document) -> int:
    """Return the number of characters in the strings of `document` (text, notes, names).

    A build asks twice about one document (`check`, then `concurrent`), so
    the length of the document measured last is remembered.
    """
    last, length = _MEASURED
    if last is None or last() is not document:
        data = to_data(document)
        if data["signatory_groups"]:
            data["signatories"] = []  # the template lays out the groups, which hold the same signatories
        length = sum(len(text) for text in _strings(data))
        _MEASURED[:] = [weakref.ref(document), length]
    return length


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


class PdfRenderer(Renderer):
    """Compile documents with one font set and one compiler per template folder.

    `close` removes the build folders; the renderer is also a context manager.
    """

    # pdftext brings pikepdf (80 ms to import): loaded to render, not to read the registry
    name, suffix, warm = "pdf", ".pdf", ("typst", "mmnpress.render.pdf", "mmnpress.render.pdftext")
    templates = "typst"

    def __init__(self) -> None:
        self._builds: dict[tuple[Path, bool, bool], _Build] = {}

    def prepare(self, template_dir: Path, kind: str, profile: Profile) -> None:
        """Load the fonts and open the compiler for `template_dir` before the first render."""
        self._build(Path(template_dir), fonts_needed(profile), cjk=False)

    def check(self, document: Document) -> None:
        """Raise `InputError` when laying `document` out needs more memory than is free; say so before a long layout."""
        characters = text_length(document)
        needed = memory_needed_mib(characters)
        free = free_memory_mib()
        if free is not None and needed > free:
            message = (f"a PDF of {characters:,} characters of text needs about {needed:,} MiB of memory to lay out, "
                       f"and {free:,} MiB are free; close other programs and build again, or build it --to docx")
            raise InputError([Problem(display_path(document.source_file), 1, 1, message)])
        if characters > PROGRESS_CHARACTERS:
            print(f"laying out {display_path(document.source_file)} as a PDF: {characters:,} characters, "
                  f"about {needed:,} MiB of memory; this takes a while…", file=sys.stderr, flush=True)

    def concurrent(self, document: Document) -> bool:
        """Tell whether `document` is short enough to lay out beside the other formats (Typst leaves Python's lock)."""
        return text_length(document) <= CONCURRENT_CHARACTERS

    def render(self, document: Document, template_dir: Path, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
        """Return `document` compiled to PDF bytes with the standards `options` name."""
        standards = parse_standards(options.pdf_standard)
        from mmnpress.render import pdftext

        data = to_data(document)
        characters = {char for text in (*_strings(data), *_strings(document.labels)) for char in text}
        cjk = coverage.needs_cjk(characters)
        build = self._build(Path(template_dir), fonts_needed(document.profile), cjk)
        template = build.folder / f"{document.kind}.typ"
        if not template.is_file():
            raise PdfRenderError(f"no Typst template for kind '{document.kind}' in {build.source}")
        view = view_of(document, logo_file(build, document))
        view["cjk_fonts"] = list(fonts.cjk_fonts(document.lang)) if cjk else []
        if cjk:
            mark_east_asian(data, document.lang)
        inputs = {
            "data": json.dumps(pdfbreaks.mark_words(data), ensure_ascii=False, default=str),
            "view": json.dumps(view, ensure_ascii=False),
        }
        if document.draft and (drawing := watermark_drawing(build, inputs)):
            view["watermark"] = drawing
            inputs["view"] = json.dumps(view, ensure_ascii=False)
        pdf = compile_pdf(build.compiler, template, build.hand_over(inputs), standards, timestamp_of(document), build.source)
        if build.has_marks or pdftext.has_marks(characters | set(inputs["view"])):
            return pdftext.repair(pdf)
        return pdf  # without a combining mark no cluster can read back twice

    def close(self) -> None:
        """Remove the build folders."""
        for build in self._builds.values():
            build.remove()
        self._builds.clear()

    def __enter__(self) -> PdfRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _build(self, template_dir: Path, everything: bool, cjk: bool) -> _Build:
        """Return the build of `template_dir` with the fonts asked for, made afresh if its templates changed."""
        if not template_dir.is_dir():
            raise PdfRenderError(f"template folder not found: {template_dir}")
        key = (template_dir.resolve(), everything, cjk)
        build = self._builds.get(key)
        if build is None or build.signature != template_signature(key[0]):
            if build is not None:
                build.remove()
            build = self._builds[key] = new_build(*key)
        return build


def template_signature(template_dir: Path) -> tuple:
    """Return the names, sizes and times of the templates, to notice edits."""
    files = sorted(f for f in template_dir.glob("*.typ") if f.is_file())
    return tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files)


def new_build(template_dir: Path, everything: bool, cjk: bool = False) -> _Build:
    """Copy the templates of `template_dir` to a fresh root and open a compiler on it; `cjk` adds the East Asian fonts."""
    import typst

    from mmnpress.render import pdftext

    signature = template_signature(template_dir)
    folder = Path(tempfile.mkdtemp(prefix="mmnpress-typst-"))
    for name, _, _ in signature:
        shutil.copyfile(template_dir / name, folder / name)
    sources = "".join((folder / name).read_text(encoding="utf-8", errors="replace") for name, _, _ in signature)
    compiler = typst.Compiler(root=str(folder), font_paths=fonts.typst_fonts(everything, cjk), ignore_system_fonts=True)
    code = re.sub(r"//[^\n]*", "", sources)
    return _Build(template_dir, folder, compiler, signature, reads_sys_inputs="sys.inputs" in code,
                  has_marks=pdftext.has_marks(sources))


def logo_file(build: _Build, document: Document) -> str | None:
    """Copy the profile's logo into the build root; return its name there.

    The name carries a hash of the content, so a compiler that caches files
    never shows an older logo under the same name.
    """
    logo = document.profile.logo
    if not logo:
        return None
    source = Path(logo)
    if not source.is_absolute():
        source = build.source / source
    if source.suffix.lower() not in LOGO_SUFFIXES:
        raise PdfRenderError(f"logo must be one of {', '.join(LOGO_SUFFIXES)}: {source}")
    try:
        content = source.read_bytes()
    except OSError as error:
        raise PdfRenderError(f"cannot read logo {source}: {error.strerror}") from None
    name = f"logo-{hashlib.sha256(content).hexdigest()[:12]}{source.suffix.lower()}"
    target = build.folder / name
    if not target.exists():
        target.write_bytes(content)
    return name


def fonts_needed(profile: Profile) -> bool:
    """Tell whether the profile's fonts need every installed font package.

    Raise if even those lack a family the profile names.
    """
    wanted = [profile.body_font, profile.heading_font]
    if not fonts.missing(wanted):
        return False
    absent = fonts.missing(wanted, everything=True)
    if absent:
        available = ", ".join(sorted(fonts.families(everything=True)))
        raise PdfRenderError(f"font {', '.join(absent)} is not installed as a font package (pip install fontpkg-...); available: {available}")
    return True


def mark_east_asian(data: Any, lang: str) -> Any:
    """Add `east_asian_font` to each run whose East Asian writing takes another family than the document's.

    The same rule picks the font of a Word run (wordfonts): a Japanese quote
    in an English statement prints in Noto Sans JP, not in the Chinese forms
    the document's own fallback would give.
    """
    for run in data_runs(data):
        writing = scripts.east_asian_writing(run["text"], lang)
        if writing and fonts.CJK[writing] != fonts.cjk_fonts(lang)[0]:
            run["east_asian_font"] = fonts.CJK[writing]
    return data


def view_of(document: Document, logo: str | None) -> dict[str, Any]:
    """Return what the templates need beyond the document: labels, logo, short title, and the outline with its lines."""
    return {
        "labels": document.labels,
        "digits": digits(document.lang),  # the page numbers' digits, 0 to 9
        "logo": logo,
        "short_title": short_title(document),
        **view_data(document),
    }


def watermark_drawing(build: _Build, inputs: dict[str, str]) -> str | None:
    """Draw the DRAFT watermark as shapes: compile the templates' `watermark.typ` to SVG; return its file name at the root.

    None when the template folder has no `watermark.typ` (its own templates draw the watermark as text).
    Typst lays out an unchanged drawing again from its memory; the file is written once, under a name hashing its content.
    """
    import typst

    source = build.folder / "watermark.typ"
    if not source.is_file():
        return None
    build.hand_over(inputs)
    try:
        svg = build.compiler.compile(input=str(source), format="svg")
    except typst.TypstError as error:
        raise PdfRenderError(describe(error, source.name, build.source)) from None
    name = f"watermark-{hashlib.sha256(svg).hexdigest()[:12]}.svg"
    if not (build.folder / name).exists():
        (build.folder / name).write_bytes(svg)
    return f"/{name}"


def timestamp_of(document: Document) -> int | None:
    """Return the statement's date as a UNIX time, so builds are reproducible."""
    try:
        day = dt.date.fromisoformat(document.date_iso[:10])
    except (TypeError, ValueError):
        return None
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def compile_pdf(compiler: Any, template: Path, inputs: dict[str, str], standards: list[str], timestamp: int | None,
                source: Path | None = None) -> bytes:
    """Compile `template` with `inputs`; raise PdfRenderError on a Typst error, placed in `source` (its templates' folder)."""
    import typst

    try:
        pdf, warnings = compiler.compile_with_warnings(
            input=str(template),
            format="pdf",
            sys_inputs=inputs,
            pdf_standards=standards,
            timestamp=timestamp,
        )
    except typst.TypstError as error:
        raise PdfRenderError(describe(error, template.name, source)) from None
    except BaseException as error:  # a panic inside Typst (pyo3's PanicException is no Exception)
        if type(error).__name__ != "PanicException":
            raise
        first = str(error).strip().splitlines()[0] if str(error).strip() else "no message"
        raise PdfRenderError(f"the PDF engine (Typst) failed on {template.name}: {first}") from None
    for warning in warnings:
        _warn(describe(warning, template.name, source))
    return pdf


def _warn(message: str) -> None:
    import logging  # here, not at the top: every build reads this module through the format registry

    logging.getLogger(__name__).warning("%s", message)


_LOCATION = re.compile(r"┌─ (\S+):(\d+):(\d+)")


_MISSING_GLYPH = re.compile(r"the text (`.*?`) could not be displayed with font")


def describe(problem: Any, template: str, source: Path | None = None) -> str:
    """Return a Typst error or warning as one line: place (in `source`, not the private copy), message, first hint."""
    message = " ".join(str(getattr(problem, "message", "") or problem).split())
    glyph = _MISSING_GLYPH.search(message)
    if glyph:
        return (f"the text {glyph.group(1)} has no glyph in the packaged fonts, and a PDF/A file must show every "
                "character; remove it, or build with --pdf-standard none")
    hints = [" ".join(h.split()) for h in getattr(problem, "hints", None) or []]
    found = _LOCATION.search(str(getattr(problem, "diagnostic", "") or ""))
    place = ":".join(found.groups()).lstrip("/\\") if found else template
    if found and source is not None:  # Typst names the copy in the private root; the user edits the original
        place = ":".join((display_path(source / Path(found[1]).name), *found.groups()[1:]))
    line = f"PDF template {place}: {message}"
    return f"{line} (hint: {hints[0]})" if hints else line


RENDERER = PdfRenderer
