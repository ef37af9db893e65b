"""Measure the first build after installing mmnpress: a fresh virtual environment, an empty cache.

    /work/venv/bin/python bench/first_build.py [--runs 3]

Each run makes a new virtual environment whose dependencies are those of the
running interpreter (a .pth file names its site-packages), installs mmnpress
in it as pip does (`pip install --no-deps` of this checkout; where pip cannot
get the build backend, a copy of the package byte-compiled as pip would),
then in a new project made by `mmnpress init` builds the example statement
to DOCX and PDF with an empty user cache folder (XDG_CACHE_HOME) and an empty
temporary folder (TMPDIR), and once more with the cache it left. Prints the
median of each and the size of the shipped static fonts (what they add to
the wheel, compressed).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    first, second, how = [], [], ""
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="mmnpress-first-build-") as folder:
            seconds, again, how = _one_run(Path(folder))
            first.append(seconds)
            second.append(again)
    fonts = REPO / "mmnpress" / "render" / "static-fonts"
    raw = sum(f.stat().st_size for f in fonts.iterdir())
    packed = sum(len(zlib.compress(f.read_bytes(), 9)) for f in fonts.iterdir())
    print(f"installed by: {how}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"first build after install, empty cache: {statistics.median(first):.2f} s (target <= {TARGET_SECONDS} s; runs {_list(first)})")
    print(f"second build:                           {statistics.median(second):.2f} s (runs {_list(second)})")
    print(f"shipped static fonts: {raw / 2**20:.2f} MB, about {packed / 2**20:.2f} MB in the wheel")


def _one_run(folder: Path) -> tuple[float, float, str]:
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True).strip())
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    how = _install(python, site, folder)
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache"), "TMPDIR": str(folder / "tmp"), "MMNPRESS_SERVER": "off"}
    env.pop("PYTHONPATH", None)
    (folder / "tmp").mkdir()
    project = folder / "project"
    project.mkdir()
    command = [str(python), "-c", "import sys; from mmnpress.entry import run; sys.argv[0] = 'mmnpress'; run()"]
    subprocess.run([*command, "init", "--name", "Phnom Penh Workers Network"], cwd=project, env=env, check=True, capture_output=True)
    shutil.rmtree(folder / "cache", ignore_errors=True)  # init may have warmed it; the first build starts empty
    timed = []
    for _ in range(2):
        started = time.perf_counter()
        subprocess.run([*command, "build", "statements/example-statement.yaml", "--force"], cwd=project, env=env, check=True, capture_output=True)
        timed.append(time.perf_counter() - started)
    return timed[0], timed[1], how


def _install(python: Path, site: Path, folder: Path) -> str:
    """Install this checkout into the environment of `python`; return how."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(REPO)], capture_output=True, text=True
    )
    if done.returncode == 0:
        return "pip install --no-deps"
    shutil.copytree(REPO / "mmnpress", site / "mmnpress", ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(site / "mmnpress", quiet=1)
    return "a byte-compiled copy of the package (pip could not build it here)"


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
