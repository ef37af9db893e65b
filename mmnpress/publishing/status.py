"""Report what is published: each statement's post as WordPress holds it now, and what needs attention.

WordPress publishes a scheduled post only when WP-Cron runs, and WP-Cron runs
only when someone visits the site; a post still `future` after its date has
missed its schedule, and the report says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from ..errors import display_path
from ..pipeline.project import find_root
from ..pipeline.translations import merged_tree, source_hash
from .config import Site
from .publish import was_edited
from .state import read_state
from .wordpress import Client, PublishError


def report(paths: list[Path], site: Site, password: Callable[[], str], say: Callable[[str], None], timeout: float = 30.0,
           now: dt.datetime | None = None) -> int:
    """Print one line per statement and one per warning; return the number of warnings."""
    now = now or dt.datetime.now(dt.UTC)
    warnings = 0
    client: Client | None = None
    try:
        for path in paths:
            root = find_root(path)
            state = read_state(root, path.stem, site.name)
            shown = display_path(path)
            if state is None or not state.post:
                say(f"{shown}: not published to {site.name}")
                continue
            client = client or Client(site.url, site.user, password(), timeout)
            lines = _post_lines(client, state, now)
            _, sources = merged_tree(path.resolve(), root, ())
            if source_hash(sources) != state.source:
                lines.append("warning: the statement changed since it was last published; `mmnpress publish wordpress` sends the changes")
            say(f"{shown}: {lines[0]}")
            for line in lines[1:]:
                say(f"  {line}")
            warnings += sum(line.startswith("warning:") for line in lines)
    finally:
        if client is not None:
            client.close()
    return warnings


def _post_lines(client: Client, state, now: dt.datetime) -> list[str]:
    """Return the post's status line and its warnings."""
    try:
        post = client.get(f"/wp/v2/posts/{state.post}", context="edit")
    except PublishError as error:
        if error.status in (404, 410):
            return [f"post {state.post} is no longer on {state.site}", "warning: the recorded post was deleted in WordPress"]
        raise
    status = post.get("status", "")
    lines = [f"{status} post {post['id']} on {state.site}: {post.get('link', '')}"]
    due = _moment(post.get("date_gmt"))
    if status == "future" and due:
        if due <= now:
            lines.append(f"warning: missed its schedule: due {post['date_gmt']} UTC and still not published; WordPress publishes "
                         f"scheduled posts only when WP-Cron runs, on a visit to the site: open {state.url}/wp-cron.php "
                         "or publish it from the editor")
        else:
            lines.append(f"scheduled for {post['date_gmt']} UTC")
    if was_edited(post, state):
        lines.append(f"warning: edited in WordPress at {post.get('modified_gmt')} UTC since it was last published from here; "
                     "publishing again refuses to overwrite that without --force")
    return lines


def _moment(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
