"""The organisation profile is declared once (mmnpress/profile): checked at FILE:LINE:COLUMN, exported as JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from mmnpress.pipeline.project import HOUSE, load_organisation
from mmnpress.profile import PROFILE, walk
from mmnpress.profile.export import SCHEMA_FILE, SCHEMA_LINE, json_schema, markdown_table
from tests.conftest import REPO, SEED

PROFILE_PATH = "templates/mmn/profile.yaml"
VALIDATOR = jsonschema.Draft202012Validator(json_schema())
DRAFT_7 = jsonschema.Draft7Validator({k: v for k, v in json_schema().items() if k != "$schema"})  # what the YAML language server runs


def _with(project: Path, extra: str) -> int:
    """Append `extra` to the project's profile; return the line number its first line lands on."""
    profile = project / PROFILE_PATH
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text + extra, encoding="utf-8")
    return len(text.splitlines()) + 1


def test_an_unknown_key_is_an_error_naming_the_closest_key(project, cli):
    profile = project / PROFILE_PATH
    profile.write_text(profile.read_text(encoding="utf-8").replace("  body: Noto Serif", "  bdy: Noto Serif"), encoding="utf-8")
    line = _with(project, 'colurs:\n  primary: "#123456"\nshortname: M\n')
    result = cli("check", SEED)
    assert result.exit_code == 2
    assert f"{PROFILE_PATH}:{line}:1: error: unknown key 'colurs'; did you mean 'colours'?" in result.output
    assert f"{PROFILE_PATH}:{line + 2}:1: error: unknown key 'shortname'; did you mean 'short_name'?" in result.output
    assert f"{PROFILE_PATH}:11:3: error: unknown key 'bdy'; did you mean 'body'?" in result.output
    assert cli("build", SEED, "--to", "docx").exit_code == 2


def test_wrong_types_are_located_all_at_once_and_nothing_is_built(project, cli):
    profile = project / PROFILE_PATH
    profile.write_text(
        "name: [a, b]\ncolours: red\nfonts:\n  body: {x: 1}\ncontacts: middle\nabout:\n  english: hi\n  th: [x]\n"
        "press_email: nobody\nlogo: ../../../etc/passwd\n",
        encoding="utf-8",
    )
    result = cli("build", SEED, "--to", "docx")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines == [
        f"{PROFILE_PATH}:1:7: 'name' must be a single value, or one per language with default: (default: ..., km: ...)",
        f"{PROFILE_PATH}:2:10: 'colours' must be a mapping of keys (primary, accent)",
        f"{PROFILE_PATH}:4:9: 'fonts.body' must be a single value",
        f"{PROFILE_PATH}:5:11: 'contacts' must be one of end, top, not 'middle'",
        f"{PROFILE_PATH}:7:3: 'about' takes language codes such as en, th, my, km, lo, vi, not 'english'",
        f"{PROFILE_PATH}:8:7: 'about.th' must be a single value",
        f"{PROFILE_PATH}:9:14: 'press_email': must be a mail address like press@example.org, not 'nobody'",
        f"{PROFILE_PATH}:10:7: logo must lie in templates/mmn: ../../../etc/passwd",
    ], result.output
    assert not (project / "build").exists()


def test_a_colour_must_be_written_as_hex(project, cli):
    profile = project / PROFILE_PATH
    profile.write_text(profile.read_text(encoding="utf-8").replace('primary: "#1F4E79"', "primary: navy"), encoding="utf-8")
    result = cli("check", SEED)
    assert result.exit_code == 2
    assert f"{PROFILE_PATH}:8:12: error: 'colours.primary' must be a colour written #RRGGBB" in result.output


def test_names_may_be_given_per_language_with_a_default(project):
    profile = project / PROFILE_PATH
    text = profile.read_text(encoding="utf-8").replace(
        "name: Mekong Migration Network\nshort_name: MMN\n",
        ("name:\n  default: Mekong Migration Network\n  km: បណ្ដាញចំណាកស្រុកមេគង្គ\nshort_name: {default: MMN, th: MMN-TH}\n"),
    )
    profile.write_text(text, encoding="utf-8")
    found = load_organisation(profile.parent)
    assert (found.profile.name, found.profile.short_name) == ("Mekong Migration Network", "MMN")
    assert found.name_for("km") == "បណ្ដាញចំណាកស្រុកមេគង្គ" and found.name_for("km-KH") == "បណ្ដាញចំណាកស្រុកមេគង្គ"
    assert found.name_for("th") == "Mekong Migration Network" and found.short_name_for("th") == "MMN-TH"


