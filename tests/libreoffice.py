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


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """Start one headless soffice for the module, with a private profile; return the pipe it listens on and its HOME."""
    home = tmp_path_factory.mktemp("office")
    pipe = f"mmnpress_{uuid.uuid4().hex}"
    process = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
         f"-env:UserInstallation={(home / 'profile').as_uri()}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=clean_env(home),
    )
    try:
        yield pipe, home
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_script(office, script: str, *args: str) -> subprocess.CompletedProcess:
    """Run one of the UNO scripts against the module's soffice; return the finished process.

    A script killed by a signal (the UNO bridge crashes now and then under
    load, SIGSEGV) runs once more; any other failure is the test's.
    """
    pipe, home = office
    command = [str(SYSTEM_PYTHON), str(SCRIPTS / script), pipe, *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, env=clean_env(home))
    if done.returncode < 0:
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, env=clean_env(home))
    done.check_returncode()
    return done
