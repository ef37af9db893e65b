"""The `mmnpress init` and `mmnpress templates` commands: thin click wrappers.

Imports stay inside the commands so that `mmnpress --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..reporting import reports_errors


@click.command()
@click.argument("folder", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--organisation", "slug", help="Folder name of the organisation under templates/ (default: from the short name or FOLDER).")
@click.option("--name", help='Full name of the organisation, e.g. "Migrant Workers Rights Network".')
@click.option("--short-name", "short_name", help='Short name, e.g. "MWRN" (default: the initials of --name).')
@click.option("--lang", default="en", show_default=True, help="Language of the example statements (BCP 47 tag).")
@click.option("--ci", type=click.Choice(["github", "gitlab"]), help="Also write a workflow that checks, builds the site and publishes it to Pages.")
@reports_errors
def init(folder, slug, name, short_name, lang, ci) -> None:
    """Make FOLDER (default: here) a project that builds: profile, examples, bibliography.

    Never overwrites a file: in a folder that holds some of them already,
    only what is missing is added.
    """
    from ..init import init as make_project
    from ..init import next_steps
    from ..site.ci import workflow

    more = dict([workflow(ci)]) if ci else {}
    for line in next_steps(make_project(folder, slug, name, lang, short_name=short_name, more=more)):
        click.echo(line)


@click.group()
def templates() -> None:
    """Word templates made from an organisation's profile.yaml."""


@templates.command()
@click.argument("organisation", required=False)
@reports_errors
def make(organisation) -> None:
    """Write templates/ORGANISATION/<kind>.docx from its profile, to edit in Word.

    Builds make them from profile.yaml by themselves; write them only to
    change them by hand. Kept templates are used as they are until deleted.
    """
    from ..pipeline.project import choose_organisation, load_organisation, project_around
    from ..templates import make as make_templates

    folder = choose_organisation(project_around(Path.cwd()), organisation)
    from ..errors import display_path

    for path in make_templates(load_organisation(folder)):
        click.echo(f"wrote {display_path(path)}")
