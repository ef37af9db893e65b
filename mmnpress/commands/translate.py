"""The `mmnpress translate` commands: thin click wrappers around export and import.

Imports stay inside the commands so that `mmnpress --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..reporting import reports_errors

FORMATS = {"xliff": ".xlf", "po": ".po", "docx": ".docx"}


@click.group()
def translate() -> None:
    """Hand a statement to translators (XLIFF, PO, bilingual Word) and bring their translation back."""


@translate.command("export")
@click.argument("statement", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", required=True, metavar="LL", help="The language to translate into (BCP 47: th, my, km, lo, vi).")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="xliff", show_default=True, help="The exchange format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (default: build/<stem>.<lang>.xlf|po|docx in the project).")
@click.option("--no-memory", is_flag=True, help="Do not pre-fill or offer translations from the project's other translations.")
@reports_errors
def export_command(statement, lang, fmt, output, no_memory) -> None:
    """Write STATEMENT's translatable fields into an exchange file for translators."""
    from ..translation.exporter import export

    written, counts = export(statement, lang, fmt, output, memory=not no_memory)
    click.echo(f"{written}: {counts}")


@translate.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--partial", is_flag=True, help="Accept untranslated segments (the original's text stays for them).")
@click.option("--accept-stale", is_flag=True, help="Accept segments whose source changed since the export; check goes on naming them.")
@click.option("--dry-run", is_flag=True, help="Check the file and write nothing.")
@reports_errors
def import_command(file, partial, accept_stale, dry_run) -> None:
    """Check a translated exchange FILE and write <stem>.<lang>.yaml beside the original."""
    from ..translation.importer import import_file, report

    click.echo(report(import_file(file, partial=partial, accept_stale=accept_stale, write=not dry_run), dry_run))
