"""The long-lived pandoc of watch, preview and batch builds gives what one pandoc per run gives, errors and limits included."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import time
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL, SEED, write_statement

from mmnpress.build import Request, build
from mmnpress.errors import MmnpressError, RenderError
from mmnpress.pipeline import citations, pandocrun, pandocworker, text
from mmnpress.pipeline.resolve import Options, resolve

EXAMPLES = sorted(p.name for p in (Path(__file__).resolve().parent.parent / "statements").glob("*.yaml"))


@pytest.fixture
def nothing_formatted(monkeypatch, tmp_path):
    """Make every text stage run citeproc: nothing formatted before, in memory or on disk."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(citations, "_CACHE", {})
    monkeypatch.setattr(citations, "lookup", lambda key: None)


@pytest.fixture
def worker():
    """Run the test with the long-lived pandoc on; end it afterwards."""
    with pandocworker.kept():
        yield
    assert pandocworker.worker_pid() is None


def _commands(path: Path) -> tuple[list[str], bytes, list[str]]:
    """Return the parse command and input of a statement's text, and its citeproc command."""
    resolved = resolve(path, Options())
    statement = resolved.statement
    markdown = text._joined_markdown(statement.texts(), statement.notes, "Zq00000000")
    parse = [pandocrun.pandoc_path(), *pandocrun.PANDOC_SAFETY, "-f", text.MARKDOWN, "-t", "json", "-M", f"lang={statement.lang}"]
    citeproc = text._citeproc_command(resolved.style, resolved.bibliographies, statement.lang, resolved.note_style)
    return parse, markdown.encode("utf-8"), citeproc


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_worker_answers_as_pandoc_run_alone_does(project, worker, name):
    parse, markdown, citeproc = _commands(project / "statements" / name)
    alone = pandocrun.PandocRun(parse, markdown).result()
    assert pandocworker.run(parse, markdown).result() == alone
    parsed = json.dumps(alone).encode("utf-8")
    assert pandocworker.run(citeproc, parsed).result()["blocks"] == pandocrun.PandocRun(citeproc, parsed).result()["blocks"]


def _parts(docx: bytes) -> dict[str, bytes]:
    """Return the parts of a Word file, the time it was written left out."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", parts["docProps/core.xml"])
    return parts


@pytest.mark.parametrize("name", [SEED, SEED.replace(".yaml", ".my.yaml")])
def test_files_built_with_the_worker_are_those_built_without(project, nothing_formatted, name):
    alone = build(Request(project / name, ("docx", "pdf"), project / "alone"))
    with pandocworker.kept():
        kept = build(Request(project / name, ("docx", "pdf"), project / "kept"))
        assert pandocworker.worker_pid() is not None
    for first, second in zip(alone.outputs, kept.outputs, strict=True):
        if first.suffix == ".pdf":
            assert first.read_bytes() == second.read_bytes()
        else:
            assert _parts(first.read_bytes()) == _parts(second.read_bytes())


def _text_stage(path: Path):
    resolved = resolve(path, Options())
    return text.run_text_stage(resolved.statement, resolved.style, resolved.bibliographies, resolved.note_style)


def test_a_worker_killed_mid_request_is_started_again_and_the_text_is_right(project, worker, nothing_formatted):
    expected = _text_stage(project / SEED)
    parse, markdown, _ = _commands(project / SEED)
    request = pandocworker.run(parse, markdown)
    first = pandocworker.worker_pid()
    os.kill(first, signal.SIGKILL)
    assert request.result() == pandocrun.PandocRun(parse, markdown).result()
    assert _text_stage(project / SEED) == expected
    assert pandocworker.worker_pid() not in (None, first)


def test_a_request_past_the_time_limit_is_reported_as_without_the_worker(project, worker, monkeypatch):
    """A run of 8,000 '&' takes pandoc ~13 s: the worker is killed at the limit, and the next request gets a new one."""
    slow = write_statement(project, "amp.yaml", MINIMAL.replace("First paragraph.", "'" + "&" * 8000 + "'"))
    _text_stage(project / SEED)
    first = pandocworker.worker_pid()
    monkeypatch.setattr(pandocrun, "PANDOC_SECONDS", 1)
    started = time.monotonic()
    with pytest.raises(RenderError) as raised:
        _text_stage(project / slow)
    assert time.monotonic() - started < 5
    monkeypatch.setattr(pandocrun, "PANDOC_SECONDS", 60)
    assert str(raised.value) == "pandoc took longer than 1 s on this statement's text"  # as in test_markdown_hazards
    assert pandocworker.worker_pid() is None
    monkeypatch.setattr(text, "_PARSED", {})  # so that the seed's text goes to pandoc again
    assert _text_stage(project / SEED).fields
    assert pandocworker.worker_pid() not in (None, first)


def _bibtex_string_bomb(levels: int = 12) -> str:
    lines = ['@string{s0 = "lollollollol"}']
    lines += [f"@string{{s{i} = " + " # ".join([f"s{i - 1}"] * 10) + "}" for i in range(1, levels)]
    lines.append(f"@book{{a, title = s{levels - 1}, author = {{A B}}, year = 2000}}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name, content", [
    ("broken.bib", "@book{a, title={x}, author={A B},\n year={2000}\n @book{b, title={x"),
    ("odd.json", json.dumps([{"id": "a", "type": "book", "title": {"nested": 1}}])),
    ("bomb.bib", _bibtex_string_bomb()),
])
def test_bibliography_errors_read_as_without_the_worker(project, nothing_formatted, name, content):
    (project / "bibliography" / name).write_text(content, encoding="utf-8")
    statement = MINIMAL.replace("mmn.json", name).replace("First paragraph.", "First paragraph [@a].")
    path = project / write_statement(project, "cites.yaml", statement)
    with pytest.raises(MmnpressError) as alone:
        _text_stage(path)
    with pandocworker.kept(), pytest.raises(MmnpressError) as kept:
        _text_stage(path)
    assert kept.value.lines() == alone.value.lines()


def test_a_request_left_unanswered_is_never_read_as_the_next_ones_answer(project, worker):
    parse, markdown, _ = _commands(project / SEED)
    pandocworker.run(parse, b"Zq00000000F0 left unanswered\n")
    assert pandocworker.run(parse, markdown).result() == pandocrun.PandocRun(parse, markdown).result()


def test_watch_and_batch_use_the_worker_and_a_single_build_does_not(project, monkeypatch):
    from mmnpress.batch import Batch
    from mmnpress.live.watch import Watcher

    started = []
    real = pandocworker.Worker._running

    def running(self):
        started.append(self)
        return real(self)

    monkeypatch.setattr(pandocworker.Worker, "_running", running)
    monkeypatch.setattr(text, "_PARSED", {})  # each build below hands its text to pandoc
    Batch([Request(project / SEED, ("docx",), project / "one")], force=True).run(lambda outcome: None)
    assert started == []
    text._PARSED.clear()
    requests = [Request(project / SEED, ("docx",), project / "two"), Request(project / "statements" / EXAMPLES[-1], ("docx",))]
    Batch(requests, force=True).run(lambda outcome: None, jobs=1)
    assert started
    started.clear()
    text._PARSED.clear()
    Watcher([Request(project / SEED, ("docx",), project / "three")], lambda line: None).run(changes=iter(()))
    assert started
    assert pandocworker.worker_pid() is None
