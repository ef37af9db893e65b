"""Tell which statements are as the last site run left them, without reading them through the pipeline again.

Checking that a statement's outputs are up to date means resolving it
(profile, extends chain, bibliography, character checks) and hashing what it
reads: a few hundredths of a second a statement, every run. So the site
records, per statement, the stamps of what its build read (`cache.stamps`:
the files, and the folders they lie in, so a translation or a bibliography
added beside them counts), of the files it wrote, the tool's fingerprint
and whether the embargo was over. A statement whose record still holds is
taken as it is; any difference sends it through the build cache as before.

The record lives in the site's manifest, which anyone who can write the
build folder can edit: the files a record names are only stamped, never
copied, and the outputs are the ones the statement's build writes.
"""

from __future__ import annotations

from pathlib import Path

from ..pipeline.cache import stamp


def record(read: dict[str, list], outputs: list[Path], embargo_over: bool | None) -> dict:
    """Return the record of one statement's build: the stamps of what it read (`read`) and of its `outputs`."""
    from ..installation import fingerprint

    return {"tool": fingerprint(), "embargo_over": embargo_over, "read": read, "wrote": [written(path) for path in outputs]}


def unchanged(earlier: object, outputs: list[Path], embargo_over: bool | None) -> bool:
    """Tell whether the record `earlier` still holds: same tool and embargo, nothing it read changed, `outputs` as written."""
    from ..installation import fingerprint

    if not isinstance(earlier, dict) or earlier.get("tool") != fingerprint() or earlier.get("embargo_over") != embargo_over:
        return False
    read, wrote = earlier.get("read"), earlier.get("wrote")
    now = [written(path) for path in outputs]
    if not isinstance(read, dict) or not read or not all(now) or wrote != now:
        return False
    return all(isinstance(recorded, list) and recorded and stamp(Path(name)) == recorded for name, recorded in read.items())


def written(output: Path) -> list:
    """Return the stamp of an output file: its size, time and inode (every build writes a new file, so a new inode)."""
    return stamp(output, hashed=False)
