"""One headless LibreOffice per test module, driven through UNO by the system python3.

The scripts under `review/` (`uno_reviewer.py`, `uno_lines.py`) run under
/usr/bin/python3, which has python3-uno, not under the project's environment.
Tests that need them skip only where soffice or the UNO bridge is missing.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

SYSTEM_PYTHON = Path("/usr/bin/python3")
SCRIPTS = Path(__file__).parent / "review"


def clean_env(home: Path) -> dict[str, str]:
    """Return an environment for LibreOffice and the system python3: no virtualenv paths, a private HOME."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}


def uno_available() -> bool:
    """Return whether soffice and a system python3 with the UNO bridge are installed."""
    if shutil.which("soffice") is None or not SYSTEM_PYTHON.exists():
        return False
    found = subprocess.run([str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True, env=clean_env(Path("/tmp")))
    return found.returncode == 0


needs_uno = pytest.mark.skipif(not uno_available(), reason="LibreOffice (soffice) or python3-uno is not installed")


class Office:
    """A headless soffice with a private profile, listening on a pipe; started again if it dies."""

    def __init__(self, home: Path):
        self.home = home
        self.pipe = ""
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        """Start soffice on a new pipe (a crashed one may leave its pipe behind)."""
        self.pipe = f"mmnpress_{uuid.uuid4().hex}"
        self.process = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
             f"-env:UserInstallation={(self.home / 'profile').as_uri()}", f"--accept=pipe,name={self.pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=clean_env(self.home),
        )

    def stop(self) -> None:
        """End soffice."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """Start one headless soffice for the module, with a private profile; return it."""
    started = Office(tmp_path_factory.mktemp("office"))
    try:
        yield started
    finally:
        started.stop()


def run_script(office: Office, script: str, *args: str) -> subprocess.CompletedProcess:
    """Run one of the UNO scripts against the module's soffice; return the finished process.

    Under load the UNO bridge crashes now and then: the script is killed by a
    signal (SIGSEGV), or soffice itself dies mid-call ("Binary URP bridge
    disposed"). Then soffice is started again and the script runs once more;
    any other failure is the test's.
    """
    if office.process.poll() is not None:  # died during the last script
        office.start()
    done = _run(office, script, args)
    if done.returncode != 0 and (done.returncode < 0 or "DisposedException" in done.stderr or office.process.poll() is not None):
        office.stop()
        office.start()
        done = _run(office, script, args)
    done.check_returncode()
    return done


def _run(office: Office, script: str, args: tuple[str, ...]) -> subprocess.CompletedProcess:
    command = [str(SYSTEM_PYTHON), str(SCRIPTS / script), office.pipe, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, env=clean_env(office.home))
