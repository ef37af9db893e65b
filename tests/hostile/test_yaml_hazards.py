"""Hazard 2: hostile YAML is refused with positioned lines, within two seconds of processor time.

Each input runs through the real command line (`check` and `build`) in a
separate process, so the time includes Python's start; the loader alone is
timed as well.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from mmnpress.errors import InputError
from mmnpress.pipeline.source import load
from tests.conftest import MINIMAL
from tests.hostile.helpers import assert_clean_failure, assert_fast, mmnpress

SECONDS = 2.0


def billion_laughs(levels: int = 9) -> str:
    """Return the YAML alias bomb: 10 ** levels strings from a few hundred bytes."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def statement_with(extra: str) -> str:
    """Return the minimal statement followed by `extra` lines."""
    return MINIMAL + extra


CASES = {
    "python-object-apply": (statement_with("x: !!python/object/apply:os.system ['touch pwned']\n"), "tag"),
    "python-name": ("!!python/name:os.system\n", "tag"),
    "python-object-new": (statement_with("title2: !!python/object/new:subprocess.Popen [['touch', 'pwned']]\n"), "tag"),
    "local-tag": (statement_with("kind2: !custom value\n"), "tag"),
    "billion-laughs": (billion_laughs(), "aliases"),
    "merge-key": (MINIMAL.replace("body:", "base: &b {x: 1}\nextra:\n  <<: *b\nbody:"), "aliases"),
    "duplicate-key": (statement_with("title: Again\n"), "duplicate key 'title'"),
    "top-level-list": ("- kind: statement\n- lang: en\n", "mapping"),
    "top-level-scalar": ("just a sentence\n", "mapping"),
    "empty-file": ("", "mapping"),
    "control-character": (MINIMAL.replace("First paragraph.", "First\x01paragraph\x1b."), "U+0001"),
    "escaped-control-character": (MINIMAL.replace("title: A short statement", 'title: "A \\x01 \\e statement"'), "escape"),
    "deep-nesting": (statement_with("x: " + "[" * 5000 + "]" * 5000 + "\n"), "nest"),
    "deep-block-nesting": (statement_with("x:\n" + "".join(" " * i + "- \n" for i in range(1, 200))), "nest"),
    "syntax-error": (statement_with("title: [unclosed\n"), "YAML syntax"),
    "tab-indentation": (statement_with("notes:\n\tx: y\n"), "YAML syntax"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hazard2_yaml_refused_fast(project, name):
    text, expected = CASES[name]
    path = project / "statements" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    for command in ("check", "build"):
        run = mmnpress(command, path.relative_to(project), cwd=project)
        assert_clean_failure(run, expect=expected)
        assert_fast(run, SECONDS)
    assert not (project / "pwned").exists()
    assert not (project / "build" / f"{name}.docx").exists()


def test_hazard2_invalid_utf8_positioned(project):
    path = project / "statements" / "latin1.yaml"
    path.write_bytes(MINIMAL.encode() + "place: Chiang Ma\xee\n".encode("latin-1"))
    run = mmnpress("build", path.relative_to(project), cwd=project)
    assert_clean_failure(run, expect="invalid UTF-8")
    assert "latin1.yaml:9:" in run.stderr
    assert_fast(run, SECONDS)


def test_hazard2_fifty_megabyte_file(project):
    path = project / "statements" / "huge.yaml"
    with path.open("wb") as stream:
        stream.write(MINIMAL.encode())
        chunk = b"  - " + b"x" * 1020 + b"\n"
        for _ in range(50 * 1024):
            stream.write(chunk)
    assert path.stat().st_size > 50 * 1024 * 1024
    run = mmnpress("build", path.relative_to(project), cwd=project)
    assert_clean_failure(run, expect="limit")
    assert_fast(run, SECONDS)


@pytest.mark.parametrize("name", ["billion-laughs", "deep-nesting", "duplicate-key", "python-object-apply"])
def test_hazard2_loader_alone_is_fast(tmp_path, name):
    path = tmp_path / "x.yaml"
    path.write_text(CASES[name][0], encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError):
        load(path)
    assert time.perf_counter() - started < 0.5


def test_hazard2_alias_reports_are_bounded(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(billion_laughs(), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(path)
    assert len(caught.value.problems) <= 11
    assert "more anchors and aliases" in caught.value.problems[-1].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_hazard2_fifo_and_folder_are_not_read(project, tmp_path):
    fifo = project / "statements" / "pipe.yaml"
    os.mkfifo(fifo)
    (project / "statements" / "folder.yaml").mkdir()
    for name in ("pipe.yaml", "folder.yaml"):
        path = Path("statements") / name
        for command in ("check", "build"):
            run = mmnpress(command, path, cwd=project, timeout=20)
            assert_clean_failure(run, positioned=name == "pipe.yaml")  # a folder is a folder of statements
            assert_fast(run, SECONDS)
        with pytest.raises(InputError):
            load(project / path)  # the loader itself never blocks on a FIFO


def test_hazard2_device_is_not_read(tmp_path):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        load(link)
    assert "not a regular file" in str(caught.value)
    assert time.perf_counter() - started < 0.5


def test_hazard2_control_character_flood_is_summarised_fast(project):
    """Half a million control characters were half a million lines and a minute (a quadratic count)."""
    path = project / "statements" / "flood.yaml"
    path.write_text(MINIMAL.replace("A short statement", "\x01" * 500_000), encoding="utf-8")
    run = mmnpress("build", path.relative_to(project), cwd=project)
    assert_clean_failure(run, expect="499990 more control characters")
    assert len(run.lines) == 11
    assert_fast(run, SECONDS)


HEAD = "kind: statement\nlang: en\ndate: 2020-05-01\norganisation: mmn\nbody:\n  - First paragraph.\n"


@pytest.mark.parametrize(("key", "named"), [
    ("ti\u200btle", "U+200B ZERO WIDTH SPACE, an invisible character"),
    ("t\u0456tle", "U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I, not a Latin letter"),
])
def test_hazard16_15_invisible_or_look_alike_character_in_a_key_is_named(project, key, named):
    (project / "statements" / "key.yaml").write_text(f"{HEAD}title: Shown\n{key}: x\n", encoding="utf-8")
    run = mmnpress("check", "statements/key.yaml", cwd=project)
    assert_clean_failure(run)
    line = next(line for line in run.lines if "unknown key" in line)
    assert line.startswith("statements/key.yaml:8:1: ") and named in line and "did you mean 'title'" in line, line
    assert key not in line  # the key is shown escaped, not as what looks like 'title'


def test_hazard16_15_right_to_left_override_in_a_title_is_a_warning(project):
    (project / "statements" / "rlo.yaml").write_text(f"{HEAD}title: A short \u202etnemetats\n", encoding="utf-8")
    run = mmnpress("check", "statements/rlo.yaml", cwd=project)
    assert run.status == 1, run.stdout + run.stderr
    assert run.lines == [line for line in run.lines if line.startswith("statements/rlo.yaml:7:16: warning: U+202E")], run.lines
