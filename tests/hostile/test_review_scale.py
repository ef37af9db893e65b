"""Hazard 16.9: a reviewed file with very many tracked changes is read and applied in linear time.

20,000 tracked changes in generated text took `review apply` 78 s (each change
not applied was looked up in a list of all the others), and 5,000 changes in a
60,000-character paragraph took `review pull` 224 s (the field's alignment with
its source, each change's position in it, the rebuilt text and the overlap check
all grew with the product of two sizes). The test scales the paragraph and the
number of changes by four together and compares the processor time of the two
runs in the same process: linear work grows about four times (3.2 measured, the
fixed costs included), quadratic work sixteen times (9.7 measured before the
fix, the fixed costs included). Processor time, not wall time, so that other
work on the machine does not count.
"""

from __future__ import annotations

import copy
import itertools
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from tests.hostile.helpers import assert_no_traceback, mmnpress

SEED = "statements/2017-11-22-asean-consensus.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
SCALE = 4


def _statement_with_long_paragraph(project: Path, characters: int, markup: bool = False) -> Path:
    """Write a copy of the seed statement whose first paragraph is its body's words repeated to `characters`.

    Only plain words are taken, unless `markup`: then whole paragraphs, with their citations and emphasis.
    """
    data = yaml.safe_load((project / SEED).read_text(encoding="utf-8"))
    blocks = [block for block in data["body"] if isinstance(block, str)]
    words = blocks if markup else [word for block in blocks for word in block.split() if word.isalpha() and len(word) > 2]
    text, cycle = [], itertools.cycle(words)
    while sum(map(len, text)) + len(text) < characters:
        text.append(next(cycle))
    data["body"].insert(0, " ".join(text))
    statement = project / "statements" / f"long-{characters}{'-markup' if markup else ''}.yaml"
    statement.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=76), encoding="utf-8")
    return statement


def _build(project: Path, statement: Path) -> Path:
    run = mmnpress("build", "--to", "docx", statement.relative_to(project), cwd=project)
    assert run.status == 0, run.stderr
    return project / "build" / f"{statement.stem}.docx"


