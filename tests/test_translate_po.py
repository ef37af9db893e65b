"""translate export/import through PO, filled the way Poedit does it (polib), checked by msgfmt -c."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from translate_helpers import SEED, WORDS, assert_round_trip, seeded


def exported(cli, project: Path, lang: str, statement: Path = SEED) -> Path:
    out = project / f"out.{lang}.po"
    result = cli("translate", "export", str(statement), "--lang", lang, "--format", "po", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def filled(path: Path, word: str | None, change=lambda entry: None) -> None:
    """Fill every msgstr with `word` and the msgid through polib, confirm it (no fuzzy), let `change` edit it; save."""
    po = polib.pofile(str(path), wrapwidth=0)
    for entry in po:
        entry.msgstr = (word or "") + entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        change(entry)
    po.save(str(path))


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_msgfmt_accepts_the_export_and_the_translated_file(project, cli, tmp_path):
    seeded(project)
    path = exported(cli, project, "th")
    subprocess.run(["msgfmt", "-c", "-o", str(tmp_path / "x.mo"), str(path)], check=True)
    filled(path, WORDS["th"])
    subprocess.run(["msgfmt", "-c", "-o", str(tmp_path / "x.mo"), str(path)], check=True)


def test_entries_carry_the_path_the_placeholders_and_their_explanation(project, cli):
    seeded(project)
    po = polib.pofile(str(exported(cli, project, "th")))
    entry = next(e for e in po if e.msgctxt == "body.6")
    assert entry.msgid.startswith("See the {1}Consensus{/1} at {2}the ASEAN {3}site{/3}{/2} and our {4}earlier{/4} note.{5}")
    assert "{5} note mark [^tf-amw]" in entry.comment and "{2} link to https://asean.org/consensus" in entry.comment
    assert "{7} citation [@tfamw2009, 12]" in entry.comment
    assert po.metadata["Language"] == "th"


@pytest.mark.parametrize("lang", ["th", "my"])
def test_a_round_trip_carries_every_footnote_citation_and_link(project, cli, lang):
    assert_round_trip(project, cli, lang, exported, filled)


def test_a_changed_paragraph_is_fuzzy_with_its_previous_source_in_the_next_export(project, cli):
    seed = seeded(project)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    commit = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "x"]
    path = exported(cli, project, "th")
    filled(path, WORDS["th"])
    assert cli("translate", "import", str(path)).exit_code == 0
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    subprocess.run(commit, cwd=project, check=True)
    seed.write_text(seed.read_text(encoding="utf-8").replace("countless CSO and government", "many CSO and government"), encoding="utf-8")
    po = polib.pofile(str(exported(cli, project, "th")))
    changed = next(e for e in po if e.msgctxt == "body.3")
    assert "fuzzy" in changed.flags and "countless CSO" in changed.previous_msgid and changed.msgstr.startswith(WORDS["th"])
    kept = next(e for e in po if e.msgctxt == "body.4")
    assert "fuzzy" not in kept.flags and kept.msgstr == WORDS["th"] + kept.msgid
