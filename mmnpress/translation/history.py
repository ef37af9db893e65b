"""Find the earlier text of a changed field in the original's git history, for the translator to compare."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from ..pipeline.provenance import digest, parts

MAX_REVISIONS = 50


def earlier_texts(original: Path, wanted: dict[str, str]) -> dict[str, str]:
    """Return, by path, the text of the original whose hash a translation recorded, from its last commits; {} without git."""
    folder = original.resolve().parent
    try:
        revisions = _git(folder, "log", f"-{MAX_REVISIONS}", "--format=%H", "--", original.name).split()
    except (OSError, subprocess.CalledProcessError):
        return {}
    found: dict[str, str] = {}
    for revision in revisions:
        try:
            data = yaml.safe_load(_git(folder, "show", f"{revision}:./{original.name}"))
        except (OSError, subprocess.CalledProcessError, yaml.YAMLError):
            continue
        for path, recorded in wanted.items():
            text = _at(data, path)
            if path not in found and isinstance(text, str) and digest(text) == recorded:
                found[path] = text
        if len(found) == len(wanted):
            break
    return found


def _git(folder: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=folder, capture_output=True, text=True, check=True, timeout=20).stdout


def _at(data, path: str):
    for part in parts(path):
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
