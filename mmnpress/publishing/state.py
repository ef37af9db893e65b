"""Remember what was published where: one small JSON file per statement and site, committed with the project.

`.mmnpress/published/<stem>.<site>.json` holds the post's id, address and
status, the media ids, and hashes of what was sent, so publishing again
updates the same post, uploads only changed files, sends nothing when
nothing changed, and notices a post edited in WordPress since.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import MmnpressError, display_path
from ..files import write_atomically

FOLDER = Path(".mmnpress") / "published"


@dataclass
class Media:
    """One uploaded file: its attachment id, address and the hash of its bytes."""

    id: int
    url: str
    hash: str


@dataclass
class Published:
    """What the project last sent to one site for one statement."""

    site: str
    url: str
    post: int = 0
    link: str = ""
    status: str = ""
    date_gmt: str = ""
    modified_gmt: str = ""  # WordPress's time of the post's last change, as it answered our last write
    sent: str = ""  # hash of every field sent
    content: str = ""  # hash of the title, content and excerpt as WordPress stored them
    source: str = ""  # hash of the statement files
    site_lang: str = ""  # the site's language when the post was first sent ("en_US")
    media: dict[str, Media] = field(default_factory=dict)


def state_path(root: Path, stem: str, site: str) -> Path:
    """Return the file that records `stem`'s post on `site`."""
    return root / FOLDER / f"{stem}.{site}.json"


def read_state(root: Path, stem: str, site: str) -> Published | None:
    """Return the recorded state, or None when the statement was never published to `site`."""
    path = state_path(root, stem, site)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        media = {name: Media(**value) for name, value in data.pop("media", {}).items()}
        return Published(**data, media=media)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as error:
        raise MmnpressError(f"{display_path(path)}:1:1: cannot read what was published ({error}); "
                            "restore it from version control, or remove it to publish as a new post") from None


def write_state(root: Path, stem: str, state: Published) -> Path:
    """Write the state atomically and return its path."""
    path = state_path(root, stem, state.site)
    write_atomically(path, (json.dumps(asdict(state), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return path


def stored_hash(post: dict) -> str:
    """Return the hash of a post's title, content and excerpt as WordPress stores them (its `context=edit` answer)."""
    parts = [str((post.get(name) or {}).get("raw", "")) for name in ("title", "content", "excerpt")]
    return digest("\x00".join(parts).encode("utf-8"))


def digest(data: bytes) -> str:
    """Return the SHA-256 of `data` in hex."""
    return hashlib.sha256(data).hexdigest()
