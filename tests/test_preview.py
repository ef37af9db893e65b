"""The live preview's server, read over HTTP as a browser would (no browser needed)."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import MINIMAL, REPO, write_statement


@pytest.fixture
def preview(project):
    """Start `mmnpress preview` on a short statement; yield (address, statement path); stop it with Ctrl-C."""
    statement = project / write_statement(project, "2020-05-01-short.yaml", MINIMAL)
    process = subprocess.Popen(
        [sys.executable, "-c", "from mmnpress.entry import run; run()", "preview", str(statement), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        yield _address(process), statement
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=20)
        finally:
            if process.poll() is None:  # did not stop: fail without leaving it running
                process.kill()
                process.communicate()


def _address(process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if "http://127.0.0.1:" in line:
            return line[line.index("http://") :].split()[0]
        if process.poll() is not None:
            raise AssertionError(f"preview exited: {line}{process.stdout.read()}")
    raise AssertionError("preview printed no address within 60 s")


def _page_until(address: str, wanted: str, seconds: float = 30) -> str:
    """Fetch the page until it contains `wanted`, as a browser does (the token address, then its cookie); return it."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        with browser.open(address, timeout=10) as answer:
            page = answer.read().decode("utf-8")
        if wanted in page:
            return page
        time.sleep(0.1)
    raise AssertionError(f"the page never showed {wanted!r}; it shows:\n{page}")


def test_preview_shows_the_statement_again_when_a_broken_save_is_undone(preview):
    address, statement = preview
    good = statement.read_text(encoding="utf-8")
    _page_until(address, "A short statement")
    statement.write_text(good.replace("date: 2020-05-01", "date: 2026-13-45"), encoding="utf-8")
    problems = _page_until(address, "The statement does not build")
    assert "2020-05-01-short.yaml:" in problems
    statement.write_text(good, encoding="utf-8")  # the text of the last good build: the build is "up to date"
    page = _page_until(address, "A short statement")
    assert "does not build" not in page
