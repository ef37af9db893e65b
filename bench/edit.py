"""Measure `mmnpress edit` in headless Chromium: start-up to first paint, and the preview's update after typing.

    PYTHONPATH=. /work/venv/bin/python bench/edit.py [--runs 5]

- start-up: from creating the server (in this process: its imports are warm after the first run) to the first
  contentful paint of the editor page in Chromium, and to the form and preview ready
  (`data-ready`), a fresh browser profile each run;
- the preview: from the last keystroke of a title (typed as an input method does, CDP
  `Input.insertText`) to the preview frame showing it; the editor waits 300 ms for a pause.

Runs in a temporary copy of statements/, templates/ and bibliography/; prints medians.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))


def driver_for(fonts: Path):
    import os

    from browser import _fontconfig, chromium_path
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = chromium_path()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(flag)
    fonts.mkdir(exist_ok=True)
    service = Service("/usr/bin/chromedriver", env={**os.environ, "FONTCONFIG_FILE": str(_fontconfig(fonts))})
    return webdriver.Chrome(options=options, service=service)


def until(driver, condition: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if driver.execute_script(f"return !!({condition})"):
            return
        time.sleep(0.01)
    raise RuntimeError(f"not within {seconds} s: {condition}")


def preview_h1(driver) -> str:
    from selenium.webdriver.common.by import By

    driver.switch_to.frame(driver.find_element(By.ID, "preview"))
    try:
        return driver.execute_script("var h = document.querySelector('h1'); return h ? h.textContent.trim() : ''")
    finally:
        driver.switch_to.default_content()


def one_run(root: Path, folder: Path) -> tuple[float, float, float]:
    from selenium.webdriver.common.by import By

    from mmnpress.editor.server import Editor

    driver = driver_for(folder / "fonts")
    try:
        started = time.monotonic()
        editor = Editor(root, "statements/2018-06-01-sez-garment-workers.yaml")
        editor.start()
        driver.get(editor.url)
        paint = driver.execute_script("var p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : null")
        navigation = driver.execute_script("return performance.timeOrigin") / 1000
        until(driver, "document.body.getAttribute('data-ready') === 'true'")
        ready = time.monotonic() - started
        first_paint = (navigation - time.time() + time.monotonic() - started) + (paint or 0) / 1000
        title = driver.find_element(By.CSS_SELECTOR, '[data-path="title"]:not(button)')
        title.click()
        driver.execute_cdp_cmd("Input.insertText", {"text": " ชื่อ"})
        typed = time.monotonic()
        wanted = title.get_attribute("value").strip()
        while preview_h1(driver) != wanted:
            time.sleep(0.01)
        updated = time.monotonic() - typed
        editor.close()
        return first_paint, ready, updated
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    results = []
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(prefix="mmnpress-bench-edit-"))
        try:
            for name in ("statements", "templates", "bibliography"):
                shutil.copytree(REPO / name, folder / "project" / name)
            results.append(one_run(folder / "project", folder))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    for label, index in (("server start to first contentful paint", 0), ("server start to form and preview ready", 1),
                         ("last keystroke to preview showing it (300 ms pause included)", 2)):
        values = [r[index] for r in results]
        spread = f"min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f}, {runs} runs"
        print(f"{label:<64} median {statistics.median(values) * 1000:7.0f} ms  ({spread})")


if __name__ == "__main__":
    main()
