"""Measure `mmnpress site`: a second run after one statement changed, against one build of that statement; 200 statements.

    /work/venv/bin/python bench/site.py [--runs 3] [--count 200]

Each figure is the median of --runs commands, measured in turn (site, then build) so that
load from elsewhere falls on both alike. Site and build are each measured twice: in a fresh
process with the build server off, and handed to the build server (as users run them after
their first build); each ratio compares like with like. Peak memory is the largest
ru_maxrss of this process's children (the site command and the workers it starts).

Measured 2026-12-07 on a quiet 2-core machine (load average 1.2), --runs 11 --count 200, with
unchanged statements taken from their records, the site handed to the build server and the
search index made beside the last statement's PDF and Word files:
site after one statement changed 0.56 s against 0.40 s for a fresh build --to html,pdf of it
(1.41); through the build server 0.14 s against 0.10 s (1.40); 200 statements: first site 6.6 s
(243 pages), again unchanged 0.63 s, peak memory 209 MiB.

Earlier, measured 2026-12-07 on the shared 2-core machine (load average 5.5), --runs 3 / --runs 1 --count 200:
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
    """Time a site after one statement changed, and a build of that statement, each in a fresh process and handed to the build server."""
    off = {"MMNPRESS_SERVER": "off"}
    timed(project, ["site"], off)  # the first site: every statement built
    figures: dict[str, list[float]] = {"site": [], "build": [], "served site": [], "served build": []}
    original = (project / STATEMENT).read_text(encoding="utf-8")
    timed(project, ["build", STATEMENT, "--to", "html,pdf"])  # starts the build server
    timed(project, ["site"])  # the server's first site imports what the site alone uses
    for number in range(runs):
        for step, (name, args, env) in enumerate((
            ("site", ["site"], off),
            ("build", ["build", STATEMENT, "--to", "html,pdf"], off),
            ("served site", ["site"], None),
            ("served build", ["build", STATEMENT, "--to", "html,pdf"], None),
        )):
            edit(project, original, 4 * number + step + 1)
            figures[name].append(timed(project, args, env))
    site, build, served_site, served_build = (statistics.median(figures[name]) for name in figures)
    return [
        ("site after one statement changed, fresh process", site),
        ("build --to html,pdf of it, fresh process", build),
        ("site / build, fresh processes", site / build),
        ("site after one statement changed, build server", served_site),
        ("build --to html,pdf of it, build server", served_build),
        ("site / build, build server", served_site / served_build),
    ]


def many(root: Path, count: int) -> list[tuple[str, float]]:
    sys.path.insert(0, str(REPO))
    from tests.test_site import generated_project

    project = generated_project(root, count)
    off = {"MMNPRESS_SERVER": "off"}  # in fresh processes, whose memory this process sees
    started = time.perf_counter()
    timed(project, ["site"], off)
    first = time.perf_counter() - started
    again = timed(project, ["site"], off)
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
        if args.count:
            rows += many(Path(tmp) / "many", args.count)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, value in rows:
        print(f"{name:55s} {value:8.2f}")


if __name__ == "__main__":
    main()
