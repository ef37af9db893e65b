"""Tests of the watcher: a save rebuilds, a broken save prints errors and watching goes on."""

from __future__ import annotations

import queue
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import MINIMAL, write_statement

from mmnpress.build import Request
from mmnpress.live.watch import Watcher
from mmnpress.pipeline.resolve import Options

DOCX = Path("build/x.docx")


def docx_text(path: Path) -> str:
    """Return the document and footnotes XML of a DOCX file."""
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(f"word/{part}.xml").decode("utf-8") for part in ("document", "footnotes"))


def watch(path: Path, edits: list) -> tuple[list[str], list[str]]:
    """Run a watcher over `path`, making one edit before each look at the stamps; return its output and error lines."""
    out: list[str] = []
    err: list[str] = []
    watcher = Watcher([Request(path, ("docx",), None, Options())], out.append, err.append)
    watcher.run(changes=(edit() for edit in edits))
    return out, err


def without_clock(lines: list[str]) -> list[str]:
    """Return the lines without their [HH:MM:SS] prefix and timing."""
    return [line.split("] ", 1)[-1].rsplit(" in ", 1)[0] for line in lines]


def test_save_rebuilds_and_broken_save_keeps_watching(project):
    path = write_statement(project, "x.yaml", MINIMAL)

    def edit(*pairs: tuple[str, str]):
        def change():
            text = path.read_text(encoding="utf-8")
            for old, new in pairs:
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")

        return change

    out, err = watch(path, [
        lambda: None,
        edit(("First paragraph.", "A changed paragraph.")),
        edit(("lang: en", "lang: en\nkind: again")),
        edit(("\nkind: again", ""), ("A changed", "A fixed")),
        lambda: None,
    ])
    assert without_clock(out) == [
        "built build/x.docx",
        "built build/x.docx",
        "statements/x.yaml: failed",
        "built build/x.docx",
    ]
    assert err == [f"{path}:3:1: duplicate key 'kind' (first given at line 1)"]
    assert "A fixed paragraph." in docx_text(DOCX)


def test_bibliography_save_rebuilds(project):
    path = write_statement(project, "x.yaml", MINIMAL.replace("First paragraph.", "Cites [@worldbank2017]."))
    bibliography = Path("bibliography/mmn.json")
    out, _ = watch(path, [lambda: bibliography.write_text(bibliography.read_text(encoding="utf-8").replace("Testaverde", "Testaverdi"))])
    assert without_clock(out) == ["built build/x.docx", "built build/x.docx"]
    assert "Testaverdi" in docx_text(DOCX)


def test_save_without_change_is_up_to_date(project):
    path = write_statement(project, "x.yaml", MINIMAL)
    out, _ = watch(path, [lambda: path.write_bytes(path.read_bytes())])
    assert without_clock(out)[0] == "built build/x.docx"
    assert out[1].split("] ", 1)[1].startswith("statements/x.yaml: up to date (")


def test_error_position_follows_the_saved_file(project):
    path = write_statement(project, "x.yaml", MINIMAL.replace("First paragraph.", "Cites [@nokey]."))
    out, err = watch(path, [lambda: path.write_text(MINIMAL.replace("First paragraph.", "Now cites [@nokey]."), encoding="utf-8")])
    assert err == [f"{path}:8:12: unknown citation key 'nokey'", f"{path}:8:16: unknown citation key 'nokey'"]


def test_stop_event_ends_the_loop(project):
    path = write_statement(project, "x.yaml", MINIMAL)
    stop = threading.Event()
    watcher = Watcher([Request(path, ("docx",), None, Options())], lambda line: stop.set())
    watcher.run(stop=stop)
    assert stop.is_set()


@pytest.mark.parametrize("inotify", [True, False], ids=["inotify", "watchfiles"])
@pytest.mark.parametrize("renamed", [True, False], ids=["renamed into place", "written in place"])
def test_file_system_notices_a_save(project, monkeypatch, inotify, renamed):
    import inotify_simple

    events = []
    if inotify:  # the kernel's notices are what wakes the watcher, not its quarter-second look
        real_read = inotify_simple.INotify.read
        monkeypatch.setattr(inotify_simple.INotify, "read", lambda self, *a, **k: events.extend(real_read(self, *a, **k)) or [])
    else:  # as on a system without inotify, or with all its watches taken
        monkeypatch.setattr(inotify_simple, "INotify", lambda: (_ for _ in ()).throw(OSError(24, "Too many open files")))
    path = write_statement(project, "x.yaml", MINIMAL)
    lines: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    watcher = Watcher([Request(path, ("docx",), None, Options())], lines.put)
    thread = threading.Thread(target=watcher.run, kwargs={"stop": stop})
    thread.start()
    try:
        assert " built " in lines.get(timeout=60)
        time.sleep(0.5)  # the watcher is waiting for a notice by now, not looking at the stamps after its build
        text = MINIMAL.replace("First paragraph.", "A saved paragraph.")
        if renamed:  # as most editors save: a new file renamed over the old one
            saved = path.with_name("x.yaml.new")
            saved.write_text(text, encoding="utf-8")
            saved.replace(path)
        else:
            path.write_text(text, encoding="utf-8")
        assert " built " in lines.get(timeout=60)
    finally:
        stop.set()
        thread.join()
    assert "A saved paragraph." in docx_text(DOCX)
    assert not inotify or any(event.name == path.name for event in events)


def test_template_save_renders_again_without_the_text_stage(project, monkeypatch):
    from mmnpress.pipeline import assemble

    path = write_statement(project, "x.yaml", MINIMAL)
    calls = []
    real = assemble.assemble
    monkeypatch.setattr("mmnpress.build.assemble", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    logo = Path("templates/mmn/logo.png")  # the Word template is made anew from it
    out, _ = watch(path, [lambda: logo.write_bytes(logo.read_bytes() + b"\0")])
    assert without_clock(out) == ["built build/x.docx", "built build/x.docx"]
    assert len(calls) == 1


def test_a_save_during_a_build_is_built_next(project, monkeypatch):
    import mmnpress.live.watch

    path = write_statement(project, "x.yaml", MINIMAL)
    real = mmnpress.live.watch.build_one

    def saved_while_building(request, *args, **kwargs):
        outcome = real(request, *args, **kwargs)
        if "Saved during" not in path.read_text(encoding="utf-8"):
            path.write_text(MINIMAL.replace("First paragraph.", "Saved during the build."), encoding="utf-8")
        return outcome

    monkeypatch.setattr(mmnpress.live.watch, "build_one", saved_while_building)
    out, _ = watch(path, [lambda: None])
    assert without_clock(out) == ["built build/x.docx", "built build/x.docx"]
    assert "Saved during the build." in docx_text(DOCX)


def test_a_save_in_two_writes_shows_no_error_in_between(project):
    """An editor that writes a file in two steps: the build of the first half fails, and is not shown."""
    path = write_statement(project, "x.yaml", MINIMAL)
    whole = MINIMAL.replace("First paragraph.", "Written in two steps.")

    second_write = threading.Timer(0.02, (project / path).write_text, (whole,), {"encoding": "utf-8"})

    def save_in_two_writes():
        path.write_text(whole[: whole.index("body:")] + "body:\n  - [unclosed", encoding="utf-8")
        second_write.start()

    out, err = watch(path, [save_in_two_writes])
    second_write.join()
    assert err == []
    assert without_clock(out) == ["built build/x.docx", "built build/x.docx"]
    assert "Written in two steps." in docx_text(DOCX)
