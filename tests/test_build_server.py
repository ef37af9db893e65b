"""The build server: a build handed to it writes, prints and exits as the command's own process would.

Each test has a runtime folder of its own (so its own server) and stops the
server it started. `served` hands a build over the way the `mmnpress`
command does and says whether the server ran it, which the command itself
never tells.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import SEED
from tests.hostile.helpers import _entry_point

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the build server uses Unix sockets")

HAND_OVER = "import sys; from mmnpress.servers import client; print('served:', client.hand_over(sys.argv[1:]), file=sys.stderr)"
INTERRUPTED = "mmnpress: interrupted; no output was left half-written"


@pytest.fixture
def runtime():
    """Return the environment of commands whose build server lives in a runtime folder of this test's own."""
    folder = Path(tempfile.mkdtemp(prefix="mm-", dir="/tmp"))  # short: a socket's path is limited to 107 bytes
    env = {**os.environ, "MMNPRESS_SERVER": "on", "XDG_RUNTIME_DIR": str(folder), "MMNPRESS_SERVER_IDLE": "120"}
    yield env
    for pid in _server_pids(env):
        os.kill(pid, signal.SIGTERM)
    _wait(lambda: not _sockets(env), "the server did not end on SIGTERM")
    shutil.rmtree(folder)


def _sockets(env: dict) -> list[Path]:
    return sorted((Path(env["XDG_RUNTIME_DIR"]) / "mmnpress").glob("*.sock"))


def _server_pids(env: dict) -> list[int]:
    pids = []
    for lock in (Path(env["XDG_RUNTIME_DIR"]) / "mmnpress").glob("*.lock"):
        text = lock.read_text().strip()
        try:
            command = Path(f"/proc/{text}/cmdline").read_bytes() if text.isdigit() else b""
        except OSError:  # that server has ended
            command = b""
        if b"mmnpress.servers.server" in command:
            pids.append(int(text))
    return pids


