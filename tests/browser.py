"""A headless Chromium driven through the DevTools protocol, for tests of web pages.

Chromium is Debian's `chromium` (CI installs it); tests that need it skip when
it is missing. It sees the fonts of the font packages mmnpress uses (through a
fontconfig file of its own), so Thai, Burmese, Khmer and Lao show as readers
with those fonts see them, whatever the machine has installed.
`Browser(packaged_fonts=False)` sees instead only the machine's fonts that
have none of those scripts: what a reader without them sees.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--remote-debugging-port=0", "--remote-allow-origins=*")


def chromium_path() -> str | None:
    """Return the Chromium executable, or None."""
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def needs_chromium():
    """Return a pytest mark that skips a test when Chromium is not installed."""
    return pytest.mark.skipif(chromium_path() is None, reason="Chromium is not installed (apt-get install chromium)")


def _fontconfig(folder: Path, packaged_fonts: bool = True) -> Path:
    """Write a fontconfig file: the machine's fonts and the packaged ones, or only the machine's without the scripts."""
    from mmnpress import fonts

    if packaged_fonts:
        fonts_xml = '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' + "".join(
            f"<dir>{d}</dir>" for d in fonts.font_folders(everything=True))
    else:
        fonts_xml = f"<dir>{_fonts_without_scripts(folder / 'fonts')}</dir>"
    conf = folder / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f"{fonts_xml}<cachedir>{folder / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
    return conf


def _fonts_without_scripts(folder: Path) -> Path:
    """Link into `folder` the machine's font files that have no Thai, Burmese, Khmer or Lao letter; return it."""
    from fontTools.ttLib import TTFont

    from mmnpress.render.wordfonts import SCRIPT_RANGES

    folder.mkdir()
    listed = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=False).stdout
    for number, name in enumerate(sorted(set(listed.splitlines()))):
        try:
            mapped = TTFont(name, lazy=True, fontNumber=0)["cmap"].getBestCmap()
        except Exception:  # noqa: BLE001 - a font fontTools cannot read is left out
            continue
        if not any(low <= point <= high for point in mapped for ranges in SCRIPT_RANGES.values() for low, high in ranges):
            (folder / f"{number}{Path(name).suffix}").symlink_to(name)
    return folder


class Browser:
    """One headless Chromium with one page, closed with `close` (or as a context manager)."""

    def __init__(self, packaged_fonts: bool = True) -> None:
        import websocket

        self.folder = Path(tempfile.mkdtemp(prefix="mmnpress-chromium-"))
        env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(self.folder, packaged_fonts))}
        self.process = subprocess.Popen(
            [chromium_path(), *FLAGS, f"--user-data-dir={self.folder / 'profile'}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        port = self._port()
        self.ids = itertools.count(1)
        targets = self._get_json(port, "/json/list")
        page = next(t for t in targets if t.get("type") == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.send("Page.enable")
        self.send("Runtime.enable")

    def _port(self) -> int:
        marker = self.folder / "profile" / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if marker.is_file() and (text := marker.read_text().split()):
                return int(text[0])
            if self.process.poll() is not None:
                raise RuntimeError("Chromium exited at start")
            time.sleep(0.05)
        raise RuntimeError("Chromium did not open its DevTools port within 30 s")

    @staticmethod
    def _get_json(port: int, path: str):
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
            return json.load(answer)

    def send(self, method: str, **params):
        """Call a DevTools method and return its result (events met on the way are dropped)."""
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def open(self, url: str, width: int = 1280, height: int = 900) -> None:
        """Load `url` at a window `width` pixels wide and wait until it has loaded."""
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=width < 600)
        self.send("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'")

    def resize(self, width: int, height: int = 900) -> None:
        """Lay the loaded page out again at another width."""
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=width < 600)

    def evaluate(self, expression: str, awaited: bool = False):
        """Return the value of a JavaScript expression in the page."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=awaited)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, condition: str, seconds: float = 10) -> float:
        """Wait until a JavaScript condition holds; return how long it took."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            try:
                if self.evaluate(f"!!({condition})"):
                    return time.monotonic() - started
            except RuntimeError:
                pass  # the page is between documents
            time.sleep(0.02)
        raise AssertionError(f"not within {seconds} s: {condition}")

    def screenshot(self, path: Path) -> None:
        """Save a PNG of the whole page."""
        height = self.evaluate("document.documentElement.scrollHeight")
        width = self.evaluate("document.documentElement.clientWidth")
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1})["data"]
        path.write_bytes(base64.b64decode(data))

    def axe(self) -> list[dict]:
        """Run axe-core in the page; return its violations."""
        self.evaluate(AXE.read_text(encoding="utf-8"))
        found = self.evaluate("axe.run(document).then(r => r.violations.map("
                              "v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))})))", awaited=True)
        return found

    def close(self) -> None:
        """Stop Chromium and remove its profile."""
        try:
            self.socket.close()
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
