"""The live preview's server, read over HTTP as a browser would (no browser needed)."""

from __future__ import annotations

import http.cookiejar
import time
import urllib.request

import pytest

from tests.conftest import MINIMAL, write_statement
from tests.hostile.helpers import running_preview


@pytest.fixture
def preview(project):
    """Start `mmnpress preview` on a short statement; yield (address, statement path); stop it with Ctrl-C."""
    statement = project / write_statement(project, "2020-05-01-short.yaml", MINIMAL)
    with running_preview(statement, project) as address:
        yield address, statement


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
