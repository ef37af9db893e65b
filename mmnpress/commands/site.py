"""The `mmnpress site` command: a thin click wrapper around `site.make.make_site`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..reporting import EXIT_PROBLEMS, reports_errors


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Site folder (default: build/site).")
@click.option("--base-url", metavar="URL", help="Where the site is published: absolute addresses in feeds, sitemap and canonical links.")
@click.option(
    "--at",
    "at",
    metavar="DATETIME",
    help="Build the site as it stands at this time (ISO 8601, e.g. 2017-11-22T09:00+07:00): embargoes that end by then are over.",
)
@click.option("--drafts", is_flag=True, help="Also publish statements with status: draft.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Statements built at once.")
@reports_errors
def site(folder, out_dir, base_url, at, drafts, jobs) -> None:
    """Build the project's statements into a static website in build/site/ (FOLDER: the project, default here).

    Each statement's page with its PDF and Word files, archive pages, Atom
    feeds, sitemap, search. Files whose bytes did not change are not written again.
    """
    from ..errors import display_path, escaped
    from ..pipeline.project import project_around
    from ..site.make import make_site
    from ..site.settings import normal_base_url

    root = project_around(folder or Path.cwd())
    report = make_site(root, out_dir, normal_base_url(base_url) if base_url is not None else None, parse_at(at), drafts, jobs)
    for item in report.left_out:
        click.echo(escaped(f"{display_path(item.path)}: left out: {item.reason}"))
    for lines in report.failed.values():
        for line in lines:
            click.echo(line, err=True)
    done = report.written
    click.echo(
        f"site {escaped(display_path(report.folder))}: {len(report.entries)} statements ({report.built} built), "
        f"{len(done.written)} files written, {len(done.unchanged)} unchanged, {len(done.removed)} removed "
        f"in {report.seconds:.2f} s"
    )
    if not report.site.base_url:
        click.echo("no sitemap.xml: a sitemap needs absolute addresses; give --base-url or site.base_url in the profile")
    if report.failed:
        sys.exit(EXIT_PROBLEMS)


def parse_at(value: str | None) -> dt.datetime | None:
    """Return the time --at names: a date and time with its UTC offset, or a date (its start, UTC)."""
    from ..errors import MmnpressError

    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise MmnpressError(f"mmnpress: --at takes a date and time like 2017-11-22T09:00+07:00 (got {value!r})") from None
    if len(value) == 10:
        return moment.replace(tzinfo=dt.UTC)
    if moment.tzinfo is None:
        raise MmnpressError(f"mmnpress: --at needs the time's UTC offset, like 2017-11-22T09:00+07:00 (got {value!r})")
    return moment