def test_names_per_language_need_a_default(project, cli):
    profile = project / PROFILE_PATH
    profile.write_text(
        profile.read_text(encoding="utf-8").replace("name: Mekong Migration Network\n", "name: {en: MMN, km: X}\n", 1), encoding="utf-8"
    )
    result = cli("check", SEED)
    assert result.exit_code == 2
    assert f"{PROFILE_PATH}:2:7: error: 'name' given per language needs 'default:'" in result.output


def test_a_letterhead_is_a_file_name_or_a_file_and_styles(project):
    from tests.letterheads import raw_letterhead

    folder = project / "templates" / "mmn"
    raw_letterhead(folder / "lh.docx")
    _with(project, "letterhead: lh.docx\n")
    plain = load_organisation(folder)
    assert (plain.letterhead, plain.letterhead_styles) == ((folder / "lh.docx").resolve(), "house")
    profile = folder / "profile.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace("letterhead: lh.docx\n", "letterhead: {file: lh.docx, styles: letterhead}\n"), encoding="utf-8"
    )
    mapped = load_organisation(folder)
    assert (mapped.letterhead, mapped.letterhead_styles) == (plain.letterhead, "letterhead")
    assert mapped.settings["letterhead"] == {"file": plain.letterhead, "styles": "letterhead"}


@pytest.mark.parametrize("path", [REPO / PROFILE_PATH, HOUSE / "profile.yaml"], ids=["mmn", "house"])
def test_the_schema_accepts_the_profiles_mmnpress_ships(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for validator in (VALIDATOR, DRAFT_7):
        assert not list(validator.iter_errors(data)), path
    load_organisation(path.parent)  # and so does the check


def test_the_schema_refuses_what_the_check_refuses():
    good = yaml.safe_load((REPO / PROFILE_PATH).read_text(encoding="utf-8"))
    for bad in (
        {"colurs": {}},
        {"colours": {"primary": "red"}},
        {"contacts": "middle"},
        {"about": {"english": "x"}},
        {"name": {"km": "x"}},
        {"letterhead": {"file": "x.docx", "styles": "mine"}},
        {"page_url": "ftp://x/{stem}"},
    ):
        for validator in (VALIDATOR, DRAFT_7):
            assert list(validator.iter_errors({**good, **bad})), bad
    for fine in ({"name": {"default": "M", "km": "x"}}, {"letterhead": "x.docx"}, {"letterhead": {"file": "x.docx", "styles": "house"}}):
        assert not list(VALIDATOR.iter_errors({**good, **fine})), fine


def test_schema_profile_prints_it(cli):
    result = cli("schema", "--profile")
    assert result.exit_code == 0
    assert json.loads(result.output) == json_schema()
    jsonschema.Draft202012Validator.check_schema(json_schema())
    assert json.loads(cli("schema").output)["title"] == "mmnpress statement"


def test_init_names_the_schema_on_the_profiles_first_line_and_writes_it(tmp_path, cli):
    assert cli("init", str(tmp_path / "p"), "--organisation", "rwa").exit_code == 0
    profile = tmp_path / "p" / "templates" / "rwa" / "profile.yaml"
    first = profile.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    assert first == SCHEMA_LINE
    written = (profile.parent / first.split("$schema=", 1)[1].strip()).resolve()
    assert written == (tmp_path / "p" / SCHEMA_FILE).resolve()
    assert json.loads(written.read_text(encoding="utf-8")) == json_schema()
    assert not list(VALIDATOR.iter_errors(yaml.safe_load(profile.read_text(encoding="utf-8"))))


def test_every_key_the_profiles_use_is_declared():
    declared = {path for path, _ in walk()}
    for path in (REPO / PROFILE_PATH, HOUSE / "profile.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        used = {key for key in data} | {f"{key}.{sub}" for key, value in data.items() if isinstance(value, dict) and key != "about" for sub in value}
        assert used <= declared, used - declared
    assert set(PROFILE.options()) >= {"name", "short_name", "about", "page_url", "press_email", "letterhead", "logo_alt"}


def test_format_md_holds_the_generated_profile_table():
    text = (REPO / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    start, end = "<!-- profile: start -->\n", "<!-- profile: end -->"
    assert text[text.index(start) + len(start) : text.index(end)] == markdown_table(), "run: python scripts/format_table.py"
