"""Word files are written byte for byte as python-docx writes them, the deflated parts reused or not."""

from __future__ import annotations

import io
import os
import time
import zlib

import docx
import pytest
from conftest import SEED

from mmnpress.build import Request, build
from mmnpress.render import wordzip


@pytest.mark.parametrize("name", [SEED, SEED.replace(".yaml", ".th.yaml")])
def test_a_word_file_is_written_as_python_docx_writes_it(project, monkeypatch, name):
    built = build(Request(project / name, ("docx",), project / "out")).outputs[0]
    monkeypatch.setattr(time, "time", lambda: 1_600_000_000.0)  # the time each zip entry carries
    document = docx.Document(str(built))
    saved = io.BytesIO()
    document.save(saved)
    wordzip._REMEMBERED.clear()
    assert wordzip.package_bytes(document) == saved.getvalue()
    hits = wordzip._REMEMBERED.hits
    assert wordzip.package_bytes(document) == saved.getvalue()
    assert wordzip._REMEMBERED.hits > hits  # the fonts and styles were deflated once


def test_the_parts_remembered_stay_within_their_bound(monkeypatch):
    """A long-running command deflates a new document part at every edit; what is kept stays bounded."""
    monkeypatch.setattr(wordzip, "REMEMBERED_BYTES", 1024 * 1024)
    remembered = wordzip._Remembered()
    monkeypatch.setattr(wordzip, "_REMEMBERED", remembered)
    parts = [os.urandom(100 * 1024) for _ in range(30)]  # incompressible: 200 KB kept for each
    for part in parts:
        assert zlib.decompress(wordzip._deflated(part), -15) == part
    assert remembered.size <= 1024 * 1024
    assert remembered.size == sum(len(b) + len(d) for b, d in remembered.entries.items())
    assert parts[-1] in remembered.entries and parts[0] not in remembered.entries  # the oldest went first
    assert wordzip._deflated(parts[-1]) is remembered.entries[parts[-1]]
