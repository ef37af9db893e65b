"""`mmnpress publish`: send statements to the organisation's WordPress site, and report what is there."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..reporting import reports_errors


@click.group()
def publish() -> None:
    """Publish statements to the organisation's website (WordPress)."""


SITE = click.option("--site", metavar="NAME", help="Which site of 'publish: wordpress:' in the profile (needed when it names several).")
TIMEOUT = click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, help="Seconds to wait for each answer.")


@publish.command()
@click.argument("statements", nargs=-1, required=True, type=click.Path(path_type=Path))
@SITE
@click.option("--publish", "make_live", is_flag=True, help="Publish the posts (an embargoed release is scheduled for its embargo's end); "
              "without it new posts are drafts.")
@click.option("--dry-run", is_flag=True, help="Say what would be uploaded, created and updated; send nothing.")
@click.option("--force", is_flag=True, help="Overwrite a post edited in WordPress since it was last published from here.")
@click.option("--create-categories", is_flag=True, help="Create the profile's category for the statement's kind when the site lacks it.")
@TIMEOUT
@reports_errors
def wordpress(statements, site, make_live, dry_run, force, create_categories, timeout) -> None:
    """Publish STATEMENTS to WordPress as posts, with their PDF in the media library.

    The Application Password comes from MMNPRESS_WORDPRESS_PASSWORD or the
    system keyring (service mmnpress, the site's address as the name).
    Publishing again updates the same posts and sends only what changed.
    """
    from ..publishing import config
    from ..publishing.publish import Choices, Publisher, prepare

    files = _statement_files(statements)
    chosen = _site(files[0], site)
    prepared = [prepare(path, chosen) for path in files]
    publisher = Publisher(chosen, lambda: config.application_password(chosen), Choices(make_live, dry_run, force, create_categories),
                          click.echo, timeout)
    try:
        publisher.publish_all(prepared)
    finally:
        publisher.close()


@publish.command()
@click.argument("statements", nargs=-1, required=True, type=click.Path(path_type=Path))
@SITE
@TIMEOUT
@reports_errors
def status(statements, site, timeout) -> None:
    """Report each statement's post: its status, address, and a schedule WordPress missed.

    Exit status: 0 when all is well, 1 when something needs attention.
    """
    from ..publishing import config
    from ..publishing.status import report

    files = _statement_files(statements)
    chosen = _site(files[0], site)
    warnings = report(files, chosen, lambda: config.application_password(chosen), click.echo, timeout)
    sys.exit(1 if warnings else 0)


def _statement_files(paths) -> list[Path]:
    """Return the statement files of PATHS (files or folders), or say there are none."""
    from ..errors import MmnpressError, display_path
    from ..pipeline.discovery import statement_files

    files = statement_files(tuple(paths))
    if not files:
        raise MmnpressError(f"no statements (.yaml files) in {', '.join(display_path(p) for p in paths)}")
    return files


def _site(statement: Path, name: str | None):
    """Return the site the organisation profile of `statement` names."""
    from ..build import Request, resolve_request
    from ..publishing.config import choose_site, publish_settings

    organisation = resolve_request(Request(statement, ())).organisation
    return choose_site(publish_settings(organisation), name, organisation.folder / "profile.yaml")
