"""Golden structure tests: every example statement builds to its stored snapshot.

The snapshots under tests/golden/<statement>/ hold the render model, the
normalised Word parts and the PDF's text (see tests/snapshots.py). After an
intended change of the outputs, rewrite them and review the diff:

    python -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.snapshots import snapshot

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_matches_its_snapshot(name, built_examples, request):
    built = built_examples(name)
    files = snapshot(built.document, built.docx, built.pdf, built.root)
    folder = GOLDEN / Path(name).stem
    if request.config.getoption("--update-golden"):
        _rewrite(folder, files)
        return
    if not folder.is_dir():
        pytest.fail(f"no snapshot for {name}: run `python -m pytest tests/test_golden.py --update-golden`")
    stored = {path.name: path.read_text(encoding="utf-8") for path in folder.iterdir()}
    if "pdf.txt" in stored and "pdf.txt" not in files:
        pytest.skip("pdftotext is not installed")  # the PDF text cannot be compared
    drift = [_diff(folder / file, stored.get(file, ""), files.get(file, "")) for file in sorted(set(stored) | set(files))
             if stored.get(file) != files.get(file)]
    if drift:
        pytest.fail(f"{name} no longer builds to its snapshot; if intended, rerun with --update-golden\n" + "\n".join(drift), pytrace=False)


def test_every_snapshot_belongs_to_an_example():
    stems = {Path(name).stem for name in EXAMPLES}
    assert stems, "no example statements found"
    assert {path.name for path in GOLDEN.iterdir() if path.is_dir()} == stems


def _rewrite(folder: Path, files: dict[str, str]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")


def _diff(path: Path, stored: str, current: str) -> str:
    lines = difflib.unified_diff(stored.splitlines(), current.splitlines(), f"{path} (snapshot)", f"{path} (built now)", lineterm="")
    return "\n".join(lines)
