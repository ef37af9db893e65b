"""Outputs are written atomically: concurrent, failed and interrupted builds never leave a broken file."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document

from tests.hostile.helpers import _entry_point, start_at_entry_point

REPO = Path(__file__).resolve().parents[2]
SEED = "statements/2017-11-22-asean-consensus.yaml"
OUT = "build/2017-11-22-asean-consensus.docx"


@pytest.fixture
def project(tmp_path) -> Path:
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, tmp_path / name)
    return tmp_path


def _start(project: Path, *args: str, prelude: str = "") -> subprocess.Popen:
    return subprocess.Popen([*_entry_point(prelude), "build", SEED, "--to", "docx", "--force", *args], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _start_in_the_entry_point(project: Path) -> subprocess.Popen:
    return start_at_entry_point(["build", SEED, "--to", "docx", "--force"], project)


def _opens(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
    return bool(Document(str(path)).paragraphs)


def _leftovers(project: Path) -> list[str]:
    return [p.name for p in (project / "build").iterdir() if p.name.endswith(".tmp")]


def test_two_builds_of_one_statement_at_once_leave_a_whole_file(project):
    for _ in range(4):
        builds = [_start(project), _start(project)]
        for process in builds:
            process.communicate(timeout=120)
        assert [p.returncode for p in builds] == [0, 0]
        assert _opens(project / OUT)
        assert _leftovers(project) == []


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_keeps_the_earlier_output(project, signal_number):
    first = _start(project)
    first.communicate(timeout=120)
    good = (project / OUT).read_bytes()
    for delay in (0.15, 0.3, 0.45, 0.6):
        process = _start_in_the_entry_point(project)
        time.sleep(delay)
        process.send_signal(signal_number)
        _, stderr = process.communicate(timeout=120)
        assert "Traceback" not in stderr
        # either the earlier file, or a whole new one if the signal came after the rename
        assert _opens(project / OUT)
        if (project / OUT).read_bytes() != good:
            with zipfile.ZipFile(project / OUT) as archive:
                assert "word/footnotes.xml" in archive.namelist()
        assert _leftovers(project) == []


def test_a_renderer_failure_keeps_the_earlier_output(project, monkeypatch):
    from mmnpress.build import Request, build
    from mmnpress.errors import RenderError
    from mmnpress.pipeline.resolve import Options
    from mmnpress.render import pdf

    monkeypatch.chdir(project)
    request = Request(Path(SEED), ("docx", "pdf"), None, Options())
    build(request)
    before = {p.name: p.read_bytes() for p in (project / "build").iterdir() if p.suffix in (".docx", ".pdf")}

    def broken(*args, **kwargs):
        raise RenderError("the PDF renderer broke")

    monkeypatch.setattr(pdf.PdfRenderer, "render", broken)
    with pytest.raises(RenderError):
        build(request)
    after = {p.name: p.read_bytes() for p in (project / "build").iterdir() if p.suffix in (".docx", ".pdf")}
    assert after == before, "the Word file must not be replaced when the PDF fails"
    assert _leftovers(project) == []
