"""Caches live in the user's private cache folder, and what is read back is checked: a planted or damaged entry is made again."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SEED


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_an_entry_is_made_once_then_read_back(cache_home):
    from mmnpress import usercache

    made = []
    make = lambda: made.append(1) or b"instance bytes"  # noqa: E731
    assert usercache.kept("fonts", b"key", "a.ttf", make) == b"instance bytes"
    assert usercache.kept("fonts", b"key", "a.ttf", make) == b"instance bytes"
    assert made == [1]
    path = usercache.entry("fonts", b"key", "a.ttf")
    assert path.is_relative_to(cache_home / "mmnpress" / "fonts")
    for folder in (cache_home / "mmnpress", cache_home / "mmnpress" / "fonts"):
        assert folder.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("damage", ["planted", "truncated", "no-check"])
def test_a_planted_or_damaged_entry_is_ignored_and_made_again(cache_home, damage):
    from mmnpress import usercache

    usercache.kept("fonts", b"key", "a.ttf", lambda: b"the real instance")
    path = usercache.entry("fonts", b"key", "a.ttf")
    if damage == "planted":
        path.write_bytes(b"a font someone else put here")
    elif damage == "truncated":
        path.write_bytes(b"the real")
    else:
        path.with_name("a.ttf.sha256").unlink()
    assert usercache.read("fonts", b"key", "a.ttf") is None
    assert usercache.kept("fonts", b"key", "a.ttf", lambda: b"the real instance") == b"the real instance"
    assert usercache.read("fonts", b"key", "a.ttf") == b"the real instance"


def test_a_cache_folder_open_to_others_is_made_private(cache_home):
    from mmnpress import usercache

    (cache_home / "mmnpress").mkdir(parents=True, mode=0o777)
    os.chmod(cache_home / "mmnpress", 0o777)
    assert usercache.folder("fonts") == cache_home / "mmnpress" / "fonts"
    assert (cache_home / "mmnpress").stat().st_mode & 0o777 == 0o700


def test_a_damaged_word_template_in_the_cache_is_not_used(project, cache_home, cli):
    assert cli("build", SEED, "--to", "docx").exit_code == 0
    [template] = (cache_home / "mmnpress" / "word-templates").glob("*/statement.docx")
    template.write_bytes(template.read_bytes()[:1000])  # cut short
    result = cli("build", SEED, "--to", "docx", "--force")
    assert result.exit_code == 0, result.output
    assert zipfile.ZipFile(template).testzip() is None  # made again
    assert zipfile.ZipFile(project / "build/2017-11-22-asean-consensus.docx").testzip() is None


def test_a_damaged_font_instance_in_the_cache_is_not_used(cache_home):
    from mmnpress.render import wordfonts

    good = wordfonts.static_instance.__wrapped__("Noto Sans Thai", "Regular", "กขค")
    [entry] = (cache_home / "mmnpress" / "font-instances").glob("*/NotoSansThai-Regular.ttf")
    entry.write_bytes(b"\0" * len(good))
    assert wordfonts.static_instance.__wrapped__("Noto Sans Thai", "Regular", "กขค") == good


def test_font_instances_made_a_second_apart_are_byte_identical(tmp_path, monkeypatch):
    """The same inputs give the same bytes: fontTools would stamp head.modified with the time of saving."""
    import time

    from fontTools.ttLib import TTFont

    from mmnpress.render import webfonts, wordfonts

    made = []
    for attempt in ("first", "second"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / attempt))  # an empty cache: made anew, not read back
        wordfonts._cut.cache_clear()
        instance = wordfonts.static_instance.__wrapped__("Noto Sans Thai", "Regular", "กขค", lean=True)
        made.append((instance, webfonts._woff2(instance)))
        time.sleep(1.1)
    assert made[0] == made[1]
    source = TTFont(wordfonts.variable_file("Noto Sans Thai"), lazy=True)["head"]
    head = TTFont(io.BytesIO(made[0][0]))["head"]
    assert (head.created, head.modified) == (source.created, source.modified)


def test_a_build_leaves_nothing_in_the_temporary_folder(project, tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary), "XDG_CACHE_HOME": str(tmp_path / "fresh-cache"), "PYTHONPATH": str(REPO)}
    built = subprocess.run(
        [sys.executable, "-c", "from mmnpress.entry import run; run()", "build", SEED, "--to", "docx,pdf,html"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    assert list(temporary.iterdir()) == []
    assert (tmp_path / "fresh-cache" / "mmnpress").stat().st_mode & 0o777 == 0o700


def test_the_shipped_static_fonts_match_the_packaged_variable_fonts():
    """Fails after a font package changes: run scripts/make_static_fonts.py."""
    from mmnpress.render import staticfonts, wordfonts

    for family in wordfonts.WHOLE_FAMILIES:
        for style in wordfonts.STYLES:
            source = wordfonts.variable_file(family)
            assert staticfonts.shipped(family, style, source, wordfonts.INSTANCE_VERSION) is not None, (family, style)
