"""Web pages and the live preview in a real browser: headless Chromium and axe-core.

Skipped only where Chromium is not installed (CI installs Debian's chromium).
Set MMNPRESS_SCREENSHOTS=folder to keep a screenshot of each page at each width.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser import Browser, needs_chromium
from tests.conftest import EXAMPLES, REPO
from tests.hostile.helpers import preview_address

pytestmark = needs_chromium()
WIDTHS = (375, 1280)


@pytest.fixture(scope="module")
def browser():
    with Browser() as opened:
        yield opened


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Return the folder of every example built to a web page."""
    from click.testing import CliRunner

    from mmnpress.commands.main import main

    root = tmp_path_factory.mktemp("pages")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    result = CliRunner().invoke(main, ["build", str(root / "statements"), "--to", "html", "--with-translations"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "build"


@pytest.mark.parametrize("name", EXAMPLES)
def test_page_fits_narrow_and_wide_screens_and_passes_axe(browser, pages, name):
    stem = Path(name).stem
    browser.open((pages / f"{stem}.html").as_uri(), WIDTHS[0])
    for width in WIDTHS:
        browser.resize(width)
        overflow = browser.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{stem} is {overflow} px too wide at {width} px"
        if os.environ.get("MMNPRESS_SCREENSHOTS"):
            browser.screenshot(Path(os.environ["MMNPRESS_SCREENSHOTS"]) / f"{stem}-{width}.png")
    assert browser.axe() == []


@pytest.mark.parametrize("name", ["2017-11-22-asean-consensus.my.yaml", "2018-06-01-sez-garment-workers.yaml"])
def test_every_note_link_lands_on_its_note_and_back(browser, pages, name):
    stem = Path(name).stem
    browser.open((pages / f"{stem}.html").as_uri(), 375)
    count = browser.evaluate("document.querySelectorAll('a[role=doc-noteref]').length")
    assert count == browser.evaluate("document.querySelectorAll('[role=doc-endnotes] li').length")
    for number in range(1, count + 1):
        browser.evaluate(f"document.getElementById('fnref{number}').click()")
        browser.wait_for(f"location.hash === '#fn{number}'")
        assert browser.evaluate(_in_view(f"fn{number}")), browser.evaluate(_rect(f"fn{number}"))
        browser.evaluate(f"document.querySelector('#fn{number} a[role=doc-backlink]').click()")
        browser.wait_for(f"location.hash === '#fnref{number}'")
        assert browser.evaluate(_in_view(f"fnref{number}")), browser.evaluate(_rect(f"fnref{number}"))


def _rect(element_id: str) -> str:
    return f"JSON.stringify([document.getElementById('{element_id}').getBoundingClientRect(), window.innerHeight, scrollY])"


def _in_view(element_id: str) -> str:
    return (f"(() => {{ const r = document.getElementById('{element_id}').getBoundingClientRect();"
            " return r.top >= -1 && r.bottom <= window.innerHeight + 1; })()")


# The live preview


@pytest.fixture
def preview(project):
    """Start `mmnpress preview` on the seed statement; yield (address, statement path); stop it with Ctrl-C."""
    statement = project / "statements/2017-11-22-asean-consensus.th.yaml"
    process = subprocess.Popen(
        [sys.executable, "-c", "from mmnpress.entry import run; run()", "preview", str(statement), "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    address = preview_address(process)
    yield address, statement, process
    process.send_signal(__import__("signal").SIGINT)
    try:
        output = process.communicate(timeout=20)[0]
    finally:
        if process.poll() is None:  # did not stop: fail without leaving it running
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert "stopped" in output and "Traceback" not in output


def _build_seconds(process: subprocess.Popen) -> float:
    """Read the preview's output up to its next "built ... in X s" line; return X."""
    while line := process.stdout.readline():
        if found := re.search(r"\] built .* in ([\d.]+) s", line):
            return float(found.group(1))
    raise AssertionError("the preview stopped before reporting a build")


def test_preview_shows_the_page_and_follows_every_save(browser, preview):
    address, statement, process = preview
    browser.open(address, 1280)
    browser.wait_for("document.querySelector('h1') && document.querySelector('h1').textContent.includes('ฉันทามติ')", 30)
    _build_seconds(process)  # the first build
    assert browser.evaluate("location.search + document.cookie") == ""  # the token left the address bar; scripts cannot read the cookie
    source = statement.read_text(encoding="utf-8")
    statement.write_text(source.replace("subtitle: แถลงการณ์เครือข่ายการย้ายถิ่นแม่โขง", "subtitle: ฉบับแก้ไขใหม่"), encoding="utf-8")
    seconds = browser.wait_for("document.querySelector('.subtitle') && document.querySelector('.subtitle').textContent === 'ฉบับแก้ไขใหม่'", 10)
    # Within 1 s; on a machine so loaded that the rebuild alone takes longer, the preview may add 0.5 s to it.
    rebuild = _build_seconds(process)
    assert seconds < max(1.0, rebuild + 0.5), f"the edit showed after {seconds:.2f} s (rebuild {rebuild:.2f} s)"
    statement.write_text(source.replace("place: เชียงใหม่", "place: [เชียงใหม่"), encoding="utf-8")
    browser.wait_for("document.querySelector('.problems')", 10)
    problems = browser.evaluate("document.querySelector('.problems').textContent")
    assert re.search(r"statements/2017-11-22-asean-consensus\.th\.yaml:\d+:\d+: YAML syntax", problems), problems
    statement.write_text(source, encoding="utf-8")
    browser.wait_for("document.querySelector('.subtitle') && document.querySelector('.subtitle').textContent.includes('แถลงการณ์')", 10)
