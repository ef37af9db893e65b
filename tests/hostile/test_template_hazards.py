"""Hazard 4: Word templates render in Jinja's sandbox, within a time bound.

Each hostile template is a Word template kept in templates/mmn/ (as
`mmnpress templates make` writes it) whose document.xml has one Jinja tag
replaced by the payload. Failures must be one
clean line naming the template, whether the build runs in the main thread,
in another thread or in a batch worker process.
"""

from __future__ import annotations

import os
import threading
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tests.hostile.helpers import assert_clean_failure, assert_no_traceback, mmnpress

SEED = "statements/2017-11-22-asean-consensus.yaml"
ANCHOR = "{{ date_line }}"
FAST_LIMIT = "import mmnpress.render.sandbox as s; s.RENDER_SECONDS = 1"

ESCAPES = {
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "globals": "{{ lipsum.__globals__['os'].popen('touch pwned').read() }}",
    "cycler": "{{ cycler.__init__.__globals__.os.popen('touch pwned') }}",
    "format": "{{ '{0.__class__.__base__.__subclasses__}'.format(1) }}",
    "request-like": "{{ self._TemplateReference__context }}",
    "context-value": "{{ organisation.name.__class__.__base__ }}",
}
RUNAWAY = {
    "nested-range": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "nested-no-calls": "{% set r = range(100000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}",
}
REFUSED = {
    "recursive-macro": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "recurses"),
    "huge-repeat": ("{{ 'a' * 3000000000 }}", "sandbox"),
    "huge-power": ("{{ 10 ** (10 ** 10) }}", "sandbox"),
    "huge-center": ("{{ 'a'|center(2000000000) }}", "sandbox"),
    "huge-format": ("{{ '%0999999999d' % 1 }}", "sandbox"),
    "huge-str-format": ("{{ '{:>999999999}'.format(1) }}", "sandbox"),
    "huge-range": ("{% for x in range(99999999999) %}{% endfor %}", "sandbox"),
    "division-by-zero": ("{{ 1 / 0 }}", "template failed"),
    "undefined": ("{{ no_such_variable }}", "undefined"),
    "broken-syntax": ("{% for %}", "template error"),
    "broken-xml": ("{{ '<w:p>' | safe }}", "XMLSyntaxError"),  # docxtpl would drop the rest of the body
}


def kept_template(project: Path) -> Path:
    """Write the Word templates into templates/mmn/ as `mmnpress templates make` does; return the statement's."""
    from mmnpress.pipeline.project import load_organisation
    from mmnpress.templates import make

    make(load_organisation(project / "templates" / "mmn"))
    return project / "templates" / "mmn" / "statement.docx"


def hostile_template(project: Path, payload: str) -> Path:
    """Replace one tag of the project's statement template by `payload`; return the template."""
    path = kept_template(project)
    original = path.read_bytes()
    source = path.with_suffix(".orig")
    source.write_bytes(original)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/document.xml":
                assert ANCHOR.encode() in data
                data = data.replace(ANCHOR.encode(), escape(payload).encode())
            new.writestr(item, data)
    source.unlink()
    return path


def build_docx(project: Path, *statements: str, prelude: str = "", timeout: float = 60):
    return mmnpress("build", "--force", "--to", "docx", *(statements or (SEED,)), cwd=project, timeout=timeout,
                    prelude=prelude)


def assert_template_failure(run, expect: str) -> None:
    assert_clean_failure(run, positioned=False, expect=expect)
    assert all("statement.docx" in line for line in run.lines), run.lines
    assert len(run.lines) == 1, run.lines


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_hazard4_sandbox_refuses_python_internals(project, name):
    hostile_template(project, ESCAPES[name])
    run = build_docx(project)
    assert_template_failure(run, "sandbox")
    assert not (project / "pwned").exists()
    assert not (project / "build" / "2017-11-22-asean-consensus.docx").exists()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hazard4_runaway_templates_refused_fast(project, name):
    payload, expect = REFUSED[name]
    hostile_template(project, payload)
    run = build_docx(project)
    assert_template_failure(run, expect)
    assert run.seconds < 5, f"took {run.seconds:.2f} s"


@pytest.mark.parametrize("name", sorted(RUNAWAY))
def test_hazard4_endless_loops_stop_at_the_time_limit(project, name):
    hostile_template(project, RUNAWAY[name])
    run = build_docx(project, prelude=FAST_LIMIT)
    assert_template_failure(run, "longer than 1 s")
    assert run.seconds < 6, f"took {run.seconds:.2f} s"


def test_hazard4_time_limit_with_the_real_limit(project):
    """The shipped limit, end to end: one clean line after about RENDER_SECONDS."""
    from mmnpress.render.sandbox import RENDER_SECONDS

    hostile_template(project, RUNAWAY["nested-no-calls"])
    run = build_docx(project)
    assert_template_failure(run, f"longer than {RENDER_SECONDS:g} s")
    assert run.seconds < RENDER_SECONDS + 6


def test_hazard4_time_limit_in_batch_worker_processes(project, tmp_path):
    """Two statements build in a pool of (spawned) processes; each worker's main thread arms SIGALRM.

    A sitecustomize module lowers the limit to 1 s in every process, workers included.
    """
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(FAST_LIMIT.replace("; ", "\n") + "\n", encoding="utf-8")
    hostile_template(project, RUNAWAY["nested-no-calls"])
    other = "statements/copy.yaml"
    (project / other).write_bytes((project / SEED).read_bytes())
    started = time.perf_counter()
    run = mmnpress("build", "--force", "--to", "docx", SEED, other, "-j", "2", cwd=project, timeout=60,
                   env={"PYTHONPATH": os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")]))})
    assert_no_traceback(run)
    assert run.status == 2
    failures = [line for line in run.lines if "longer than 1 s" in line]
    assert len(failures) == 2, run.lines
    assert time.perf_counter() - started < 20


def test_hazard4_time_limit_in_a_thread(project, monkeypatch):
    """No SIGALRM outside the main thread: the sandbox and a trace function keep the limit."""
    import sys

    from mmnpress.build import template_dir
    from mmnpress.errors import RenderError
    from mmnpress.pipeline.assemble import assemble
    from mmnpress.pipeline.resolve import Options, resolve
    from mmnpress.render import sandbox
    from mmnpress.render.docx import WordRenderer

    hostile_template(project, RUNAWAY["nested-no-calls"])
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 1)
    resolved = resolve(Path(SEED), Options())
    document = assemble(resolved, Options())
    outcome = {}

    def render() -> None:
        started = time.perf_counter()
        try:
            WordRenderer().render(document, template_dir(resolved, "docx"))
        except RenderError as error:
            outcome["error"] = str(error)
        outcome["seconds"] = time.perf_counter() - started
        outcome["trace"] = sys.gettrace()

    worker = threading.Thread(target=render)
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), "the render ran past 30 s"
    assert "longer than 1 s" in outcome["error"]
    assert outcome["seconds"] < 5
    assert outcome["trace"] is None


def test_hazard4_template_that_is_not_a_word_file(project):
    kept_template(project).write_text("not a zip", encoding="utf-8")
    run = build_docx(project)
    assert_template_failure(run, "not a word document")


def test_hazard4_template_zip_bomb(project):
    path = kept_template(project)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        with package.open("word/media/bomb.bin", "w") as stream:
            block = b"\0" * (1 << 20)
            for _ in range(80):
                stream.write(block)
    run = build_docx(project)
    assert_template_failure(run, "MiB")
    assert run.seconds < 5