def _with_changes(draft: Path, out: Path, count: int) -> Path:
    """Copy `draft` with `count` tracked changes as Word writes them: three quarters spread over the
    longest paragraph (one run's characters deleted, or text inserted before them), the rest in the
    dateline the build generates. Neighbouring changes differ in author or date, so each stays one change.
    """
    with zipfile.ZipFile(draft) as archive:
        parts = {info: archive.read(info) for info in archive.infolist()}
    document = next(info for info in parts if info.filename == "word/document.xml")
    root = etree.fromstring(parts[document])
    runs = [run for run in root.iter(W + "r") if (run.findtext(W + "t") or "").strip()]
    longest = max(runs, key=lambda run: len(run.findtext(W + "t")))
    dateline = next(run for run in runs if run.getparent().find(f"{W}pPr/{W}pStyle[@{W}val='DateLine']") is not None)
    numbers = itertools.count(1)
    made = _track(longest, count * 3 // 4, numbers) + _track(dateline, count - count * 3 // 4, numbers)
    assert made == count
    parts[document] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts.items():
            archive.writestr(info.filename, data)
    return out


def _track(run, count: int, numbers) -> int:
    """Replace `run` by runs of its text with `count` tracked changes at evenly spaced characters; return `count`."""
    text = run.findtext(W + "t")
    step = len(text) / count
    at = [int(k * step) for k in range(count)]
    made = []
    for start, end in zip(at, [*at[1:], len(text)], strict=True):
        number = next(numbers)
        if number % 2 and end > start:
            made += [_tracked("del", _run_like(run, text[start], deleted=True), number), _run_like(run, text[start + 1:end])]
        else:
            made += [_tracked("ins", _run_like(run, "new"), number), _run_like(run, text[start:end])]
    parent = run.getparent()
    index = parent.index(run)
    parent.remove(run)
    parent[index:index] = [_run_like(run, text[:at[0]]), *made]
    return count


def _run_like(run, text: str, deleted: bool = False):
    new = etree.Element(W + "r")
    if run.find(W + "rPr") is not None:
        new.append(copy.deepcopy(run.find(W + "rPr")))
    element = etree.SubElement(new, W + ("delText" if deleted else "t"))
    element.text = text
    element.set(XML_SPACE, "preserve")
    return new


def _tracked(tag: str, run, number: int):
    change = etree.Element(W + tag)
    change.set(W + "id", str(100 + number))
    change.set(W + "author", f"Reviewer {number % 3}")
    change.set(W + "date", f"2026-11-28T{number // 60 % 24:02d}:{number % 60:02d}:00Z")
    change.append(run)
    return change


def _seconds(call) -> float:
    """Return the least processor time of two calls of `call`."""
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.slow
def test_hazard16_9_tracked_changes_take_linear_time(project):
    from mmnpress.review.apply import apply
    from mmnpress.review.pull import pull, to_text

    sizes = {}
    for scale in (1, SCALE):
        statement = _statement_with_long_paragraph(project, 4_000 * scale)
        reviewed = _with_changes(_build(project, statement), project / f"reviewed-{scale}.docx", 1_000 * scale)
        pulled = pull(reviewed)
        assert len(pulled.changes) == 1_000 * scale
        outcome = apply(reviewed, write=False)
        assert len(outcome.applied) + len(outcome.not_applied) == 1_000 * scale
        assert len(outcome.not_applied) >= 100 * scale  # in the date the dateline prints: listed, not applied
        sizes[scale] = _seconds(lambda reviewed=reviewed: (to_text(pull(reviewed)), apply(reviewed, write=False)))
    ratio = sizes[SCALE] / sizes[1]
    assert ratio < 6, f"{SCALE} times the changes took {ratio:.1f} times as long ({sizes[1]:.2f} s, {sizes[SCALE]:.2f} s)"


def test_hazard16_9_absurdly_many_tracked_changes_are_refused_in_one_line(project):
    from mmnpress.review.read import MAX_CHANGES

    _with_changes(_build(project, project / SEED), project / "absurd.docx", MAX_CHANGES + 1)
    for command in ("pull", "apply"):
        run = mmnpress("review", command, "absurd.docx", cwd=project, timeout=120)
        assert_no_traceback(run)
        assert run.status == 2, run.stdout
        assert run.stderr.startswith(f"absurd.docx: refused: {MAX_CHANGES + 1} tracked changes (limit {MAX_CHANGES});"), run.stderr
        assert run.stderr.count("\n") == 1, run.stderr


@pytest.mark.slow
def test_hazard16_9_a_long_field_with_markup_all_along_is_lined_up_in_linear_time(project):
    """A 16,000-character paragraph with citations all along it took 40 s to line up with its source (characters matched by difflib)."""
    from mmnpress.errors import MmnpressError
    from mmnpress.review.apply import apply
    from mmnpress.review.pull import pull, to_text

    def review(reviewed: Path) -> None:
        to_text(pull(reviewed))
        try:
            apply(reviewed, write=False)
        except MmnpressError:
            pass  # a change that deletes a citation's mark refuses the apply, after every change was planned

    sizes = {}
    for scale in (1, SCALE):
        statement = _statement_with_long_paragraph(project, 4_000 * scale, markup=True)
        reviewed = _with_changes(_build(project, statement), project / f"marked-{scale}.docx", 100)
        sizes[scale] = _seconds(lambda reviewed=reviewed: review(reviewed))
    ratio = sizes[SCALE] / sizes[1]
    assert ratio < 6, f"a field {SCALE} times as long took {ratio:.1f} times as long ({sizes[1]:.2f} s, {sizes[SCALE]:.2f} s)"
