"""Hazard 1: no input makes `mmnpress` print a traceback.

A corpus of broken, hostile and odd inputs goes through the real command
line (`build` and `check`, in a separate process). Every run ends with exit
status 2 and one line per problem, `FILE:LINE:COLUMN: message` where the
problem has a place in a file; never a traceback, never `internal error`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import MINIMAL
from tests.hostile.helpers import assert_clean_failure, assert_fast, assert_no_traceback, mmnpress

SEED = "statements/2017-11-22-asean-consensus.yaml"

WRONG_TYPES = """\
kind: [statement]
lang: {en: yes}
title: [a, b]
subtitle: {x: 1}
date: [2020, 5, 1]
place: [Chiang Mai]
status: 7
organisation: ../../etc
release: {}
embargo: yesterday
summary: ~
body: {not: a list}
recommendations: [a, b]
closing: a string
signatories: {name: x}
about: []
contacts: hello
notes: [a, b]
references: {a: 1}
csl: [apa]
extends: [x.yaml]
"""

NESTED_WRONG = MINIMAL + """\
recommendations:
  intro: [not text]
  items:
    - title: {a: b}
      text: [c]
    - just a string
    - {}
signatories:
  - name: ''
    country: [x]
  - [list]
contacts:
  - name: A
    email: not-an-email
    phone: [call me, {x: 1}]
    languages: [xx-yy-zz, 7, [en]]
  - name: {a: b}
notes:
  "has space": x
  ok: ''
  "": y
