"""Write a redline: the NEW version of a statement with every change from OLD tracked in Word.

Both versions are resolved and assembled as a build would (their text
stages run side by side), `compare` marks the differences in NEW's render
model, and the Word renderer writes them as `w:ins` and `w:del` through the
same template a normal build uses. OLD may come from git (`git show
REV:path`) or lie outside NEW's project; it is then read from a hidden file
beside NEW, so its organisation, bibliographies and style resolve in NEW's
project (a redline compares, it does not build OLD), and removed afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError, MmnpressError, Problem, display_path
from ..files import write_atomically
from ..pipeline.assemble import assemble
from ..pipeline.project import find_root
from ..pipeline.resolve import Options, resolve
from .compare import LITERALS, Comparison, Tally, compare

SUFFIX = ".redline.docx"
# Placeholders of the plain texts the template prints itself; Private Use characters no statement holds.
PLACEHOLDERS = {name: f"\ue000{name}\ue001" for name in LITERALS}


@dataclass
class Redline:
    """What a redline wrote and what it found changed."""

    path: Path
    tally: Tally


def redline(old: Path, new: Path, out_dir: Path | None = None, author: str | None = None,
            options: Options | None = None) -> Redline:
    """Write `<out>/<new stem>.redline.docx` with every change from `old` to `new` tracked."""
    options = options or Options()
    for path in (old, new):
        if not path.is_file():
            raise InputError([Problem(display_path(path), 1, 1, "no such statement file")])
    if find_root(old) != find_root(new):  # a comparison, not a build: OLD reads NEW's project
        with _beside(new, old.read_bytes(), display_path(old)) as stand_in:
            return redline(stand_in, new, out_dir, author, options)
    resolved_new = resolve(new, options)
    resolved_old = resolve(old, options)
    old_document, new_document = _assemble_both(resolved_old, resolved_new, options)
    comparison = compare(old_document, new_document)
    from ..build import template_dir

    data = _render(comparison, template_dir(resolved_new, "docx"), author or git_author(new.parent))
    target = (out_dir if out_dir is not None else resolved_new.root / "build") / (new.stem + SUFFIX)
    write_atomically(target, data)
    return Redline(target, comparison.tally)


def redline_against(new: Path, revision: str, out_dir: Path | None = None, author: str | None = None,
                    options: Options | None = None) -> Redline:
    """Write the redline of `new` against the version git holds at `revision`."""
    text = _git_version(new, revision)
    with _beside(new, text, f"{revision}:{display_path(new)}") as old:
        return redline(old, new, out_dir, author, options)


@contextlib.contextmanager
def _beside(new: Path, text: bytes, shown: str):
    """Yield a hidden file beside `new` holding the old version `text`, so its relative paths resolve as NEW's do.

    Problems found in it are reported as in `shown`, the old version's own name; the file is removed afterwards.
    """
    old = new.with_name(f".mmnpress-old-{os.getpid()}{new.suffix}")  # short: NEW's name may be as long as allowed
    try:
        old.write_bytes(text)
        yield old
    except InputError as error:
        raise InputError([_renamed(problem, display_path(old), shown) for problem in error.problems]) from None
    finally:
        old.unlink(missing_ok=True)


def _renamed(problem: Problem, temporary: str, shown: str) -> Problem:
    """Return `problem` naming the old version as REV:FILE, not the temporary copy that is gone once the command ends."""
    import dataclasses

    file = shown if problem.file == temporary else problem.file
    return dataclasses.replace(problem, file=file, message=problem.message.replace(temporary, shown))


def _assemble_both(resolved_old, resolved_new, options: Options):
    """Return the render models of OLD and NEW, their pandoc runs overlapping."""
    found: dict = {}

    def old_side() -> None:
        try:
            found["old"] = assemble(resolved_old, options)
        except BaseException as error:  # noqa: BLE001 - raised again in the calling thread
            found["error"] = error

    worker = threading.Thread(target=old_side, name="mmnpress-redline-old")
    new_document = assemble(resolved_new, options, while_waiting=worker.start)
    worker.join()
    if "error" in found:
        raise found["error"]
    return found["old"], new_document


def _render(comparison: Comparison, template_dir: Path, author: str) -> bytes:
    """Return the marked document as Word bytes with tracked changes by `author`, dated now."""
    from ..render.docx import tracked_bytes
    from ..render.wordml import Tracking

    document = comparison.document
    literals = {}
    for name, (old, new) in comparison.literals.items():
        literals[PLACEHOLDERS[name]] = (old, new)
        document = _with_placeholder(document, name)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    return tracked_bytes(document, template_dir, Tracking(author, now), literals)


def _with_placeholder(document, name: str):
    """Return `document` printing the placeholder of `name` where that plain text goes.

    A template of an organisation may print the release line by its earlier name, `release_line`.
    """
    if name == "kind_line" and document.release_line == document.kind_line:
        return replace(document, kind_line=PLACEHOLDERS[name], release_line=PLACEHOLDERS[name])
    return replace(document, **{name: PLACEHOLDERS[name]})


def git_author(folder: Path) -> str:
    """Return git's user name for `folder`, or the login name, or "mmnpress"."""
    try:
        done = subprocess.run(["git", "config", "user.name"], cwd=folder, capture_output=True, text=True, timeout=10)
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return os.environ.get("USER") or "mmnpress"


def _git_version(path: Path, revision: str) -> bytes:
    """Return the bytes of `path` as git holds it at `revision`; one line naming the problem otherwise."""
    if revision.startswith("-"):
        raise MmnpressError(f"mmnpress: --against takes a git revision, not an option ({revision!r})")
    folder = path.resolve().parent
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True, timeout=30)
        if top.returncode != 0:
            raise MmnpressError(f"mmnpress: {display_path(path)} is not in a git repository, so --against cannot find {revision}")
        inside = path.resolve().relative_to(Path(top.stdout.strip()).resolve()).as_posix()
        shown = subprocess.run(["git", "show", f"{revision}:{inside}"], cwd=folder, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        raise MmnpressError(f"mmnpress: git could not be run ({error})") from None
    if shown.returncode != 0:
        reason = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise MmnpressError(f"mmnpress: git has no {inside} at {revision}" + (f" ({reason[-1]})" if reason else ""))
    return shown.stdout
