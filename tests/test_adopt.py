"""An organisation adopts mmnpress: init, the bundled house style, Word templates that follow profile.yaml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import SEED
from tests.docx_reader import header_text

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")


def run(*args: str):
    from mmnpress.commands.main import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def pdf_text(path: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())


@needs_pdftotext
def test_a_profile_edit_shows_in_the_next_build_in_both_formats(project):
    assert run("build", SEED).exit_code == 0
    docx, pdf = (Path("build") / f"2017-11-22-asean-consensus.{fmt}" for fmt in ("docx", "pdf"))
    assert "Mekong Migration Network" in header_text(docx)
    profile = Path("templates/mmn/profile.yaml")
    text = profile.read_text(encoding="utf-8").replace("name: Mekong Migration Network", "name: Rivers Workers Alliance")
    profile.write_text(text.replace("P.O. Box 195, Chiang Mai University", "12 Canal Road, Old Town"), encoding="utf-8")
    result = run("build", SEED)
    assert result.exit_code == 0 and result.output.startswith("built "), result.output
    letterhead = header_text(docx).splitlines()[0]  # the first page's header; later ones show the short title
    assert "Rivers Workers Alliance" in letterhead and "12 Canal Road, Old Town" in letterhead
    assert "Mekong Migration Network" not in letterhead
    assert "Rivers Workers Alliance" in pdf_text(pdf) and "12 Canal Road, Old Town" in pdf_text(pdf)


def test_generated_templates_are_cached_by_the_profile_content(project, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    cache = project / "cache" / "mmnpress" / "word-templates"
    assert run("build", SEED, "--to", "docx").exit_code == 0
    made = sorted(cache.glob("*/statement.docx"))
    assert len(made) == 1
    stamp = made[0].stat().st_mtime_ns
    assert run("build", SEED, "--to", "docx", "--force").exit_code == 0
    assert sorted(cache.glob("*/statement.docx")) == made and made[0].stat().st_mtime_ns == stamp  # made once
    with Path("templates/mmn/profile.yaml").open("a", encoding="utf-8") as stream:
        stream.write("# a comment\n")
    assert run("build", SEED, "--to", "docx").exit_code == 0
    assert len(list(cache.glob("*/statement.docx"))) == 2


def test_generated_templates_go_to_the_project_when_the_cache_cannot_be_written(project, monkeypatch):
    Path("not-a-folder").write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "not-a-folder"))
    assert run("build", SEED, "--to", "docx").exit_code == 0
    assert len(list(Path("build/.templates").glob("*/statement.docx"))) == 1


def test_a_kept_word_template_is_used_as_it_is_and_check_warns_when_the_profile_changed(project):
    result = run("templates", "make", "mmn")
    assert result.output.splitlines() == [f"wrote templates/mmn/{kind}.docx" for kind in ("statement", "press-release", "position-paper")]
    assert run("check", SEED).exit_code == 0  # made from this very profile: nothing to say
    profile = Path("templates/mmn/profile.yaml")
    profile.write_text(profile.read_text(encoding="utf-8").replace("name: Mekong", "name: Greater Mekong"), encoding="utf-8")
    result = run("check", SEED)
    assert result.exit_code == 1
    assert result.output.startswith("templates/mmn/statement.docx:1:1: warning: profile.yaml (or its logo or letterhead) changed since")
    assert run("build", SEED, "--to", "docx").exit_code == 0
    assert "Greater Mekong" not in header_text(Path("build/2017-11-22-asean-consensus.docx"))


@needs_pdftotext
def test_init_makes_a_project_whose_every_kind_builds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "forum", "--name", "Migrant Rights Forum")
    assert result.exit_code == 0, result.output
    assert "wrote forum/templates/mrf/profile.yaml" in result.output
    assert result.output.splitlines()[-5:-1] == [
        "  cd forum",
        "  mmnpress build                       # statements/ into build/, Word and PDF",
        "  mmnpress new press-release my-news   # start a statement from a skeleton",
        "  mmnpress check                       # find mistakes, with FILE:LINE:COLUMN",
    ]
    assert (tmp_path / "forum/.gitignore").read_text(encoding="utf-8").endswith("build/\n")
    monkeypatch.chdir(tmp_path / "forum")
    assert run("check").exit_code == 0
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "built 3, up to date 0, failed 0" in result.output
    for kind in ("statement", "press-release", "position-paper"):
        assert "Migrant Rights Forum" in header_text(Path(f"build/example-{kind}.docx"))
        text = pdf_text(Path(f"build/example-{kind}.pdf"))
        assert "Migrant Rights Forum" in text and "Mekong" not in text
    assert "Author" in pdf_text(Path("build/example-statement.pdf"))  # the example cites the example bibliography


def test_init_makes_a_short_name_and_folder_from_the_initials_of_a_long_name_and_says_how_to_change_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "--name", "Cambodian Women Workers Network")
    assert result.exit_code == 0, result.output
    profile = yaml.safe_load(Path("templates/cwwn/profile.yaml").read_text(encoding="utf-8"))
    assert (profile["name"], profile["short_name"]) == ("Cambodian Women Workers Network", "CWWN")
    assert "organisation: cwwn" in Path("statements/example-statement.yaml").read_text(encoding="utf-8")
    assert "short name CWWN (made from the name; --short-name chooses it): edit short_name in the profile to change it" in result.output
    assert ("folder templates/cwwn/ (made from the short name; --organisation chooses it): to change it, rename "
            "the folder and the line `organisation: cwwn` of each statement") in result.output


def test_init_takes_the_short_name_given_and_names_the_folder_after_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "--name", "Cambodian Women Workers Network", "--short-name", "CWW Net")
    assert result.exit_code == 0, result.output
    profile = yaml.safe_load(Path("templates/cww-net/profile.yaml").read_text(encoding="utf-8"))
    assert profile["short_name"] == "CWW Net" and "(made from the name" not in result.output
    assert "folder templates/cww-net/ (made from the short name" in result.output


@pytest.mark.parametrize(("name", "short"), [
    ("Cambodian Women Workers Network", "CWWN"),
    ("Foundation for Education and Development (FED)", "FED"),
    ("Mekong Migration Network", "MMN"),
    ("Oxfam", "Oxfam"),
    ("Union of Workers & Farmers", "UWF"),
    ("សហជីព កម្មករ", "សហជីព កម្មករ"),  # words not in Latin letters: the name is its own short name
])
def test_a_short_name_is_the_acronym_of_the_main_words(name, short):
    from mmnpress.init import short_name_of

    assert short_name_of(name) == short


def test_init_never_overwrites_and_names_what_it_left_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "statements").mkdir()
    (tmp_path / "statements/example-statement.yaml").write_text("kept\n", encoding="utf-8")
    result = run("init", "--organisation", "rwa")
    assert result.exit_code == 0
    assert "left alone (already there): statements/example-statement.yaml" in result.output
    assert (tmp_path / "statements/example-statement.yaml").read_text(encoding="utf-8") == "kept\n"
    again = run("init")
    assert "wrote" not in again.output and "left alone (already there): templates/rwa/profile.yaml" in again.output
    assert sorted(p.parent.name for p in tmp_path.glob("templates/*/profile.yaml")) == ["rwa"]


@pytest.mark.parametrize("target", ["a-file", "a-file/below"])
def test_init_where_nothing_can_be_written_is_one_line(tmp_path, monkeypatch, target):
    monkeypatch.chdir(tmp_path)
    Path("a-file").write_text("x", encoding="utf-8")
    result = run("init", target)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(("a-file is a file", "cannot write in a-file/below: Not a directory"))


def test_a_statement_outside_any_project_builds_with_the_house_style(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new", "press-release", "wage-theft")
    assert result.exit_code == 0, result.output
    written = next(tmp_path.glob("*-wage-theft.yaml"))
    text = written.read_text(encoding="utf-8")
    assert "Chiang Mai" not in text and "mmn" not in text.lower().replace("mmnpress", "")
    result = run("build", written.name, "--to", "docx")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("with the bundled house style (mmnpress init makes your own)")
    assert "Your Organisation" in header_text(tmp_path / "build" / f"{written.stem}.docx")


def test_new_writes_into_statements_when_there_is_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "statements").mkdir()
    assert run("new", "statement", "one").output.startswith("wrote statements/")


def test_an_unknown_organisation_says_where_it_looked_and_suggests_init(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("s.yaml").write_text("kind: statement\nlang: en\ntitle: T\ndate: 2020-05-01\norganisation: rwa\nbody: [x]\n", encoding="utf-8")
    result = run("build", "s.yaml")
    assert result.stderr == ("s.yaml:5:15: no organisation 'rwa': templates/rwa/profile.yaml does not exist; "
                             "`mmnpress init --organisation rwa` makes one\n")


def test_files_directly_in_templates_are_told_to_move(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("templates").mkdir()
    Path("templates/profile.yaml").write_text("name: X\n", encoding="utf-8")
    Path("s.yaml").write_text("kind: statement\nlang: en\ntitle: T\ndate: 2020-05-01\nbody: [x]\n", encoding="utf-8")
    result = run("build", "s.yaml")
    assert result.exit_code == 2
    assert result.stderr == ("s.yaml:1:1: no organisation profile under templates; profile.yaml lie directly in templates: "
                             "move them into templates/<name>/\n")


def test_build_with_no_argument_builds_the_projects_statements(project):
    shutil.rmtree("statements")
    Path("statements").mkdir()
    shutil.copy(Path(__file__).parent.parent / SEED, "statements")
    Path("elsewhere").mkdir()
    result = run("build", "--to", "docx")
    assert result.exit_code == 0 and result.output.startswith("built build/2017-11-22-asean-consensus.docx"), result.output
    assert run("build", ".", "--to", "docx").output.endswith("up to date\n")


@needs_pdftotext
def test_contacts_never_stand_alone_on_the_last_page(project):
    from tests.docx_reader import paragraphs

    assert run("build", SEED).exit_code == 0
    pdf = Path("build/2017-11-22-asean-consensus.pdf")
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    last = [page for page in pages if page.strip()][-1]
    assert "For inquiries about this statement" in last and "About MMN" in last and "capacity building" in last
    docx = Path("build/2017-11-22-asean-consensus.docx")
    about = next(p for p in paragraphs(docx) if p.text.startswith("Mekong Migration Network (MMN), launched"))
    assert about.paragraph_format.keep_with_next  # Word keeps it with the contact block that follows


def test_styles_with_no_match_says_so_and_exits_1():
    result = run("styles", "no-such-style-anywhere")
    assert result.exit_code == 1
    assert result.stderr == ("no citation style name contains 'no-such-style-anywhere'; "
                             "--dependent searches the dependent styles too\n")


def test_styles_names_independent_and_dependent_apart_as_the_readme_counts():
    independent = run("styles").output.splitlines()
    every = run("styles", "--dependent").output.splitlines()
    dependent = [n for n in every if n.endswith(" (dependent)")]
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"{len(independent):,}\nindependent styles" in readme and f"its {len(dependent):,} dependent ones" in readme
    assert "apa" in independent and len(every) == len(independent) + len(dependent)


def test_styles_into_a_reader_that_stops_early_is_no_error():
    root = Path(__file__).resolve().parent.parent
    shell = subprocess.run(f"PYTHONPATH={root} {sys.executable} -m mmnpress.commands.main styles --dependent | head -1", shell=True,
                           capture_output=True, text=True, timeout=120)
    assert len(shell.stdout.splitlines()) == 1
    assert shell.stderr == "", shell.stderr
