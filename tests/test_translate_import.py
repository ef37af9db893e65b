"""translate import: every refusal with the file untouched, comments kept, provenance recorded, stale fields named by check."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from translate_helpers import SEED, WORDS, seeded

ZAWGYI = "ျမန္မာႏိုင္ငံ"  # Burmese typed in Zawgyi (မြန်မာနိုင်ငံ in Unicode)


def po_export(cli, project: Path, lang: str = "th", statement: Path = SEED) -> Path:
    out = project / f"out.{lang}.po"
    result = cli("translate", "export", str(statement), "--lang", lang, "--format", "po", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def fill(path: Path, word: str, change=lambda entry: None, only=lambda entry: True) -> None:
    po = polib.pofile(str(path), wrapwidth=0)
    for entry in po:
        if only(entry):
            entry.msgstr = word + entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        change(entry)
    po.save(str(path))


def translation(project: Path, lang: str = "th") -> Path:
    return project / "statements" / f"2017-11-22-asean-consensus.{lang}.yaml"


def edit(entry_path: str, new):
    def change(entry):
        if entry.msgctxt == entry_path:
            entry.msgstr = new(entry.msgstr)
    return change


def problems(result) -> list[str]:
    assert result.exit_code == 2, result.output
    return [line for line in result.output.splitlines() if line]


@pytest.mark.parametrize(("change", "lang", "message"), [
    (edit("body.2", lambda s: s.replace("{2}", "")), "th", "segment body.2: the citation [@tfamw2009, 9] ({2}) is missing"),
    (edit("body.2", lambda s: s + " {1}"), "th", "segment body.2: the citation [@tfamw2009] ({1}) is there 2 times"),
    (edit("body.2", lambda s: s + " [@worldbank2017]"), "th", "segment body.2: the text makes a [@worldbank2017] the source does not have"),
    (edit("body.2", lambda s: s + " {9}"), "th", "segment body.2: code {9} is not in the source"),
    (edit("body.6", lambda s: s.replace("{5}", "")), "th", "segment body.6: the note mark [^tf-amw] ({5}) is missing"),
    (edit("body.6", lambda s: s + " [more](https://example.org)"), "th", "segment body.6: the text makes a link"),
    (edit("body.6", lambda s: s.replace("{/2}", "")), "th", "segment body.6: {2} is not closed by {/2}"),
    (edit("body.0", lambda s: "ภาษาไทยทั้งย่อหน้า " + s), "my", "segment body.0: is written in Thai script, not in the script of 'my'"),
    (edit("body.0", lambda s: ZAWGYI), "my", "segment body.0: is typed in the Zawgyi encoding"),
])
def test_a_bad_target_is_refused_at_its_line_and_nothing_is_written(project, cli, change, lang, message):
    seeded(project)
    path = po_export(cli, project, lang)
    fill(path, WORDS[lang], change)
    lines = problems(cli("translate", "import", str(path)))
    assert any(message in line for line in lines), lines
    assert all(line.startswith(f"{path.name}:") or line.startswith(str(path)) for line in lines), lines
    assert not translation(project, lang).exists()


def test_untranslated_segments_are_refused_unless_partial(project, cli):
    seeded(project)
    path = po_export(cli, project)
    fill(path, WORDS["th"], only=lambda entry: entry.msgctxt.startswith("body"))
    lines = problems(cli("translate", "import", str(path)))
    assert any("segment title: is not translated (import with --partial" in line for line in lines)
    assert not translation(project).exists()
    assert cli("translate", "import", str(path), "--partial").exit_code == 0
    made = translation(project).read_text(encoding="utf-8")
    assert "title:" not in made and WORDS["th"] + "Mekong Migration Network (MMN) cautiously" in made


def test_a_file_for_another_language_or_statement_is_refused(project, cli):
    seeded(project)
    path = po_export(cli, project)
    fill(path, WORDS["th"])
    translation(project).write_text("extends: 2018-01-22-garment-workshops.yaml\nlang: th\n", encoding="utf-8")
    before = translation(project).read_bytes()
    lines = problems(cli("translate", "import", str(path)))
    assert any("exists and is not a translation of statements/2017-11-22-asean-consensus.yaml" in line for line in lines)
    assert translation(project).read_bytes() == before
    translation(project).unlink()
    po = polib.pofile(str(path))
    po.metadata["X-Mmnpress-Source-Language"] = "vi"
    po.metadata["Language"] = "en"
    po.save(str(path))
    lines = problems(cli("translate", "import", str(path)))
    assert any("was exported from a 'vi' text" in line for line in lines)
    assert any("its target language 'en' is not a language" in line for line in lines)
    po.metadata["X-Mmnpress-Original"] = "../outside.yaml"
    po.save(str(path))
    assert any("which is not a file of the project" in line for line in problems(cli("translate", "import", str(path))))


def test_a_source_changed_since_the_export_is_refused_unless_accepted_and_then_check_names_it(project, cli):
    seed = seeded(project)
    path = po_export(cli, project)
    fill(path, WORDS["th"])
    seed.write_text(seed.read_text(encoding="utf-8").replace("countless CSO", "many CSO"), encoding="utf-8")
    lines = problems(cli("translate", "import", str(path)))
    assert any("segment body.3: its source changed in the original since the export" in line for line in lines)
    assert not translation(project).exists()
    result = cli("translate", "import", str(path), "--accept-stale")
    assert result.exit_code == 0 and "marked stale" in result.output and "body.3" in result.output
    checked = cli("check", str(translation(project)))
    assert "th: body.3 changed in the original since it was translated" in checked.output
    assert checked.output.count(": warning: th: ") == 1


def test_check_names_an_edited_paragraph_reordered_recommendations_and_an_added_one(project, cli):
    seed = seeded(project)
    path = po_export(cli, project)
    fill(path, WORDS["th"])
    assert cli("translate", "import", str(path)).exit_code == 0
    assert "warning: th:" not in cli("check", str(translation(project))).output
    text = seed.read_text(encoding="utf-8")
    text = text.replace("countless CSO", "many CSO")
    mediation = text[text.index("    - title: Mediation"):text.index("    - title: Monitoring")]
    monitoring = text[text.index("    - title: Monitoring"):text.index("    - title: Meaningful")]
    text = text.replace(mediation + monitoring, monitoring + mediation)
    text = text.replace("\nclosing:", "    - title: Access to Justice\n      text: Migrants must reach the courts.\n\nclosing:")
    seed.write_text(text, encoding="utf-8")
    output = cli("check", str(translation(project))).output
    for expected in ("th: body.3 changed in the original since it was translated",
                     "th: recommendations.items.0.title changed", "th: recommendations.items.0.text changed",
                     "th: recommendations.items.1.title changed", "th: recommendations.items.1.text changed",
                     "th: recommendations.items.5.title has no translation recorded",
                     "th: recommendations.items.5.text has no translation recorded"):
        assert expected in output, output
    assert "recommendations.items.2" not in output  # unchanged ones are not named


def test_an_existing_translation_keeps_its_comments_and_untouched_values_byte_for_byte(project, cli):
    seeded(project)
    path = po_export(cli, project)
    fill(path, WORDS["th"], only=lambda entry: entry.msgctxt in ("title", "body.3"))
    assert cli("translate", "import", str(path), "--partial").exit_code == 0
    own = translation(project)
    text = own.read_text(encoding="utf-8")
    commented = text.replace("lang: th\n", "lang: th  # Thai, reviewed by Omsin\n# the body follows\n", 1)
    commented = commented.replace("translated_from:", "# provenance: written by translate import\ntranslated_from:")
    own.write_text(commented, encoding="utf-8")
    second = po_export(cli, project)
    po = polib.pofile(str(second), wrapwidth=0)
    assert next(e for e in po if e.msgctxt == "title").msgstr.startswith(WORDS["th"])  # pre-filled, not fuzzy
    assert "fuzzy" not in next(e for e in po if e.msgctxt == "title").flags
    fill(second, "", edit("body.4", lambda s: "ฉบับแปล " + s), only=lambda entry: False)
    assert cli("translate", "import", str(second), "--partial").exit_code == 0
    after = own.read_text(encoding="utf-8")
    assert "lang: th  # Thai, reviewed by Omsin\n# the body follows\n" in after
    assert "# provenance: written by translate import\n" in after
    changed = [line for line in after.splitlines() if line not in commented.splitlines()]
    assert all("ฉบับแปล" in line or line.strip().startswith("body.4:") for line in changed), changed
    again = cli("translate", "import", str(second), "--partial")
    assert "nothing to change" in again.output and own.read_text(encoding="utf-8") == after


def test_an_identical_source_elsewhere_is_pre_filled_and_a_close_one_offered(project, cli):
    seeded(project)
    path = po_export(cli, project)
    fill(path, WORDS["th"])
    assert cli("translate", "import", str(path)).exit_code == 0
    other = project / "statements" / "2019-01-01-follow-up.yaml"
    other.write_text(SEED.read_text(encoding="utf-8").replace("countless CSO", "countless CSOs")
                     .replace("Mekong Migration Network Statement", "A Follow-up Statement"), encoding="utf-8")
    po = polib.pofile(str(po_export(cli, project, statement=Path("statements/2019-01-01-follow-up.yaml"))), wrapwidth=0)
    same = next(e for e in po if e.msgctxt == "body.0")
    assert same.msgstr == WORDS["th"] + same.msgid and "identical source in statements/2017-11-22-asean-consensus.th.yaml body.0" in same.comment
    close = next(e for e in po if e.msgctxt == "body.3")
    assert close.msgstr == "" and "% statements/2017-11-22-asean-consensus.th.yaml body.3: " + WORDS["th"] in close.tcomment
    assert int(close.tcomment.split("%")[0]) >= 75


def test_a_file_that_is_not_an_export_is_refused_at_its_line(project, cli):
    seeded(project)
    broken = project / "broken.xlf"
    broken.write_text('<?xml version="1.0"?>\n<xliff version="1.2">\n<file original=x>\n', encoding="utf-8")
    lines = problems(cli("translate", "import", str(broken)))
    assert lines[0].startswith("broken.xlf:3:1: not well-formed XML") and len(lines) == 1
    other = project / "other.po"
    other.write_text('msgid ""\nmsgstr ""\n"Language: th\\n"\n\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    assert "was not made by mmnpress translate export" in problems(cli("translate", "import", str(other)))[0]
    assert not translation(project).exists()
