"""The `mmnpress review` commands: thin click wrappers around pull and apply.

Imports stay inside the commands so that `mmnpress --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..reporting import reports_errors

FORMATS = ("text", "json", "yaml")


@click.group()
def review() -> None:
    """Read reviewers' comments and tracked changes back into the YAML."""


@review.command()
@click.argument("reviewed", metavar="REVIEWED.docx", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--statement", type=click.Path(dir_okay=False, path_type=Path), help="Statement to map to (default: the one the draft names).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@reports_errors
def pull(reviewed, statement, fmt) -> None:
    """List the comments and tracked changes of REVIEWED.docx with their YAML paths and lines."""
    from ..review.pull import pull as pull_review
    from ..review.pull import to_data, to_text

    pulled = pull_review(reviewed, statement)
    if fmt == "text":
        click.echo(to_text(pulled), nl=False)
    elif fmt == "json":
        import json

        click.echo(json.dumps(to_data(pulled), ensure_ascii=False, indent=2))
    else:
        import yaml

        click.echo(yaml.safe_dump(to_data(pulled), allow_unicode=True, sort_keys=False, width=1000), nl=False)


@review.command()
@click.argument("reviewed", metavar="REVIEWED.docx", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--statement", type=click.Path(dir_okay=False, path_type=Path), help="Statement to edit (default: the one the draft names).")
@click.option("--only", "only", metavar="AUTHOR", help="Apply only the changes made by AUTHOR.")
@click.option("--dry-run", is_flag=True, help="Print the diff and write nothing.")
@reports_errors
def apply(reviewed, statement, only, dry_run) -> None:
    """Write the tracked changes of REVIEWED.docx into the statement's text fields."""
    from ..review.apply import apply as apply_review
    from ..review.apply import report

    outcome = apply_review(reviewed, statement, only=only, write=not dry_run)
    click.echo(report(outcome, dry_run), nl=False)
