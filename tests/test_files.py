"""Writing files: a stop (Ctrl-C, SIGTERM) at any moment leaves the old file or the new one, and no stray file."""

from __future__ import annotations

import os
import signal
import tempfile

import pytest

from mmnpress import files


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("write", ["write_atomically", "replace_together"])
def test_a_stop_right_after_the_temporary_file_is_made_leaves_nothing_behind(tmp_path, monkeypatch, stop, write):
    target = tmp_path / "statement.yaml"
    target.write_bytes(b"old")
    real = tempfile.mkstemp

    def made_then_stopped(*args, **kwargs):
        made = real(*args, **kwargs)
        os.kill(os.getpid(), stop)  # Python raises at its next step: before the name was noted, it was lost
        return made

    monkeypatch.setattr(tempfile, "mkstemp", made_then_stopped)
    previous = signal.signal(signal.SIGTERM, _as_the_command_does)
    try:
        with pytest.raises(KeyboardInterrupt):
            if write == "write_atomically":
                files.write_atomically(target, b"new")
            else:
                files.replace_together({target: b"new"})
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["statement.yaml"]


def _as_the_command_does(signum, frame) -> None:
    raise KeyboardInterrupt  # mmnpress.entry turns SIGTERM into this
