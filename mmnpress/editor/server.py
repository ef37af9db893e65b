"""The editor's HTTP server: the page, its static files and a JSON interface, on 127.0.0.1 only.

Every request passes `loopback.Guard` (the Host must be the bound address,
no other origin, the token of the printed address or its cookie); a write
(POST) must also carry its own page's Origin and a JSON body, so no form of
another site can post to it. The browser names statements by project-relative
paths, which `workspace.Workspace.path` confines to the project's statements.
Answers never hold a stack trace: a failure is one message.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..errors import MmnpressError
from ..loopback import Guard
from . import messages, render
from .workspace import Conflict, Refused, Workspace

HOST = "127.0.0.1"
STATIC = Path(__file__).with_name("static")
STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
SHOWN_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
# the statement's page is shown without its scripts, in a frame of the editor only
SHOWN_POLICY = {"html": "sandbox; default-src 'none'; style-src 'unsafe-inline' data:; font-src data:; img-src data:; frame-ancestors 'self'",
                "pdf": "frame-ancestors 'self'"}
KEPT_PREVIEWS = 4
MAX_BODY = 4 * 1024 * 1024
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; "
               "connect-src 'self'; frame-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


class Editor:
    """The editor of one project, served on 127.0.0.1:`port` (0: any free port) until `close`."""

    def __init__(self, root: Path, first: str | None = None, port: int = 0):
        self.workspace = Workspace(root)
        self.first = first
        self.shown: dict[str, tuple[str, bytes]] = {}  # the latest previews by number: (format, bytes)
        self.shown_count = 0
        handler = type("Handler", (_Handler,), {"editor": self})
        self.server = ThreadingHTTPServer((HOST, port), handler)
        self.server.daemon_threads = True
        self.guard = Guard(HOST, self.server.server_address[1])

    @property
    def url(self) -> str:
        """Return the address to open, with the token (and the statement to open first)."""
        return self.guard.url("/") + (f"#{self.first}" if self.first else "")

    def serve(self) -> None:
        """Answer requests until `close` is called, keeping one pandoc running for the previews."""
        from ..pipeline import pandocworker

        with pandocworker.kept():
            self.server.serve_forever(poll_interval=0.2)

    def start(self) -> threading.Thread:
        """Serve in a background thread (tests, benchmarks); return it."""
        thread = threading.Thread(target=self.serve, name="mmnpress-edit", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()

    # the JSON interface: each returns (status, answer)
    def api_get(self, route: str, query: dict[str, str]) -> tuple[int, object]:
        """Answer a GET of the interface."""
        if route == "schema":
            from ..schema_json import json_schema

            return 200, json_schema()
        if route == "statements":
            return 200, {"statements": self.workspace.listing(), "first": self.first or ""}
        if route == "messages":
            return 200, messages.interface(query.get("lang", "en"))
        if route == "open":
            return 200, self._opened(query.get("path", ""))
        if route == "shown":
            found = self.shown.get(query.get("id", ""))
            return (200, found) if found is not None else (404, {"error": "no such preview"})
        return 404, {"error": "not found"}

    def api_post(self, route: str, body: dict) -> tuple[int, object]:
        """Answer a POST of the interface."""
        if route == "preview":
            return 200, self._preview(body)
        if route == "save":
            return self._save(body)
        if route == "new":
            return 200, self._new(body)
        if route == "translate":
            return 200, self._translate(body)
        if route == "bibliography":
            path = self.workspace.path(body.get("path", ""))
            return 200, {"entries": render.bibliography(path, body.get("data") or {}, body.get("original"))}
        return 404, {"error": "not found"}

    def _opened(self, relative: str) -> dict:
        found = self.workspace.opened(relative)
        extends = found["data"].get("extends") if isinstance(found["data"], dict) else None
        if isinstance(extends, str) and extends:
            original = self.workspace.relative(self.workspace.path(self.workspace.relative(self.workspace.path(relative).parent / extends)))
            found["original"] = self.workspace.opened(original)
        return found

    def _preview(self, body: dict) -> dict:
        from .formdata import merged_text

        path, data = self.workspace.read(body.get("path", ""))
        text = merged_text(path, data.decode("utf-8"), body.get("data"))
        fmt = "pdf" if body.get("format") == "pdf" else "html"
        shown = render.preview(path, text, fmt)
        answer = {"findings": shown["findings"]}
        if shown["body"] is not None:
            self.shown_count += 1
            key = str(self.shown_count)
            self.shown = {**{k: v for k, v in self.shown.items() if int(k) > self.shown_count - KEPT_PREVIEWS}, key: (fmt, shown["body"])}
            answer["url"] = f"/api/shown?id={key}"
        return answer

    def _save(self, body: dict) -> tuple[int, dict]:
        outcome = self.workspace.save(body.get("path", ""), body.get("data"), str(body.get("version", "")))
        if isinstance(outcome, Conflict):
            return 409, {"conflict": True, "version": outcome.version, "text": outcome.text, "data": outcome.data,
                         "difference": outcome.difference}
        return 200, {"version": outcome}

    def _new(self, body: dict) -> dict:
        from ..schema import KINDS
        from ..skeleton import create

        kind = body.get("kind")
        if kind not in KINDS:
            raise MmnpressError(f"kind must be one of {', '.join(KINDS)}")
        path = create(kind, str(body.get("slug", "")), str(body.get("lang") or "en"), where=self.workspace.root)
        return {"path": self.workspace.relative(path)}

    def _translate(self, body: dict) -> dict:
        from .translation import start_translation

        original = self.workspace.path(body.get("path", ""))
        return {"path": self.workspace.relative(start_translation(original, str(body.get("lang", ""))))}


class _Handler(BaseHTTPRequestHandler):
    """Route requests to the page, its static files and the interface, after the guard."""

    editor: Editor
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if not self._admitted():
            return
        parts = urlsplit(self.path)
        if parts.path in ("/", "/index.html"):
            self._static("editor.html")
        elif parts.path.startswith("/static/"):
            self._static(parts.path[len("/static/"):])
        elif parts.path.startswith("/api/"):
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            self._answer(lambda: self.editor.api_get(parts.path[len("/api/"):], query))
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        if not self._admitted():
            return
        if self.headers.get("Origin", "").lower() not in self.editor.guard.origins() \
                or self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            self._send(403, "text/plain; charset=utf-8", b"forbidden\n")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, "text/plain; charset=utf-8", b"too large\n")
            return
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._json(400, {"error": "the request is not JSON"})
            return
        route = urlsplit(self.path).path
        if not route.startswith("/api/") or not isinstance(body, dict):
            self._send(404, "text/plain; charset=utf-8", b"not found\n")
            return
        self._answer(lambda: self.editor.api_post(route[len("/api/"):], body))

    def do_HEAD(self) -> None:  # noqa: N802 - the name http.server calls
        """Refuse every other method (no CORS preflight is ever answered)."""
        self._send(403, "text/plain; charset=utf-8", b"forbidden\n")

    do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_HEAD

    def _admitted(self) -> bool:
        verdict = self.editor.guard.judge(self.path, self.headers)
        if verdict.action == "refuse":
            self._send(403, "text/plain; charset=utf-8", b"forbidden\n")
            return False
        if verdict.action == "redirect":
            self._send(303, "text/plain; charset=utf-8", b"", {"Location": verdict.location, "Set-Cookie": verdict.cookie})
            return False
        return True

    def _answer(self, work) -> None:
        try:
            status, answer = work()
        except Refused as error:
            status, answer = 403, {"error": str(error)}
        except MmnpressError as error:
            status, answer = 422, {"error": "\n".join(error.lines())}
        except Exception as error:  # noqa: BLE001 - the page shows one line, never a stack trace
            status, answer = 500, {"error": f"mmnpress edit: {type(error).__name__}: {error}"}
        if isinstance(answer, tuple):
            fmt, body = answer
            self._send(status, SHOWN_TYPES[fmt], body, {"X-Frame-Options": "SAMEORIGIN", "Content-Security-Policy": SHOWN_POLICY[fmt]})
        else:
            self._json(status, answer)

    def _json(self, status: int, answer: object) -> None:
        self._send(status, "application/json; charset=utf-8", json.dumps(answer, ensure_ascii=False).encode("utf-8"))

    def _static(self, name: str) -> None:
        """Serve one file of static/ by its plain name (no folder, no listing)."""
        path = STATIC / name
        if "/" in name or "\\" in name or name.startswith(".") or path.suffix not in STATIC_TYPES or not path.is_file():
            self._send(404, "text/plain; charset=utf-8", b"not found\n")
            return
        self._send(200, STATIC_TYPES[path.suffix], path.read_bytes(), {"Content-Security-Policy": PAGE_POLICY})

    def _send(self, status: int, kind: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Type": kind, "Content-Length": str(len(body)), "Cache-Control": "no-store",
                   "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                   "Content-Security-Policy": "frame-ancestors 'none'", **(extra or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the signature http.server calls
        """Say nothing per request."""
