"""Measure `mmnpress site`: a second run after one statement changed, against one build of that statement; 200 statements.

    /work/venv/bin/python bench/site.py [--runs 3] [--count 200]

Each figure is the median of --runs fresh processes, measured in turn (site, then build)
so that load from elsewhere falls on both alike. The build of the statement is measured
twice: in a fresh process with the build server off, and handed to the build server (as
users run it after their first build). Peak memory is the largest ru_maxrss of this
process's children (the site command and the workers it starts).

Measured 2026-12-07 on the shared 2-core machine (load average 5.5), --runs 3 / --runs 1 --count 200:
site after one statement changed 2.31-2.69 s; build --to html,pdf of it 1.36-1.57 s in a fresh
process (site / build 1.70, 1.71), 0.37-0.69 s through the build server; 200 statements: first
site 85.4 s (243 pages), again unchanged 10.8 s, peak memory 220 MiB.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATEMENT = "statements/2017-11-22-asean-consensus.th.yaml"
RUN = [sys.executable, "-c", "from mmnpress.entry import run; run()"]


def timed(cwd: Path, args: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    environment = {**os.environ, "PYTHONPATH": str(REPO), "MMNPRESS_SERVER_IDLE": "20", **(env or {})}  # the server ends soon after
    subprocess.run([*RUN, *args], cwd=cwd, check=True, capture_output=True, env=environment)
    return time.perf_counter() - started


def edit(project: Path, original: str, number: int) -> None:
    """Write the statement with a new word in it: every build sees content it has not built before."""
    (project / STATEMENT).write_text(original.replace("หลักนิติธรรม", f"หลักนิติธรรม {number}", 1), encoding="utf-8")


def incremental(project: Path, runs: int) -> list[tuple[str, float]]:
    timed(project, ["site"])  # the first site: every statement built
    site, cold, served = [], [], []
    original = (project / STATEMENT).read_text(encoding="utf-8")
    timed(project, ["build", STATEMENT, "--to", "html,pdf"])  # starts the build server
    for number in range(runs):
        edit(project, original, 3 * number + 1)
        site.append(timed(project, ["site"]))
        edit(project, original, 3 * number + 2)
        cold.append(timed(project, ["build", STATEMENT, "--to", "html,pdf"], {"MMNPRESS_SERVER": "off"}))
        edit(project, original, 3 * number + 3)
        served.append(timed(project, ["build", STATEMENT, "--to", "html,pdf"]))
    return [
        ("site after one statement changed", statistics.median(site)),
        ("build --to html,pdf of it, fresh process", statistics.median(cold)),
        ("build --to html,pdf of it, build server", statistics.median(served)),
    ]


def many(root: Path, count: int) -> list[tuple[str, float]]:
    sys.path.insert(0, str(REPO))
    from tests.test_site import generated_project

    project = generated_project(root, count)
    started = time.perf_counter()
    timed(project, ["site"])
    first = time.perf_counter() - started
    again = timed(project, ["site"])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pages = len(list((project / "build/site").rglob("index.html")))
    return [
        (f"site of {count} statements, first run ({pages} pages)", first),
        (f"site of {count} statements, again unchanged", again),
        ("peak memory of one process, MiB", peak),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mmnpress-site-bench-") as tmp:
        project = Path(tmp) / "examples"
        for name in ("statements", "templates", "bibliography"):
            shutil.copytree(REPO / name, project / name)
        rows = incremental(project, args.runs)
        site, cold, served = (value for _, value in rows)
        rows.append(("site / fresh build", site / cold))
        rows.append(("site / served build", site / served))
        if args.count:
            rows += many(Path(tmp) / "many", args.count)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, value in rows:
        print(f"{name:55s} {value:8.2f}")


if __name__ == "__main__":
    main()