"""

CORPUS: dict[str, str | bytes] = {
    "random-bytes": bytes(range(256)) * 8,
    "jpeg-header": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100,
    "utf16": "kind: statement\n".encode("utf-16"),
    "nul-byte": MINIMAL.replace("First paragraph.", "First\x00paragraph."),
    "only-bom": "\ufeff",
    "bom-and-comment": "\ufeff# nothing here\n",
    "wrong-types": WRONG_TYPES,
    "nested-wrong": NESTED_WRONG,
    "unknown-organisation": MINIMAL.replace("organisation: mmn", "organisation: nobody"),
    "unknown-style": MINIMAL + "csl: no-such-style-at-all\n",
    "unknown-lang": MINIMAL.replace("lang: en", "lang: xx-Latn-ZZ"),
    "bad-date": MINIMAL.replace("2020-05-01", "2020-02-30"),
    "bad-embargo": MINIMAL.replace("kind: statement", "kind: press-release") + "release: embargoed\nembargo: 2020-05-01T09:00\n",
    "unknown-note": MINIMAL.replace("First paragraph.", "First[^nope] paragraph."),
    "unknown-cite": MINIMAL.replace("First paragraph.", "First [@nobody, p. 3] paragraph."),
    "missing-references": MINIMAL.replace("../bibliography/mmn.json", "../bibliography/none.json"),
    "extends-missing": "kind: statement\nextends: nowhere.yaml\n",
    "extends-list": "kind: statement\nextends: [a.yaml]\n",
    "empty-body": MINIMAL.replace("body:\n  - First paragraph.\n", "body: []\n"),
    "empty-text": MINIMAL.replace("First paragraph.", "''"),
    "long-key": MINIMAL + "k" * 100_000 + ": v\n",
    "many-unknown-keys": MINIMAL + "".join(f"key{i}: v\n" for i in range(5000)),
    "cr-line-ends": MINIMAL.replace("\n", "\r"),
    "line-separators": MINIMAL.replace("First paragraph.", "'First \u2028 para \u2029 graph.'"),
    "one-huge-line": MINIMAL.replace("First paragraph.", "'" + "word " * 90_000 + "'"),  # under the PDF's size bound
    "yaml-directive": "%YAML 1.1\n%TAG ! tag:evil.example,2000:\n---\n" + MINIMAL + "x: !thing y\n",
    "two-documents": MINIMAL + "---\n" + MINIMAL,
    "set-key": MINIMAL + "? [complex, key]\n: value\n",
    "binary-tag": MINIMAL + "logo: !!binary aGVsbG8=\n",
    "timestamp-title": MINIMAL.replace("title: A short statement", "title: 2020-05-01 10:00:00"),
}


# Odd but valid: these build.
VALID = {"cr-line-ends", "line-separators", "one-huge-line", "timestamp-title"}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hazard1_no_traceback_for_hostile_statements(project, name):
    content = CORPUS[name]
    path = project / "statements" / f"{name}.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    for command in ("check", "build"):
        run = mmnpress(command, path.relative_to(project), cwd=project)
        if name in VALID:
            assert_no_traceback(run)
            assert run.status in (0, 1), run.stderr  # check: 1 for warnings only
        else:
            assert_clean_failure(run)
        assert_fast(run, 30)
    if name in VALID:
        assert (project / "build" / f"{name}.docx").is_file()


def test_hazard1_no_traceback_for_hostile_project_files(project):
    profile = project / "templates" / "mmn" / "profile.yaml"
    cases = {
        "profile-alias": "name: &a x\nshort_name: *a\n",
        "profile-not-mapping": "- a\n- b\n",
        "profile-wrong-types": "name: [a]\ncolours: red\nfonts: [x]\nabout: text\nlogo: {x: 1}\n",
        "profile-bad-utf8": b"name: \xff\xfe\n",
        "profile-logo-outside": "name: MMN\nlogo: ../../../../etc/passwd\n",
        "profile-long-name": "name: " + "Very Long Organisation Name " * 12 + "\n",
    }
    original = profile.read_bytes()
    for name, content in cases.items():
        profile.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        run = mmnpress("build", "--force", SEED, cwd=project)
        assert_no_traceback(run)
        assert run.status in (0, 2), (name, run.stderr)
        if run.status == 2:
            assert_clean_failure(run), name
    profile.write_bytes(original)


@pytest.mark.parametrize("output", ["file-in-the-way", "directory-in-the-way", "/dev/null/x", "/proc/no-such/dir"])
def test_hazard1_no_traceback_when_outputs_cannot_be_written(project, output):
    if output == "file-in-the-way":
        (project / "blocker").write_text("x", encoding="utf-8")
        args = ["-o", "blocker/sub"]
    elif output == "directory-in-the-way":
        (project / "build" / "2017-11-22-asean-consensus.docx").mkdir(parents=True)
        args = []
    else:
        args = ["-o", output]
    run = mmnpress("build", "--force", "--to", "docx", *args, SEED, cwd=project)
    assert_clean_failure(run, positioned=False, expect="cannot write")
    assert len(run.lines) == 1, run.lines


def test_hazard1_no_traceback_for_odd_command_lines(project):
    folder = project / "folder"  # two short statements: a folder build in worker processes, without building every example
    folder.mkdir()
    for stem in ("one", "two"):
        (folder / f"{stem}.yaml").write_text(MINIMAL, encoding="utf-8")
    odd = [
        ["build"], ["build", "no-such.yaml"],
        ["build", "folder"], ["check", "/"], ["build", "-j", "0", SEED], ["build", "--csl", "../../etc/passwd", SEED],
        ["build", "--pdf-standard", "a-9z", SEED], ["new", "statement", "../../escape"], ["new", "statement", "x", "--lang", "zz"],
        ["styles", "\x1b[31m"], ["review", "pull", "no-such.docx"], ["nonsense-command"],
    ]
    for args in odd:
        run = mmnpress(*args, cwd=project)
        assert_no_traceback(run)
        assert run.status in (0, 1, 2), (args, run.status, run.stderr)
    assert not any(Path("/").glob("escape*"))
    assert not (project.parent / "escape.yaml").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_hazard1_no_traceback_for_special_files_as_bibliography(project):
    os.mkfifo(project / "bibliography" / "pipe.json")
    (project / "bibliography" / "folder.json").mkdir()
    for target in ("pipe.json", "folder.json"):
        text = MINIMAL.replace("mmn.json", target).replace("First paragraph.", "First [@a].")
        (project / "statements" / "special.yaml").write_text(text, encoding="utf-8")
        run = mmnpress("build", "--force", "statements/special.yaml", cwd=project, timeout=20)
        assert_clean_failure(run, expect=target)


@pytest.mark.parametrize("formats", ["odt", ","])
def test_hazard1_unknown_output_format_is_no_internal_error(project, formats):
    run = mmnpress("build", "--to", formats, SEED, cwd=project)
    assert_no_traceback(run)
    assert run.status == 2


def test_hazard1_a_message_is_one_line_even_when_it_quotes_a_newline(project):
    forged = "statements/forged.yaml:1:1: this line was typed by the statement's author"
    text = MINIMAL.replace("../bibliography/mmn.json", '"nope\\n' + forged + '"')
    (project / "statements" / "inject.yaml").write_text(text, encoding="utf-8")
    run = mmnpress("build", "statements/inject.yaml", cwd=project)
    assert_clean_failure(run)
    assert forged not in run.lines
