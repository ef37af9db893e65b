"""Talk to a WordPress site's REST API with an Application Password.

The API's root is found the way WordPress announces it, in the
`Link: <...>; rel="https://api.w.org/"` header of the site's pages, so sites
with and without pretty permalinks (`/wp-json/` or `?rest_route=`) both
work. Every failure becomes one `PublishError` line: the site, what was
asked, and WordPress's own reason; the password is sent only as HTTP Basic
authentication and never appears in any message.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape

import httpx

from ..errors import MmnpressError

API_REL = "https://api.w.org/"
TIMEOUT = 30.0
USER_AGENT = "mmnpress"


class PublishError(MmnpressError):
    """Raise when a site refuses or fails a request; the message is one line, `status` the HTTP status (0: no answer)."""

    def __init__(self, message: str, status: int = 0):
        super().__init__(message)
        self.status = status


@dataclass
class Answer:
    """A decoded JSON answer and the headers that came with it."""

    data: object
    headers: httpx.Headers


class Client:
    """A REST client of one WordPress site, logged in as one user."""

    def __init__(self, url: str, user: str, password: str, timeout: float = TIMEOUT, transport: httpx.BaseTransport | None = None):
        self.url, self.user, self.timeout = url.rstrip("/"), user, timeout
        self._http = httpx.Client(auth=httpx.BasicAuth(user, password), timeout=timeout, follow_redirects=True,
                                  headers={"User-Agent": USER_AGENT, "Accept": "application/json"}, transport=transport)
        self._root: str | None = None

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def root(self) -> str:
        """Return the REST API's root, read from the `Link` header of the site's front page."""
        if self._root is None:
            answer = self._send("GET", self.url + "/", what="open the site", auth=False)
            link = answer.links.get(API_REL, {}).get("url")
            if not link:
                raise PublishError(f"{self.url} is not a WordPress site: its page has no link to the WordPress REST API "
                                   f'(Link: ...; rel="{API_REL}")')
            self._root = link
        return self._root

    def get(self, route: str, **params) -> object:
        """GET a route (`/wp/v2/posts/12`) and return the decoded JSON."""
        return self.request("GET", route, params=params).data

    def post(self, route: str, data: dict, **params) -> object:
        """POST JSON to a route and return the decoded answer."""
        return self.request("POST", route, params=params, json=data).data

    def delete(self, route: str, **params) -> object:
        """DELETE a route (`force=true` deletes for good) and return the decoded answer."""
        return self.request("DELETE", route, params=params).data

    def upload(self, filename: str, data: bytes, media_type: str) -> dict:
        """Upload a file to the media library and return its attachment."""
        headers = {"Content-Type": media_type, "Content-Disposition": _disposition(filename)}
        return self.request("POST", "/wp/v2/media", content=data, headers=headers, what=f"upload {filename}").data

    def request(self, method: str, route: str, params: dict | None = None, what: str = "", **options) -> Answer:
        """Send a request to a REST route; raise `PublishError` with WordPress's reason when it fails."""
        url, query = self._endpoint(route)
        query.update({k: _param(v) for k, v in (params or {}).items()})
        answer = self._send(method, url, params=query, what=what or f"{method} {route}", **options)
        try:
            data = answer.json()
        except ValueError:
            raise PublishError(f"{self.url} answered {method} {route} with something other than JSON "
                               "(a security plugin or a proxy in the way?)") from None
        return Answer(data, answer.headers)

    def _endpoint(self, route: str) -> tuple[str, dict]:
        """Return the address of `route` and the query it needs: /wp-json/<route>, or ?rest_route=<route>."""
        root = self.root()
        if "rest_route=" in root:
            base = root.split("?", 1)[0]
            return base, {"rest_route": route}
        return root.rstrip("/") + route, {}

    def _send(self, method: str, url: str, what: str, auth: bool = True, **options) -> httpx.Response:
        if not auth:
            options["auth"] = None
        try:
            answer = self._http.request(method, url, **options)
        except httpx.TimeoutException:
            raise PublishError(f"{self.url} did not answer within {self.timeout:g} s (while trying to {what})") from None
        except httpx.HTTPError as error:
            raise PublishError(f"cannot reach {self.url}: {_reason(error)} (while trying to {what})") from None
        if answer.status_code >= 400:
            raise PublishError(self._refusal(answer, what), answer.status_code)
        return answer

    def _refusal(self, answer: httpx.Response, what: str) -> str:
        """Return the one line that says why WordPress refused."""
        code, message = _wordpress_error(answer)
        status = f"{answer.status_code} {answer.reason_phrase}".strip()
        if answer.status_code == 401 or code in ("incorrect_password", "invalid_username", "rest_not_logged_in"):
            return (f"{self.url} refused the Application Password of user '{self.user}' ({message or status}); "
                    "check the password and that it belongs to this user")
        if answer.status_code == 403:
            return f"{self.url}: user '{self.user}' may not {what} ({message or status})"
        if answer.status_code >= 500:
            return f"{self.url} failed with {status} while trying to {what}{f' ({message})' if message else ''}; try again later"
        return f"{self.url} refused to {what}: {message or status}"


def _wordpress_error(answer: httpx.Response) -> tuple[str, str]:
    """Return WordPress's error code and message, tags and entities removed."""
    try:
        data = answer.json()
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    message = unescape(re.sub(r"<[^>]+>", "", str(data.get("message", "")))).strip()
    return str(data.get("code", "")), " ".join(message.split())


def _reason(error: httpx.HTTPError) -> str:
    text = str(error) or type(error).__name__
    return text.splitlines()[0]


def _param(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def _disposition(filename: str) -> str:
    """Return a Content-Disposition naming `filename` (ASCII, as WordPress reads it) for an upload."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "-", filename) or "file"
    return f'attachment; filename="{ascii_name}"'


def json_text(data: object) -> str:
    """Return `data` as compact JSON with sorted keys, for hashing what is sent."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