def _wait(condition, message: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def mmnpress(env: dict, cwd: Path, *args: str, **options) -> subprocess.CompletedProcess:
    """Run the `mmnpress` command as a user types it."""
    return subprocess.run([*_entry_point(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                          **options)


def served(env: dict, cwd: Path, *args: str) -> tuple[int | None, subprocess.CompletedProcess]:
    """Hand `mmnpress ARGS` to the server as the command does; return the exit status it ran with (None: not run)."""
    run = subprocess.run([sys.executable, "-c", HAND_OVER, *args], cwd=cwd, env=env, capture_output=True, text=True,
                         timeout=300)
    last = run.stderr.rstrip().splitlines()[-1]
    assert last.startswith("served: "), run.stderr
    run.stderr = run.stderr.rstrip()[: -len(last)]
    status = last.removeprefix("served: ")
    return (None if status == "None" else int(status)), run


def started_server(env: dict, cwd: Path) -> None:
    """Build once in the command's own process, which starts the server; wait until it serves.

    The server renders that build's statement again to get ready, and must write nothing while doing so.
    """
    first = mmnpress(env, cwd, "build", SEED, "--to", "docx", "-o", "first")
    assert first.returncode == 0, first.stderr
    shutil.rmtree(cwd / "first")
    _wait(lambda: served(env, cwd, "build", "--help")[0] == 0, "no server started after the first build")
    assert not (cwd / "first").exists(), "the server's rehearsal wrote output"


def _word_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def _pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_a_build_starts_the_server_and_the_next_builds_go_to_it_with_the_same_outputs(project, runtime):
    started_server(runtime, project)
    status, run = served(runtime, project, "build", SEED, "-o", "served")
    assert status == 0, run.stderr
    assert run.stdout.startswith("built served/2017-11-22-asean-consensus.docx, served/2017-11-22-asean-consensus.pdf in ")
    burmese = SEED.replace(".yaml", ".my.yaml")
    assert served(runtime, project, "build", burmese, "-o", "served")[0] == 0
    for statement in (SEED, burmese):
        local = mmnpress({**runtime, "MMNPRESS_SERVER": "off"}, project, "build", statement, "-o", "local")
        assert local.returncode == 0, local.stderr
        stem = Path(statement).stem
        assert _word_parts(project / "served" / f"{stem}.docx") == _word_parts(project / "local" / f"{stem}.docx")
        assert _pdf_text(project / "served" / f"{stem}.pdf") == _pdf_text(project / "local" / f"{stem}.pdf")
    again = mmnpress(runtime, project, "build", SEED, "-o", "served")  # the command itself, through the server
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"{SEED}: up to date\n"


def test_bad_input_through_the_server_fails_as_in_the_command_itself_in_build_and_check(project, runtime):
    started_server(runtime, project)
    statement = project / "statements" / "broken.yaml"
    statement.write_text("kind: statement\nlang: en\ntitle: [unclosed\nbody:\n  - 'text [@nobody]'\n", encoding="utf-8")
    before = statement.read_bytes()
    status, run = served(runtime, project, "build", "statements/broken.yaml")
    local = mmnpress({**runtime, "MMNPRESS_SERVER": "off"}, project, "build", "statements/broken.yaml")
    assert status == local.returncode == 2
    assert run.stderr == local.stderr and run.stdout == local.stdout
    assert run.stderr.startswith("statements/broken.yaml:")
    status, checked = served(runtime, project, "check", "statements/broken.yaml")
    local = mmnpress({**runtime, "MMNPRESS_SERVER": "off"}, project, "check", "statements/broken.yaml")
    assert status == local.returncode == 2
    assert (checked.stdout, checked.stderr) == (local.stdout, local.stderr) and "broken.yaml:4:5: error" in checked.stdout
    assert "Traceback" not in run.stderr
    assert not list((project / "build").glob("broken*")) if (project / "build").exists() else True
    assert statement.read_bytes() == before


def test_the_server_builds_in_the_clients_folder_environment_and_umask(project, runtime):
    started_server(runtime, project)
    cache = project / "user-cache"
    env = {**runtime, "XDG_CACHE_HOME": str(cache)}
    run = subprocess.run([sys.executable, "-c", HAND_OVER, "build", "2017-11-22-asean-consensus.yaml", "-o", "../private"],
                         cwd=project / "statements", env=env, capture_output=True, text=True, timeout=300, umask=0o077)
    assert run.stderr.rstrip().endswith("served: 0"), run.stderr
    assert run.stdout.startswith("built ../private/2017-11-22-asean-consensus.docx")
    assert (project / "private" / "2017-11-22-asean-consensus.pdf").is_file()
    assert (project / "private").stat().st_mode & 0o777 == 0o700
    assert list((cache / "mmnpress" / "citations").glob("*/formatted.json")), "citations go to the client's cache folder"


def test_a_server_running_other_code_refuses_and_ends(project, runtime):
    started_server(runtime, project)
    stale = "import mmnpress.installation as i; i._FINGERPRINT[:] = ['0.0.0:other']; " + HAND_OVER.replace("import sys; ", "")
    run = subprocess.run([sys.executable, "-c", "import sys; " + stale, "build", SEED, "-o", "stale"], cwd=project,
                         env=runtime, capture_output=True, text=True, timeout=300)
    assert run.stderr.rstrip().endswith("served: None"), run.stderr
    assert not (project / "stale").exists()
    _wait(lambda: not _sockets(runtime), "a server that refused other code must end")


def _long_statement(project: Path, paragraphs: int) -> str:
    data = yaml.safe_load((project / SEED).read_text(encoding="utf-8"))
    text = [p for p in data["body"] if isinstance(p, str)]
    data["body"] = [f"{text[n % len(text)].split('[@')[0]} ({n}).[@tfamw2009, {n + 1}]" for n in range(paragraphs)]
    (project / "statements" / "long.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return "statements/long.yaml"


def test_ctrl_c_stops_the_servers_build_writes_nothing_and_ends_the_server(project, runtime):
    started_server(runtime, project)
    long = _long_statement(project, 600)
    process = subprocess.Popen([*_entry_point(), "build", long, "-o", "interrupted"], cwd=project, env=runtime,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_until_building(runtime)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert stderr.strip().endswith(INTERRUPTED)
    assert "Traceback" not in stderr
    assert not list((project / "interrupted").glob("*")) if (project / "interrupted").exists() else True
    _wait(lambda: not _sockets(runtime), "the server ends after an interrupted build")


def _wait_until_building(env: dict) -> None:
    """Return once the server has spent half a second of processor time on a build (asking it would keep it busy)."""
    [pid] = _server_pids(env)
    start = _cpu_seconds(pid)
    _wait(lambda: _cpu_seconds(pid) - start > 0.5, "the server never got to the long build")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime and stime


def test_a_busy_server_sends_the_next_build_back_to_its_own_process(project, runtime):
    started_server(runtime, project)
    long = _long_statement(project, 600)
    first = subprocess.Popen([sys.executable, "-c", HAND_OVER, "build", long, "-o", "long"], cwd=project, env=runtime,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_until_building(runtime)
    status, _ = served(runtime, project, "build", SEED, "-o", "meanwhile")
    assert status is None, "a busy server must not make the next build wait"
    busy = mmnpress(runtime, project, "build", SEED, "-o", "meanwhile")
    assert busy.returncode == 0 and (project / "meanwhile" / "2017-11-22-asean-consensus.pdf").is_file()
    _, stderr = first.communicate(timeout=300)
    assert first.returncode == 0 and stderr.rstrip().endswith("served: 0"), stderr


def test_an_idle_server_ends_and_its_socket_is_private(project, runtime):
    runtime["MMNPRESS_SERVER_IDLE"] = "2"
    started_server(runtime, project)
    folder = Path(runtime["XDG_RUNTIME_DIR"]) / "mmnpress"
    assert folder.stat().st_mode & 0o777 == 0o700
    assert all(socket.stat().st_mode & 0o777 == 0o600 for socket in _sockets(runtime))
    _wait(lambda: not _sockets(runtime) and not _server_pids(runtime), "an idle server must end", seconds=30)


def test_a_new_project_has_a_server_ready_for_its_first_build(tmp_path, runtime):
    made = mmnpress(runtime, tmp_path, "init", "--name", "Migrant Rights Forum")
    assert made.returncode == 0, made.stderr
    _wait(lambda: served(runtime, tmp_path, "build", "--help")[0] == 0, "init started no server for the first build")
    status, built = served(runtime, tmp_path, "build")
    assert status == 0, built.stderr
    assert built.stdout.count("built build/example-") == 3


def test_sigterm_ends_the_server_and_removes_its_socket_and_lock(project, runtime):
    started_server(runtime, project)
    folder = Path(runtime["XDG_RUNTIME_DIR"]) / "mmnpress"
    [pid] = _server_pids(runtime)
    assert list(folder.glob("build-*.sock.lock"))
    os.kill(pid, signal.SIGTERM)
    _wait(lambda: not _server_running(pid), "the server did not end on SIGTERM")
    assert sorted(path.name for path in folder.iterdir()) == []


def _server_running(pid: int) -> bool:
    try:
        return b"mmnpress.server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # ended
        return False


@pytest.mark.parametrize("command", [["init", "--help"], ["init", "-h"], ["build", "--help"]])
def test_asking_for_help_starts_no_server(tmp_path, runtime, command):
    shown = mmnpress(runtime, tmp_path, *command)
    assert shown.returncode == 0 and "Usage:" in shown.stdout, shown.stderr
    time.sleep(3)  # a server started in the background takes its lock in well under a second
    folder = Path(runtime["XDG_RUNTIME_DIR"]) / "mmnpress"
    assert not folder.exists() or list(folder.iterdir()) == []
    assert not (tmp_path / "statements").exists()


def test_a_site_handed_to_the_server_writes_what_its_own_process_writes(project, runtime):
    started_server(runtime, project)
    status, run = served(runtime, project, "site", "--at", "2030-02-01", "-o", "served")
    assert status == 0, run.stderr
    local = mmnpress({**runtime, "MMNPRESS_SERVER": "off"}, project, "site", "--at", "2030-02-01", "-o", "local")
    assert local.returncode == 0, local.stderr
    summary = re.compile(r"^site (served|local): .*$", re.M)  # its folder, what it built and its time differ
    assert summary.sub("", run.stdout) == summary.sub("", local.stdout) and "left out: a draft" in run.stdout
    assert re.search(r"^site served: \d+ statements", run.stdout, re.M) and run.stderr == local.stderr == ""
    assert _site_files(project / "served") == _site_files(project / "local")
    thai = project / "statements/2017-11-22-asean-consensus.th.yaml"
    thai.write_text(thai.read_text(encoding="utf-8").replace("หลักนิติธรรม", "หลักนิติธรรมอันดี", 1), encoding="utf-8")
    status, run = served(runtime, project, "site", "--at", "2030-02-01", "-o", "served")
    assert status == 0, run.stderr
    assert "หลักนิติธรรมอันดี" in (project / "served/2017/asean-consensus/th/index.html").read_text(encoding="utf-8")


def _site_files(folder: Path) -> dict[str, bytes]:
    """Return the files of a site but its manifest (which records file stamps), by path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != ".mmnpress-site.json"}
