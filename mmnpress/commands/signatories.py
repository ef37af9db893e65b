"""The `mmnpress signatories` commands: thin click wrappers around import, export and check."""

from __future__ import annotations

from pathlib import Path

import click

from ..reporting import reports_errors


@click.group()
def signatories() -> None:
    """Import, export and check the signatories of a joint statement."""


@signatories.command("import")
@click.argument("export", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--statement", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The statement to add them to.")
@click.option("--map", "mapping", multiple=True, metavar="COLUMN=FIELD",
              help="Read COLUMN as FIELD: name, organisation, first_name, last_name, country, email, consent, timestamp or ignore.")
@click.option("--dry-run", is_flag=True, help="Print the report and write nothing.")
@reports_errors
def import_(export, statement, mapping, dry_run) -> None:
    """Add the new signatories of a sign-on form's export FILE (CSV, XLSX, ODS) to the statement."""
    from ..signatories.merge import import_signatories, report

    click.echo(report(import_signatories(export, statement, tuple(mapping), write=not dry_run), dry_run), nl=False)


@signatories.command()
@click.argument("statement", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.csv or FILE.xlsx")
@reports_errors
def export(statement, out) -> None:
    """Write the statement's signatories to a CSV or XLSX file for partners and funders."""
    from ..signatories.export import export_file

    click.echo(f"{export_file(statement, out)} signatories written to {out}")


@signatories.command()
@click.argument("statement", type=click.Path(dir_okay=False, path_type=Path))
@reports_errors
def check(statement) -> None:
    """Report duplicate signatories and unknown countries in the statement's list."""
    from ..signatories.export import check_list

    click.echo(check_list(statement))
