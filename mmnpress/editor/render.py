"""What the editor shows beside the form, made from the unsaved text: the web page or PDF, the findings of `check` at their field, the bibliography.

The unsaved text stands in for the file (`source.pending`) while the
statement is resolved, rendered and checked, so what the page shows is what
`build` and `check` would make of it once saved. One preview runs at a time
(the stand-ins are shared by the process).
"""

from __future__ import annotations

import json
import subprocess
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..build import Request, render_resolved
from ..check.engine import check_file
from ..errors import MmnpressError, display_path
from ..pipeline.project import find_root, inside, resolved
from ..pipeline.resolve import Options, resolve
from ..pipeline.source import load, pending
from .formdata import positions

PREVIEWING = threading.Lock()
BIBLIOGRAPHY_SUFFIXES = (".json", ".yaml", ".yml", ".bib")


def preview(path: Path, text: str, fmt: str = "html") -> dict:
    """Render `text` as the statement at `path` would be, and check it; return the bytes (or None) and the findings by field."""
    with PREVIEWING, pending({path.resolve(): text.encode("utf-8")}):
        findings = findings_by_field(path)
        body = None
        if not any(f["severity"] == "error" for f in findings):
            try:
                request = replace(Request(path, (fmt,)), options=Options())
                _, rendered = render_resolved(request, resolve(path, request.options))
                body = rendered[fmt]
            except MmnpressError as error:
                findings += [{"path": "", "where": "", "severity": "error", "message": line} for line in error.lines()]
    return {"body": body, "findings": findings}


def findings_by_field(path: Path) -> list[dict]:
    """Return `check`'s findings for the statement at `path`, each with the form path of the field it points at ("" when in another file)."""
    shown = display_path(path)
    try:
        places = positions(load(path))
    except MmnpressError:
        places = []
    found = []
    for finding in check_file(path):
        field = _field_at(places, finding.line, finding.column) if finding.file == shown else ""
        found.append({"path": field, "where": f"{finding.file}:{finding.line}:{finding.column}", "severity": finding.severity,
                      "message": finding.message, "line": str(finding)})
    return found


def _field_at(places: list[tuple[int, int, str]], line: int, column: int) -> str:
    """Return the form path of the last value that starts at or before (line, column)."""
    before = [path for at_line, at_column, path in places if (at_line, at_column) <= (line, column)]
    return before[-1] if before else ""


def bibliography(path: Path, data: dict, original: dict | None = None) -> list[dict]:
    """Return the entries of the statement's bibliographies (key, author, title, year), read from files inside the project only."""
    references = data.get("references", (original or {}).get("references", []))
    references = [references] if isinstance(references, str) else references if isinstance(references, list) else []
    root = find_root(path)
    entries = []
    for name in references:
        file = resolved(path.parent / str(name))
        if file is None or not inside(file, root) or not file.is_file() or file.suffix.lower() not in BIBLIOGRAPHY_SUFFIXES:
            continue
        entries += [_entry(item) for item in _csl_items(file) if isinstance(item, dict) and "id" in item]
    return entries


def _csl_items(file: Path) -> list:
    """Return the CSL items of a CSL-JSON, CSL-YAML or BibTeX file (BibTeX through pandoc); [] when it does not read."""
    try:
        if file.suffix.lower() == ".bib":
            from ..pipeline.text import PANDOC_SAFETY, pandoc_path

            done = subprocess.run([pandoc_path(), *PANDOC_SAFETY, "-f", "bibtex", "-t", "csljson", str(file)],
                                  capture_output=True, timeout=30, check=False)
            items = json.loads(done.stdout or b"[]")
        elif file.suffix.lower() == ".json":
            items = json.loads(file.read_text(encoding="utf-8"))
        else:
            import yaml

            items = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, ValueError, subprocess.SubprocessError, MmnpressError):
        return []
    except Exception:  # noqa: BLE001 - a YAML error: the build reports it where it belongs
        return []
    items = items.get("references", []) if isinstance(items, dict) else items
    return items if isinstance(items, list) else []


def _entry(item: dict[str, Any]) -> dict:
    people = item.get("author") or item.get("editor") or []
    names = [p.get("family") or p.get("literal") or "" for p in people if isinstance(p, dict)] if isinstance(people, list) else []
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    year = str(parts[0][0]) if parts and parts[0] else str(issued.get("literal", "")) if isinstance(issued, dict) else ""
    return {"key": str(item["id"]), "author": ", ".join(n for n in names if n), "title": str(item.get("title", "")), "year": year}
