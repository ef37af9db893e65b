"""Tests of `mmnpress build` on many statements: folders, failures, the cache, translations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import MINIMAL, SEED, write_statement

from mmnpress.pipeline.discovery import statement_files, with_translations

SEED_DOCX = Path("build/2017-11-22-asean-consensus.docx")


def mtimes(*paths: Path) -> list[int]:
    """Return the modification times of `paths` in nanoseconds."""
    return [p.stat().st_mtime_ns for p in paths]


def test_folder_builds_every_good_statement_and_reports_the_failure(project, cli):
    folder = Path("batch")
    folder.mkdir()
    shutil.copyfile(SEED, folder / "seed.yaml")
    (folder / "minimal.yaml").write_text(MINIMAL, encoding="utf-8")
    (folder / "press.yaml").write_text(MINIMAL.replace("kind: statement", "kind: press-release"), encoding="utf-8")
    (folder / "broken.yaml").write_text(MINIMAL.replace("First paragraph.", "Cites [@nosuchkey]."), encoding="utf-8")
    result = cli("build", "batch", "--to", "docx,pdf")
    assert result.exit_code == 2
    assert "batch/broken.yaml:8:12: unknown citation key 'nosuchkey'" in result.stderr
    assert "built 3, up to date 0, failed 1 (4 statements in " in result.stderr
    for stem in ("seed", "minimal", "press", "broken"):
        built = [Path("build") / f"{stem}.{fmt}" for fmt in ("docx", "pdf")]
        assert all(p.is_file() for p in built) == (stem != "broken"), stem


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
    folder = own_folder()  # translations among them: what they extend is part of the cache key
    assert cli("build", str(folder), "--to", "docx").exit_code == 0
    result = cli("build", str(folder), "--to", "docx")
    count = len(list(folder.glob("*.yaml")))
    assert result.stdout.count(": up to date\n") == count
    assert f"built 0, up to date {count}, failed 0" in result.output


def own_folder() -> Path:
    """Make a statements folder with an original, a chain of two translations and an unrelated statement."""
    folder = Path("own")
    folder.mkdir()
    (folder / "original.yaml").write_text(MINIMAL, encoding="utf-8")
    (folder / "original.th.yaml").write_text("extends: original.yaml\nlang: th\n", encoding="utf-8")
    (folder / "original.th-short.yaml").write_text("extends: 'original.th.yaml'  # a chain\n", encoding="utf-8")
    (folder / "other.yaml").write_text(MINIMAL, encoding="utf-8")
    return folder


def test_with_translations_builds_the_chain(project, cli):
    folder = own_folder()
    result = cli("build", str(folder / "original.yaml"), "--to", "docx", "--with-translations")
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in Path("build").glob("*.docx"))
    assert built == ["original.docx", "original.th-short.docx", "original.th.docx"]


def test_statement_files_expands_folders_once(project):
    folder = own_folder()
    original = folder / "original.yaml"
    assert statement_files([folder, original]) == sorted(folder.glob("*.yaml"))
    assert with_translations([original]) == [original, folder / "original.th-short.yaml", folder / "original.th.yaml"]


def test_empty_folder_is_an_error(project, cli):
    Path("empty").mkdir()
    result = cli("build", "empty")
    assert result.exit_code == 2
    assert result.stderr.startswith("no statements (.yaml files) in empty; statements live in statements/ of a project")


def test_two_statements_with_the_same_name_do_not_overwrite_each_other(project, cli):
    write_statement(project, "same.yaml", MINIMAL)
    Path("other").mkdir()
    Path("other/same.yaml").write_text(MINIMAL.replace("A short statement", "Another"), encoding="utf-8")
    result = cli("build", "statements/same.yaml", "other/same.yaml", "--to", "docx")
    assert result.exit_code == 2
    assert "other/same.yaml: writes the same files as statements/same.yaml; build it on its own or with -o\n" in result.stderr
    assert result.stdout.startswith("built build/same.docx in ")


def test_cache_keeps_entries_written_by_another_build(project, cli):
    from mmnpress.pipeline import cache

    write_statement(project, "a.yaml", MINIMAL)
    write_statement(project, "b.yaml", MINIMAL)
    first = cache.load(Path("build").resolve())
    cli("build", "statements/a.yaml", "--to", "docx")
    cli("build", "statements/b.yaml", "--to", "docx")
    first.record({Path("build/c.docx"): "0" * 64}, "k")
    first.save()
    assert sorted(cache.load(Path("build")).entries) == ["a.docx", "b.docx", "c.docx"]


def test_workers_are_started_only_where_they_pay(monkeypatch):
    from mmnpress import batch

    monkeypatch.setattr(batch, "cpu_count", lambda: 4)
    monkeypatch.setattr(batch.os, "getloadavg", lambda: (0.5, 0.5, 0.5))
    assert [batch.workers_worth_starting(n) for n in (1, 5, 6, 12, 100)] == [1, 1, 1, 2, 4]
    monkeypatch.setattr(batch.os, "getloadavg", lambda: (3.2, 3.0, 3.0))  # one core left idle
    assert batch.workers_worth_starting(100) == 1
