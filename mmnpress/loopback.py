"""Decide whether a request to a server on the loopback comes from its own user's browser.

A server on 127.0.0.1 is reachable by every web page the user opens: a page
can send requests to it, and by DNS rebinding (a name of the attacker's that
answers 127.0.0.1) read the answers. `Guard` refuses what is not its own:

- the Host header must name the loopback address and port the server bound
  (127.0.0.1:PORT or localhost:PORT; [::1]:PORT when bound to ::1), so a
  rebound name is refused;
- a request that says it comes from another origin (Origin, Sec-Fetch-Site)
  is refused, and no CORS header is ever sent;
- every request must carry the secret token, as Jupyter does: the address
  printed and opened carries `?token=...`; its first use sets an HttpOnly,
  SameSite=Strict cookie and redirects to the address without the token.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, urlencode, urlsplit

LOOPBACK_NAMES = {"127.0.0.1": ("127.0.0.1", "localhost"), "::1": ("[::1]", "localhost")}
SAME_ORIGIN_FETCH = ("same-origin", "none")  # "none": typed in the address bar, opened from a bookmark or another program


@dataclass(frozen=True)
class Verdict:
    """What to do with one request: serve it, refuse it (403), or set the cookie and redirect (303) to `location`."""

    action: str  # "serve", "refuse" or "redirect"
    location: str = ""
    cookie: str = ""


@dataclass
class Guard:
    """The checks of one server bound to `host`:`port`, with its own random token."""

    host: str
    port: int
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def cookie_name(self) -> str:
        """Return the cookie's name; cookies do not tell ports apart, so two servers need two names."""
        return f"mmnpress-token-{self.port}"

    def hosts(self) -> set[str]:
        """Return the Host header values this server answers."""
        return {f"{name}:{self.port}" for name in LOOPBACK_NAMES.get(self.host, (self.host,))}

    def origins(self) -> set[str]:
        """Return the origins of this server's own pages."""
        return {f"http://{host}" for host in self.hosts()}

    def url(self, path: str = "/") -> str:
        """Return the address to open: the bound address with the token."""
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.port}{path}?{urlencode({'token': self.token})}"

    def judge(self, path: str, headers) -> Verdict:
        """Return what to do with a request for `path` (with its query) carrying `headers`."""
        if headers.get("Host", "").lower() not in self.hosts() or not self._same_origin(headers):
            return Verdict("refuse")
        given = parse_qs(urlsplit(path).query).get("token", [])
        if given and self._matches(given[0]):
            return self._welcome(path)
        if self._matches(self._cookie(headers)):
            return Verdict("serve")
        return Verdict("refuse")

    def _same_origin(self, headers) -> bool:
        origin = headers.get("Origin")
        if origin is not None and origin.lower() not in self.origins():
            return False
        site = headers.get("Sec-Fetch-Site")
        return site is None or site.lower() in SAME_ORIGIN_FETCH

    def _matches(self, candidate: str) -> bool:
        return hmac.compare_digest(candidate.encode("utf-8", "replace"), self.token.encode("ascii"))

    def _cookie(self, headers) -> str:
        jar = SimpleCookie()
        for value in headers.get_all("Cookie") or []:
            try:
                jar.load(value)
            except CookieError:
                continue
        morsel = jar.get(self.cookie_name)
        return morsel.value if morsel is not None else ""

    def _welcome(self, path: str) -> Verdict:
        """Set the cookie and send the browser to the same address without the token (kept out of history and Referer)."""
        parts = urlsplit(path)
        query = [(k, v) for k, values in parse_qs(parts.query).items() if k != "token" for v in values]
        location = "/" + parts.path.lstrip("/") + (f"?{urlencode(query)}" if query else "")  # never //elsewhere
        cookie = f"{self.cookie_name}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        return Verdict("redirect", location, cookie)
