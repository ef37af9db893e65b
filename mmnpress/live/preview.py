"""Serve a statement's web page on this computer and reload it on every save.

The watcher of `watch.py` rebuilds the page into a private folder whenever
the statement, a file it extends, its bibliography or the templates change;
this module serves the last good page, or the located problems of a broken
save, on 127.0.0.1 with the standard library's threaded HTTP server. The
page learns of a new build through server-sent events (`/events`) and
reloads itself. Only its own user's browser is answered (loopback.py: the
Host must be the bound address, no other origin, and the secret token of the
printed address, kept afterwards in a cookie); nothing else is served.
"""

from __future__ import annotations

import html
import shutil
import tempfile
import threading
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..build import Request
from ..loopback import Guard
from .watch import Watcher

HOST = "127.0.0.1"
POLL_SECONDS = 0.1
HEARTBEAT_SECONDS = 15
RELOADER = """<script>
(function () {
  var source = new EventSource("/events?since=%d");
  source.onmessage = function () { source.close(); location.reload(); };
}());
</script>
"""


@dataclass
class Page:
    """What the server shows: the last good page or the problems of the last build, numbered by build."""

    body: bytes = b""
    problems: list[str] = field(default_factory=list)
    version: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)
    closed: bool = False

    def show(self, body: bytes | None, problems: list[str]) -> None:
        """Replace what is shown (a page, or problems over the last page) and wake the waiting browsers."""
        with self.changed:
            if body is not None:
                self.body = body
            self.problems = problems
            self.version += 1
            self.changed.notify_all()

    def wait_past(self, version: int, seconds: float) -> int:
        """Wait until the page is newer than `version` (or `seconds` pass, or the server stops); return its version."""
        with self.changed:
            self.changed.wait_for(lambda: self.version > version or self.closed, timeout=seconds)
            return self.version

    def close(self) -> None:
        """Release every browser waiting for a change."""
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def document(self) -> bytes:
        """Return the HTML to serve, with the script that reloads it after the next build."""
        with self.changed:
            body, problems, version = self.body, list(self.problems), self.version
        page = problems_page(problems) if problems or not body else body.decode("utf-8")
        cut = page.rfind("</body>")
        cut = cut if cut >= 0 else len(page)
        return (page[:cut] + RELOADER % version + page[cut:]).encode("utf-8")


def problems_page(problems: list[str]) -> str:
    """Return a page listing build problems, one FILE:LINE:COLUMN line each."""
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in problems) or "<li>building…</li>"
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>mmnpress preview: the statement does not build</title>
<style>body {{ font-family: sans-serif; margin: 2rem; line-height: 1.5; }} code {{ white-space: pre-wrap; }}
li {{ margin-bottom: 0.5rem; color: #8b0000; }}</style></head>
<body><main>
<h1>The statement does not build</h1>
<p>Fix these and save again; this page reloads by itself.</p>
<ul class="problems">
{items}
</ul>
</main></body>
</html>
"""


class _Handler(BaseHTTPRequestHandler):
    """Answer / with the page and /events with a stream that says when it changed."""

    page: Page  # set on the subclass made for each server
    guard: Guard  # likewise
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        verdict = self.guard.judge(self.path, self.headers)
        if verdict.action == "refuse":
            self._send(403, "text/plain; charset=utf-8", b"forbidden\n")
            return
        if verdict.action == "redirect":
            self._send(303, "text/plain; charset=utf-8", b"", {"Location": verdict.location, "Set-Cookie": verdict.cookie})
            return
        path = self.path.split("?", 1)[0]
        if path == "/events":
            self._events()
        elif path in ("/", "/index.html"):
            self._send(200, "text/html; charset=utf-8", self.page.document())
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def do_HEAD(self) -> None:  # noqa: N802 - the name http.server calls
        """Refuse every method but GET (no CORS preflight is ever answered)."""
        self._send(403, "text/plain; charset=utf-8", b"forbidden\n")

    do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_HEAD

    def _send(self, status: int, kind: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self._private_headers()
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        since = _since(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self._private_headers()
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            while not self.page.closed:
                version = self.page.wait_past(since, HEARTBEAT_SECONDS)
                if version > since:
                    self.wfile.write(f"data: {version}\n\n".encode("ascii"))
                    self.wfile.flush()
                    return
                self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _private_headers(self) -> None:
        """Keep the answer out of caches, frames of other sites and Referer headers."""
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
        self.send_header("X-Content-Type-Options", "nosniff")

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the signature http.server calls
        """Say nothing per request: the terminal shows builds, not page loads."""


def _since(path: str) -> int:
    from urllib.parse import parse_qs, urlsplit

    values = parse_qs(urlsplit(path).query).get("since", ["0"])
    return int(values[0]) if values[0].isdigit() else 0


class _PreviewWatcher(Watcher):
    """The watcher, showing each build's page or problems in the preview."""

    def __init__(self, request: Request, page: Page, echo, error):
        super().__init__([request], echo, error)
        self.page = page

    def build(self, request: Request):
        outcome = super().build(request)
        if outcome.status == "built" or (outcome.status == "fresh" and self.page.problems):
            # "fresh": a broken save was undone, so the last good page is current again
            self.page.show(outcome.outputs[0].read_bytes(), [])
        elif outcome.status == "failed":
            self.page.show(None, list(outcome.lines))
        return outcome


class Preview:
    """A page server on 127.0.0.1 and a watcher rebuilding the page; `serve` runs both until stopped."""

    def __init__(self, request: Request, port: int = 0, echo=print, error=print):
        self.folder = Path(tempfile.mkdtemp(prefix="mmnpress-preview-"))
        self.request = replace(request, formats=("html",), out_dir=self.folder)
        self.page = Page()
        handler = type("Handler", (_Handler,), {"page": self.page})
        self.server = ThreadingHTTPServer((HOST, port), handler)
        self.server.daemon_threads = True
        handler.guard = self.guard = Guard(HOST, self.server.server_address[1])
        self.watcher = _PreviewWatcher(self.request, self.page, echo, error)
        self.stop = threading.Event()

    @property
    def url(self) -> str:
        """Return the address of the page, with the token that lets a browser in."""
        return self.guard.url()

    def serve(self) -> None:
        """Serve and watch until `close` is called (or Ctrl-C reaches the caller)."""
        watching = threading.Thread(target=self.watcher.run, kwargs={"interval": POLL_SECONDS, "stop": self.stop},
                                    name="mmnpress-preview-watch", daemon=True)
        watching.start()
        try:
            self.server.serve_forever(poll_interval=0.2)
        finally:
            self.stop.set()
            self.page.close()
            watching.join(timeout=10)

    def close(self) -> None:
        """Stop serving (from another thread) and remove the private build folder."""
        self.stop.set()
        self.page.close()
        self.server.shutdown()

    def remove(self) -> None:
        """Close the socket and delete the build folder."""
        self.server.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)
