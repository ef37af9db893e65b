"""translate export/import through XLIFF 1.2, filled the way a CAT tool does it (translate-toolkit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from translate.storage import xliff
from translate.storage.placeables import StringElem
from translate_helpers import SEED, WORDS, assert_round_trip, seeded

VENDOR = Path(__file__).parent / "vendor" / "xliff"


def schema() -> etree.XMLSchema:
    """Return the OASIS XLIFF 1.2 transitional schema, its xml.xsd import resolved to the vendored copy."""

    class Local(etree.Resolver):
        def resolve(self, url, pubid, context):
            if url.endswith("xml.xsd"):
                return self.resolve_filename(str(VENDOR / "xml.xsd"), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    return etree.XMLSchema(etree.parse(str(VENDOR / "xliff-core-1.2-transitional.xsd"), parser))


def exported(cli, project: Path, lang: str, *more: str) -> Path:
    out = project / f"out.{lang}.xlf"
    result = cli("translate", "export", str(SEED), "--lang", lang, "-o", str(out), *more)
    assert result.exit_code == 0, result.output
    return out


def filled(path: Path, word: str | None, only=lambda unit_id: True) -> None:
    """Fill every target through translate-toolkit: the source's text and codes, `word` before it; save it back."""
    store = xliff.xlifffile.parsefile(str(path))
    for unit in store.units:
        if not only(unit.getid().split("\x04")[-1]):
            continue
        source = unit.rich_source[0]
        unit.rich_target = [StringElem([StringElem(word), *source.sub]) if word else source]
        unit.markfuzzy(False)
    path.write_bytes(bytes(store))


def imported(cli, path: Path, *more: str):
    return cli("translate", "import", str(path), *more)


def test_the_export_is_valid_xliff_1_2_and_translate_toolkit_writes_it_back_valid(project, cli):
    seeded(project)
    path = exported(cli, project, "th")
    checker = schema()
    assert checker.validate(etree.parse(str(path))), checker.error_log
    filled(path, WORDS["th"])
    assert checker.validate(etree.parse(str(path))), checker.error_log


def test_codes_are_inline_elements_with_equiv_text(project, cli):
    seeded(project)
    root = etree.parse(str(exported(cli, project, "th")))
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    unit = root.find(".//x:trans-unit[@id='body.6']", ns)
    source = unit.find("x:source", ns)
    kinds = [(e.tag.split("}")[1], e.get("ctype"), e.get("equiv-text")) for e in source.iter() if e is not source]
    assert ("g", "italic", "*…*") in kinds and ("g", "link", "[…](https://asean.org/consensus)") in kinds
    assert ("x", "x-note-mark", "[^tf-amw]") in kinds and ("g", "x-note", "^[…]") in kinds
    assert ("x", "x-citation", "[@tfamw2009, 12]") in kinds
    # the text inside emphasis and the link stays translatable text of the segment
    assert "the ASEAN " in "".join(source.itertext())
    assert root.find(".//x:trans-unit[@id='notes.tf-amw']", ns) is not None
    assert "email subject" in root.find(".//x:trans-unit[@id='title']/x:note", ns).text


@pytest.mark.parametrize("lang", ["th", "my"])
def test_a_round_trip_carries_every_footnote_citation_and_link(project, cli, lang):
    assert_round_trip(project, cli, lang, exported, filled)


def test_targets_equal_to_sources_build_the_same_text_and_a_second_import_changes_nothing(project, cli):
    seed = seeded(project)
    path = exported(cli, project, "th")
    filled(path, None)
    assert imported(cli, path).exit_code == 0
    translation = seed.with_name(f"{seed.stem}.th.yaml")
    from mmnpress.pipeline.project import find_root
    from mmnpress.pipeline.translations import load_statement

    root = find_root(seed)
    original, made = load_statement(seed, root), load_statement(translation, root)
    assert [t.source for t in made.texts()] == [t.source for t in original.texts()]
    assert made.notes["tf-amw"].source == original.notes["tf-amw"].source
    before = translation.read_bytes()
    again = imported(cli, path)
    assert again.exit_code == 0 and "nothing to change" in again.output
    assert translation.read_bytes() == before
