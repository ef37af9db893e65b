"""Measure sign-on lists: importing a 10,000-row form export, and building a statement with 5,000 signatories.

    /work/venv/bin/python bench/signatories.py [--rows 10000] [--signatories 5000] [--runs 3]

Each figure is the median of `--runs` fresh `mmnpress` processes; memory is the peak
resident size of the process (ru_maxrss). The export is shaped like Google Forms'
(timestamp, email, organisation, country in several spellings and languages, consent),
one row in 20 a respelled duplicate, one in 25 without consent. The statement is the
seed with the signatories appended, built to each format with --force.
Everything runs in a temporary copy of statements/, templates/ and bibliography/.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = "statements/2017-11-22-asean-consensus.yaml"
COUNTRIES = ["Thailand", "Myanmar", "Burma", "မြန်မာ", "Cambodia", "Kampuchea", "Lao PDR", "Laos", "Viet Nam", "Vietnam", "Philippines",
             "Indonesia", "Malaysia", "Timor-Leste", "ประเทศไทย", "TH", "KH"]
WORDS = ("Workers Women Youth Migrant Rights Justice Land Forest River Labour Legal Aid Health Education Community Development "
         "Farmers Fisherfolk Domestic Garment Construction Indigenous Peoples Ethnic Peace Democracy Environment").split()
KINDS = ["Network", "Alliance", "Foundation", "Association", "Union", "Centre", "Council", "Forum", "Coalition", "Federation"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--signatories", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mmnpress-bench-") as tmp:
        project = Path(tmp)
        for name in ("statements", "templates", "bibliography"):
            shutil.copytree(REPO / name, project / name)
        rows = [("import", f"{args.rows:,} rows, dry run", *_import(project, args.rows, args.runs, dry=True)),
                ("import", f"{args.rows:,} rows into the seed", *_import(project, args.rows, args.runs, dry=False))]
        statement = _statement(project, args.signatories)
        for formats in ("docx", "pdf", "html,email,ninjs", "docx,pdf,html,email,ninjs"):
            rows.append(("build", f"{args.signatories:,} signatories to {formats}", *_build(project, statement, formats, args.runs)))
    print("| what | case | median s | peak MiB |\n|---|---|---|---|")
    for what, case, seconds, memory in rows:
        print(f"| {what} | {case} | {seconds:.2f} | {memory:.0f} |")


def _names(count: int) -> list[str]:
    random.seed(30)
    names: set[str] = set()
    while len(names) < count:
        names.add(f"{' '.join(random.sample(WORDS, random.randint(2, 4)))} {random.choice(KINDS)} {random.choice(COUNTRIES[:13])}")
    return sorted(names, key=lambda _: random.random())


def _export(project: Path, rows: int) -> Path:
    path = project / "responses.csv"
    names = _names(rows)
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Timestamp", "Email Address", "Organisation name", "Country", "Does your organisation endorse this statement?"])
        for index, name in enumerate(names):
            if index % 20 == 19:
                name = names[index - 7].upper().replace(" AND ", " & ")
            writer.writerow([f"2024/03/{1 + index % 28:02d} 10:{index % 60:02d}:00 AM GMT+7", f"org{index}@example.org", name,
                             random.choice(COUNTRIES), "No" if index % 25 == 24 else "Yes, we endorse"])
    return path


def _import(project: Path, rows: int, runs: int, dry: bool) -> tuple[float, float]:
    export = _export(project, rows)
    seed = (project / SEED).read_text(encoding="utf-8")
    target = project / "statements" / "import-target.yaml"
    results = []
    for _ in range(runs):
        target.write_text(seed, encoding="utf-8")
        results.append(_run(project, ["signatories", "import", str(export), "--statement", str(target)] + (["--dry-run"] if dry else [])))
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def _statement(project: Path, count: int) -> Path:
    names = _names(count)
    random.seed(5)
    lines = [(project / SEED).read_text(encoding="utf-8").rstrip(), "signatories:"]
    for name in names:
        lines += [f"  - name: {name}", f"    country: {random.choice(COUNTRIES)}"]
    path = project / "statements" / "signed.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _build(project: Path, statement: Path, formats: str, runs: int) -> tuple[float, float]:
    results = [_run(project, ["build", str(statement), "--to", formats, "--force"]) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def _run(project: Path, arguments: list[str]) -> tuple[float, float]:
    """Return the wall time and the peak memory (MiB, ru_maxrss of the process) of one mmnpress process."""
    import os

    code = "import sys; sys.argv[0] = 'mmnpress'; from mmnpress.entry import run; run()"
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, *arguments], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "MMNPRESS_SERVER": "off", "HOME": str(project)})
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"mmnpress {' '.join(arguments)} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024


if __name__ == "__main__":
    main()
