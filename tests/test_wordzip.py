"""Word files are written byte for byte as python-docx writes them, the deflated parts reused or not."""

from __future__ import annotations

import io
import time

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
    wordzip._deflated.cache_clear()
    assert wordzip.package_bytes(document) == saved.getvalue()
    hits = wordzip._deflated.cache_info().hits
    assert wordzip.package_bytes(document) == saved.getvalue()
    assert wordzip._deflated.cache_info().hits > hits  # the fonts and styles were deflated once
