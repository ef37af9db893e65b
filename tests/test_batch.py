"""Tests of `mmnpress build` on many statements: folders, failures, the cache, translations."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import MINIMAL, SEED, write_statement

from mmnpress.batch import statement_files, with_translations

SEED_DOCX = Path("build/2017-11-22-asean-consensus.docx")


def mtimes(*paths: Path) -> list[int]:
    """Return the modification times of `paths` in nanoseconds."""
    return [p.stat().st_mtime_ns for p in paths]


def test_folder_builds_every_good_statement_and_reports_the_failure(project, cli):
    write_statement(project, "2020-01-01-broken.yaml", MINIMAL.replace("First paragraph.", "Cites [@nosuchkey]."))
    result = cli("build", "statements", "--to", "docx,pdf")
    assert result.exit_code == 2
    assert "statements/2020-01-01-broken.yaml:8:12: unknown citation key 'nosuchkey'" in result.stderr
    for path in Path("statements").glob("*.yaml"):
        built = [Path("build") / f"{path.stem}.{fmt}" for fmt in ("docx", "pdf")]
        assert all(p.is_file() for p in built) == (path.stem != "2020-01-01-broken"), path
    assert "failed 1" in result.stderr


def test_failure_of_a_single_statement_exits_2_and_writes_nothing(project, cli):
    path = write_statement(project, "2020-01-01-broken.yaml", MINIMAL.replace("lang: en", "lang: xx-nope-no"))
    result = cli("build", str(path), "--to", "docx")
    assert result.exit_code == 2
    assert result.stderr.startswith("statements/2020-01-01-broken.yaml:2:7: 'lang' must be")
    assert not Path("build/2020-01-01-broken.docx").exists()


def test_second_build_does_no_work(project, cli):
    assert cli("build", SEED, "--to", "docx,pdf").exit_code == 0
    outputs = [SEED_DOCX, SEED_DOCX.with_suffix(".pdf")]
    before = mtimes(*outputs)
    result = cli("build", SEED, "--to", "docx,pdf")
    assert result.exit_code == 0
    assert result.output == f"{SEED}: up to date\n"
    assert mtimes(*outputs) == before


def test_changed_bibliography_rebuilds(project, cli):
    cli("build", SEED, "--to", "docx")
    bibliography = Path("bibliography/mmn.json")
    entries = json.loads(bibliography.read_text(encoding="utf-8"))
    bibliography.write_text(json.dumps(entries, indent=4), encoding="utf-8")
    assert cli("build", SEED, "--to", "docx").output.startswith("built build/2017-11-22-asean-consensus.docx in ")


def test_changed_template_and_option_rebuild(project, cli):
    cli("build", SEED, "--to", "docx")
    with Path("templates/mmn/profile.yaml").open("a", encoding="utf-8") as stream:
        stream.write("# a comment changes the content\n")
    assert cli("build", SEED, "--to", "docx").output.startswith("built ")
    assert cli("build", SEED, "--to", "docx", "--final").output.startswith("built ")
    assert cli("build", SEED, "--to", "docx", "--final").output.endswith("up to date\n")


def test_force_rebuilds(project, cli):
    cli("build", SEED, "--to", "docx")
    assert cli("build", SEED, "--to", "docx", "--force").output.startswith("built ")


def test_output_changed_or_removed_after_the_build_is_rebuilt(project, cli):
    cli("build", SEED, "--to", "docx")
    SEED_DOCX.write_bytes(b"edited by hand")
    assert cli("build", SEED, "--to", "docx").output.startswith("built ")
    SEED_DOCX.unlink()
    assert cli("build", SEED, "--to", "docx").output.startswith("built ")
    assert SEED_DOCX.stat().st_size > 10_000


def test_formats_are_cached_separately(project, cli):
    cli("build", SEED, "--to", "docx")
    assert cli("build", SEED, "--to", "pdf").output.startswith("built build/2017-11-22-asean-consensus.pdf ")
    assert cli("build", SEED, "--to", "docx,pdf").output.endswith("up to date\n")


def test_folder_build_second_run_is_all_up_to_date(project, cli):
    assert cli("build", "statements", "--to", "docx").exit_code == 0
    result = cli("build", "statements", "--to", "docx")
    count = len(list(Path("statements").glob("*.yaml")))
    assert result.stdout.count(": up to date\n") == count
    assert f"built 0, up to date {count}, failed 0" in result.output


def test_with_translations_builds_the_chain(project, cli):
    write_statement(project, "2017-11-22-asean-consensus.th-short.yaml", "extends: 2017-11-22-asean-consensus.th.yaml\n")
    write_statement(project, "2020-01-01-other.yaml", MINIMAL)
    result = cli("build", SEED, "--to", "docx", "--with-translations")
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in Path("build").glob("*.docx"))
    assert built == [
        "2017-11-22-asean-consensus.docx",
        "2017-11-22-asean-consensus.th-short.docx",
        "2017-11-22-asean-consensus.th.docx",
    ]


def test_statement_files_expands_folders_once(project):
    seed = Path(SEED)
    files = statement_files([Path("statements"), seed])
    assert files == sorted(Path("statements").glob("*.yaml"))
    assert with_translations([seed]) == [seed, Path("statements/2017-11-22-asean-consensus.th.yaml")]


def test_empty_folder_is_an_error(project, cli):
    Path("empty").mkdir()
    result = cli("build", "empty")
    assert result.exit_code == 2
    assert result.stderr == "no statements (.yaml files) in empty\n"
