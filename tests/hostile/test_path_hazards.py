"""Hazard 3: `extends`, `references` and `csl` read nothing outside the project.

Symlinks are followed only when they end inside the project. Each attempt
fails with one positioned line that names the statement.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from tests.conftest import MINIMAL
from tests.hostile.helpers import assert_clean_failure, mmnpress

SECRET = "TOP-SECRET-OUTSIDE-THE-PROJECT"


@pytest.fixture
def outside(project, tmp_path_factory) -> Path:
    """Return a folder beside the project holding a statement, a bibliography and a style."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "original.yaml").write_text(MINIMAL.replace("A short statement", SECRET), encoding="utf-8")
    (folder / "refs.json").write_text(f'[{{"id": "a", "type": "book", "title": "{SECRET}"}}]', encoding="utf-8")
    style = (project / "templates").parent / "bibliography"
    (folder / "style.csl").write_text(_shipped_style().replace("<title>", f"<title>{SECRET}", 1), encoding="utf-8")
    assert style.is_dir()
    return folder


def _shipped_style() -> str:
    from mmnpress.pipeline.bibliography import find_style

    return find_style(None, Path.cwd()).read_text(encoding="utf-8")


def _statement(project: Path, name: str, keys: str, body: str = "First paragraph.") -> str:
    head = "kind: statement\nlang: en\ntitle: A short statement\ndate: 2020-05-01\norganisation: mmn\n"
    text = f"{head}{keys}\nbody:\n  - {body}\n"
    (project / "statements" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return f"statements/{name}.yaml"


def _refused(project: Path, path: str, expect: str) -> None:
    for command in ("check", "build"):
        run = mmnpress(command, path, cwd=project)
        assert_clean_failure(run, expect=expect)
        assert SECRET not in run.stdout + run.stderr
        assert path in run.stdout + run.stderr
    assert not list((project / "build").glob(Path(path).stem + ".*")) if (project / "build").exists() else True


def _extends_text(target: str) -> str:
    return f"kind: statement\nlang: th\nextends: {target}\ntitle: แปล\nbody:\n  - ย่อหน้า\n"


def test_hazard3_extends_outside_by_relative_and_absolute_path(project, outside):
    for name, target in (("rel", os.path.relpath(outside / "original.yaml", project / "statements")),
                         ("abs", str(outside / "original.yaml"))):
        (project / "statements" / f"{name}.yaml").write_text(_extends_text(target), encoding="utf-8")
        _refused(project, f"statements/{name}.yaml", "outside")


def test_hazard3_extends_through_symlink_out_of_the_project(project, outside):
    (project / "statements" / "link.yaml").symlink_to(outside / "original.yaml")
    (project / "statements" / "tr.yaml").write_text(_extends_text("link.yaml"), encoding="utf-8")
    _refused(project, "statements/tr.yaml", "outside")


def test_hazard3_extends_symlink_inside_the_project_is_followed(project):
    (project / "statements" / "alias.yaml").symlink_to(project / "statements" / "2017-11-22-asean-consensus.yaml")
    (project / "statements" / "tr.yaml").write_text(_extends_text("alias.yaml"), encoding="utf-8")
    run = mmnpress("build", "--to", "docx", "statements/tr.yaml", cwd=project)
    assert run.status == 0, run.stderr
    assert (project / "build" / "tr.docx").is_file()


def test_hazard3_extends_a_device_or_itself(project):
    (project / "statements" / "self.yaml").write_text(_extends_text("self.yaml"), encoding="utf-8")
    _refused(project, "statements/self.yaml", "cycle")
    (project / "statements" / "zero.yaml").symlink_to("/dev/zero")
    (project / "statements" / "dev.yaml").write_text(_extends_text("zero.yaml"), encoding="utf-8")
    _refused(project, "statements/dev.yaml", "outside")


def test_hazard3_references_outside(project, outside):
    relative = os.path.relpath(outside / "refs.json", project / "statements")
    for name, target in (("rel", relative), ("abs", str(outside / "refs.json")), ("etc", "/etc/passwd")):
        _refused(project, _statement(project, name, f"references: {target}", "Cited [@a]."), "outside")


def test_hazard3_references_through_symlink(project, outside):
    (project / "bibliography" / "link.json").symlink_to(outside / "refs.json")
    _refused(project, _statement(project, "ln", "references: ../bibliography/link.json", "Cited [@a]."), "outside")


def test_hazard3_references_symlink_inside_is_followed(project):
    (project / "bibliography" / "alias.json").symlink_to(project / "bibliography" / "mmn.json")
    path = _statement(project, "ok", "references: ../bibliography/alias.json", "Cited [@tfamw2009].")
    run = mmnpress("build", "--to", "docx", path, cwd=project)
    assert run.status == 0, run.stderr


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../../../etc/passwd", "OUTSIDE/style.csl", "LINK"])
def test_hazard3_csl_outside(project, outside, target):
    if target == "LINK":
        (project / "bibliography" / "style.csl").symlink_to(outside / "style.csl")
        target = "../bibliography/style.csl"
    target = target.replace("OUTSIDE", str(outside))
    path = _statement(project, "csl", f"csl: {target}\nreferences: ../bibliography/mmn.json", "Cited [@tfamw2009].")
    _refused(project, path, "outside the project")


def test_hazard3_dependent_style_cannot_fetch_its_parent(project):
    """pandoc follows a dependent style's parent link, file:// included, even with --sandbox."""
    style = textwrap.dedent("""\
        <?xml version="1.0" encoding="utf-8"?>
        <style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
          <info>
            <title>Dependent</title>
            <id>http://example.org/dependent</id>
            <link href="file:///etc/passwd" rel="independent-parent"/>
            <updated>2020-01-01T00:00:00+00:00</updated>
          </info>
        </style>
        """)
    (project / "bibliography" / "dependent.csl").write_text(style, encoding="utf-8")
    path = _statement(project, "dep", "csl: ../bibliography/dependent.csl\nreferences: ../bibliography/mmn.json",
                      "Cited [@tfamw2009].")
    _refused(project, path, "dependent")
    run = mmnpress("build", path, cwd=project)
    assert "root:" not in run.stderr


@pytest.mark.parametrize("link", [
    '<x:link xmlns:x="http://example.org/other" href="file:///etc/passwd" rel="independent-parent"/>',
    '<link xmlns="" href="file:///etc/passwd" rel="independent-parent"/>',
    '<link xmlns:x="http://example.org/other" href="file:///etc/passwd" x:rel="independent-parent"/>',
])
def test_hazard16_1_dependent_link_in_any_namespace_is_refused(project, link):
    """pandoc's citeproc ignores namespaces: a parent link in another one is still followed."""
    style = _shipped_style().replace("<info>", f"<info>\n    {link}", 1)
    (project / "bibliography" / "dependent.csl").write_text(style, encoding="utf-8")
    path = _statement(project, "dep", "csl: ../bibliography/dependent.csl\nreferences: ../bibliography/mmn.json",
                      "Cited [@tfamw2009].")
    _refused(project, path, "dependent")


def test_hazard16_1_style_without_citation_is_not_a_style(project):
    style = _shipped_style()
    start, end = style.index("<citation"), style.index("</citation>") + len("</citation>")
    (project / "bibliography" / "nocitation.csl").write_text(style[:start] + style[end:], encoding="utf-8")
    path = _statement(project, "noc", "csl: ../bibliography/nocitation.csl\nreferences: ../bibliography/mmn.json",
                      "Cited [@tfamw2009].")
    _refused(project, path, "no <citation>")


def test_hazard3_csl_that_is_not_a_style(project):
    (project / "bibliography" / "entity.csl").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl">&x;</style>\n', encoding="utf-8")
    for name, target in (("json", "../bibliography/mmn.json"), ("entity", "../bibliography/entity.csl")):
        path = _statement(project, name, f"csl: {target}\nreferences: ../bibliography/mmn.json", "Cited [@tfamw2009].")
        _refused(project, path, "csl")


def test_hazard3_long_extends_chain_is_refused(project):
    """A chain of 1,200 translations was a RecursionError; now one placed line."""
    (project / "statements" / "c0.yaml").write_bytes((project / "statements" / "2017-11-22-asean-consensus.yaml").read_bytes())
    for index in range(1, 1200):
        (project / "statements" / f"c{index}.yaml").write_text(f"kind: statement\nextends: c{index - 1}.yaml\n", encoding="utf-8")
    for command in ("check", "build"):
        run = mmnpress(command, "statements/c1199.yaml", cwd=project)
        assert_clean_failure(run, expect="chains more than")
    run = mmnpress("build", "--to", "docx", "statements/c8.yaml", cwd=project)
    assert run.status == 0, run.stderr


@pytest.mark.parametrize("key", ["extends", "references", "csl"])
def test_hazard3_symlink_loops_are_placed_errors(project, key):
    """Path.resolve raises RuntimeError on a loop; it was an internal error."""
    folder = "statements" if key == "extends" else "bibliography"
    name = {"extends": "loop.yaml", "references": "loop.json", "csl": "loop.csl"}[key]
    (project / folder / name).symlink_to(name)
    if key == "extends":
        (project / "statements" / "s.yaml").write_text(_extends_text(name), encoding="utf-8")
        path = "statements/s.yaml"
    else:
        path = _statement(project, "s", f"{key}: ../bibliography/{name}")
    _refused(project, path, "loops")
