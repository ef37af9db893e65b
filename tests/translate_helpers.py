"""Shared by the translation tests: a statement with every kind of code, and what a built translation carries."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx_reader import footnotes

SEED = Path("statements/2017-11-22-asean-consensus.yaml")
# Appended to the seed's body: a link with emphasis inside, a named note, an inline note citing a source, strong text.
EXTRA = '''
  - >-
    See the *Consensus* at [the ASEAN *site*](https://asean.org/consensus) and
    our **earlier** note.[^tf-amw] The Task Force met in 2009.^[Its report
    is cited here.[@tfamw2009, 12]]
notes:
  tf-amw: The Task Force was formed in 2008.
'''
WORDS = {"th": "แปลแล้ว ", "my": "ဘာသာပြန် "}


def seeded(project: Path) -> Path:
    """Add a paragraph with a link, notes and emphasis to the seed in `project`, drop its hand-made translations; return it."""
    seed = project / SEED
    text = seed.read_text(encoding="utf-8")
    text = text.replace("\nrecommendations:", EXTRA.rstrip("\n").split("\nnotes:")[0] + "\n\nrecommendations:", 1)
    text += "\n" + "notes:" + EXTRA.split("\nnotes:")[1]
    seed.write_text(text, encoding="utf-8")
    for translation in project.glob("statements/2017-11-22-asean-consensus.*.yaml"):
        translation.unlink()
    return seed


def built_docx(project: Path, cli, statement: Path) -> Path:
    """Build `statement` to Word and return the file."""
    result = cli("build", str(statement), "--to", "docx", "-o", str(project / "out"), "--force")
    assert result.exit_code == 0, result.output
    return project / "out" / (statement.stem + ".docx")


def carried(docx: Path) -> tuple[list[str], list[str]]:
    """Return the footnotes (numbers and citation texts, translation prefixes taken out) and link targets of a built Word file."""
    notes = [note for note in footnotes(docx)]
    with zipfile.ZipFile(docx) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    links = sorted(re.findall(r'Target="(https?://[^"]+)"[^>]*TargetMode="External"', rels))
    return notes, links


def assert_same_notes(notes: list[str], original: list[str], lang: str) -> None:
    """Assert that a translation's footnotes are the original's: Ibid. at the same places, the same pages and years,
    the named and inline notes translated (the citation style's punctuation may follow the language)."""
    # Ibid. (its word in the language: เรื่องเดียวกัน in Thai) where the original has it: the source is not repeated
    assert ["Ibid" in n for n in original] == [False, True, False, False, False]
    assert ["Proposal" not in n and "Ibid" not in n or lang == "en" for n in notes[1:2]] == [True]
    assert [re.findall(r"\d+", n) for n in notes] == [re.findall(r"\d+", n) for n in original]
    assert notes[2] == WORDS[lang] + original[2]
    assert notes[3].startswith("Its report is cited here.") and "12" in notes[3]  # the inline note, its citation inside


def without_words(text: str) -> str:
    """Return `text` without the words the tests put before each translated text."""
    for word in WORDS.values():
        text = text.replace(word, "")
    return text


def assert_round_trip(project: Path, cli, lang: str, exported, filled) -> Path:
    """Export the seed for `lang` (`exported(cli, project, lang)`), fill it (`filled(path, words)`) and import it;
    assert the built translation carries every footnote, citation (Ibid. right) and link of the original; return it."""
    seed = seeded(project)
    original_notes, original_links = carried(built_docx(project, cli, seed))
    path = exported(cli, project, lang)
    filled(path, WORDS[lang])
    result = cli("translate", "import", str(path))
    assert result.exit_code == 0, result.output
    translation = seed.with_name(f"{seed.stem}.{lang}.yaml")
    assert "extends: 2017-11-22-asean-consensus.yaml" in translation.read_text(encoding="utf-8")
    notes, links = carried(built_docx(project, cli, translation))
    assert links == original_links and "https://asean.org/consensus" in links
    assert len(notes) == len(original_notes) == 5  # two citations (one Ibid.), the named note, the inline note (citing), one citation
    assert_same_notes(notes, original_notes, lang)
    return translation
