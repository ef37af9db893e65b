"""A build server that stops answering (SIGSTOP) never holds the command: it builds itself, and Ctrl-C always stops it.

Real servers on the loopback (a Unix socket in a runtime folder of the test's
own), started the way a first build starts them, then frozen with SIGSTOP;
each test lets them go on (SIGCONT) before they are ended.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest

from tests.conftest import SEED
from tests.hostile.helpers import _entry_point, assert_no_traceback
from tests.test_build_server import (  # noqa: F401 - runtime is a fixture
    _long_statement,
    _server_pids,
    _wait,
    _wait_until_building,
    mmnpress,
    runtime,
    served,
    started_server,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the build server uses Unix sockets")
INTERRUPTED = "mmnpress: interrupted; no output was left half-written"


@contextmanager
def frozen(env: dict):
    """Stop the test's server with SIGSTOP for the block, then let it go on."""
    [pid] = _server_pids(env)
    os.kill(pid, signal.SIGSTOP)
    try:
        yield pid
    finally:
        os.kill(pid, signal.SIGCONT)


def test_a_frozen_server_does_not_hold_the_build(project, runtime):  # noqa: F811 - the fixture imported above
    started_server(runtime, project)
    with frozen(runtime):
        started = time.monotonic()
        run = mmnpress(runtime, project, "build", SEED, "--to", "docx", "-o", "out")
        seconds = time.monotonic() - started
    assert run.returncode == 0, run.stderr
    assert_no_traceback(run)
    assert "the build server did not answer within 5 s; building in this process" in run.stderr
    assert (project / "out" / "2017-11-22-asean-consensus.docx").is_file()
    assert seconds < 60
    # the server, let go on, skips the build its client gave up on and serves the next
    _wait(lambda: served(runtime, project, "build", "--help")[0] == 0, "the server does not serve after SIGCONT")


def test_ctrl_c_stops_the_build_when_the_server_was_frozen_before_it_started(project, runtime):  # noqa: F811 - the fixture imported above
    started_server(runtime, project)
    with frozen(runtime):
        process = subprocess.Popen(
            [*_entry_point(), "build", SEED, "-o", "never"], cwd=project, env=runtime, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        time.sleep(2)  # the command is waiting for the server's first answer
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert stderr.strip().endswith(INTERRUPTED) and "Traceback" not in stderr
    assert not (project / "never").exists()


def test_ctrl_c_stops_the_build_when_the_server_froze_while_building(project, runtime, tmp_path):  # noqa: F811 - the fixture imported above
    """The command ends on Ctrl-C; the frozen server still holds its output streams until it goes on, so they are files here."""
    started_server(runtime, project)
    long = _long_statement(project, 600)
    with (tmp_path / "stderr").open("w+") as stderr:
        process = subprocess.Popen(
            [*_entry_point(), "build", long, "-o", "interrupted"], cwd=project, env=runtime, stdout=subprocess.DEVNULL, stderr=stderr
        )
        _wait_until_building(runtime)
        with frozen(runtime):
            started = time.monotonic()
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
            seconds = time.monotonic() - started
        stderr.seek(0)
        printed = stderr.read()
    assert process.returncode == 130, printed
    assert INTERRUPTED in printed and "Traceback" not in printed
    assert seconds < 20, f"Ctrl-C took {seconds:.1f} s"


def _timed_lines(process: subprocess.Popen) -> list[tuple[float, str]]:
    """Read the merged output of `process` to its end; return each line with when it came, and (inf, "") when the stream closed."""
    started, lines = time.monotonic(), []
    for line in process.stdout:
        lines.append((time.monotonic() - started, line.rstrip("\n")))
    lines.append((time.monotonic() - started, ""))
    process.wait(timeout=60)
    return lines


def test_a_folder_build_with_a_stalling_statement_ends_with_its_summary(project, runtime, tmp_path):  # noqa: F811 - the fixture imported above
    """A build handed to the server ran its statements in a process pool, whose first use started multiprocessing's
    resource tracker with the command's output streams as its own; the tracker lived as long as the server (5
    minutes idle), so whoever read the command's output waited that long after "failed 1".

    pandoc stalls on a run of 8,000 '&' (about 13 s); its time limit is lowered to 1 s in every process of the
    test (the command, its server, their pool workers) by a sitecustomize module on PYTHONPATH.
    """
    from tests.conftest import MINIMAL

    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import mmnpress.pipeline.pandocrun as t\nt.PANDOC_SECONDS = 1\n", encoding="utf-8")
    runtime["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), runtime.get("PYTHONPATH", "")]))
    started_server(runtime, project)
    (project / "statements" / "stall.yaml").write_text(MINIMAL.replace("First paragraph.", "'" + "&" * 8000 + "'"), encoding="utf-8")
    process = subprocess.Popen([*_entry_point(), "build", "--to", "docx", "-j", "2", "statements", "-o", "out"], cwd=project,
                               env=runtime, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = _timed_lines(process)
    printed = "\n".join(line for _, line in lines)
    assert process.returncode == 2, printed
    assert "pandoc took longer than 1 s" in printed and "Traceback" not in printed
    summary = next(at for at, line in lines if "failed 1" in line)
    closed = lines[-1][0]
    assert closed - summary < 5, f"the output stayed open {closed - summary:.1f} s after the summary"
    assert served(runtime, project, "build", "--help")[0] == 0, "the server was not the one that built"
