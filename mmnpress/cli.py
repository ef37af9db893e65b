"""The command line: thin click commands that call the stages.

Imports are lazy so `mmnpress --help` starts fast. Every failure a user can
cause prints one line per problem on stderr and exits with status 2.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from . import __version__

EXIT_PROBLEMS = 2


def reports_errors(command):
    """Turn mmnpress errors (and anything unexpected) into lines and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .errors import MmnpressError

        try:
            return command(*args, **kwargs)
        except MmnpressError as error:
            for line in error.lines():
                click.echo(line, err=True)
            sys.exit(EXIT_PROBLEMS)
        except KeyboardInterrupt:
            click.echo("mmnpress: interrupted; no output was left half-written", err=True)
            sys.exit(130)
        except Exception as error:  # a bug of ours must still not show a traceback
            click.echo(f"mmnpress: internal error: {type(error).__name__}: {error}", err=True)
            sys.exit(EXIT_PROBLEMS)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mmnpress")
def main() -> None:
    """Build advocacy statements written in YAML into Word and PDF."""


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in ("docx", "pdf")]
    if unknown or not formats:
        raise click.BadParameter(f"choose from docx, pdf (got {value!r})")
    return formats


@main.command()
@click.argument("statements", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", default="docx,pdf", show_default=True, help="Output formats, comma-separated.")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--final", is_flag=True, help="Build without the DRAFT watermark.")
@click.option("--csl", help="Citation style name or .csl path (overrides the statement).")
@click.option("--pdf-standard", default="ua-1,a-2a", show_default=True, help="Typst PDF standards, or 'none'.")
@reports_errors
def build(statements, to, out_dir, final, csl, pdf_standard) -> None:
    """Build STATEMENTS into build/<name>.docx and .pdf."""
    from .assemble import Options
    from .build import Request
    from .build import build as build_one

    formats = _formats(to)
    for path in statements:
        request = Request(path, formats, out_dir, Options(final=final, csl=csl), pdf_standard)
        result = build_one(request)
        outputs = ", ".join(_shown(p) for p in result.outputs)
        click.echo(f"built {outputs} in {result.seconds:.2f} s")


def _shown(path: Path) -> str:
    from .errors import display_path

    return display_path(path)


@main.command()
@click.argument("statements", nargs=-1, required=True, type=click.Path(path_type=Path))
@reports_errors
def check(statements) -> None:
    """Validate STATEMENTS without writing anything."""
    from .assemble import Options, resolve

    for path in statements:
        resolve(path, Options())
        click.echo(f"{_shown(path)}: ok")


@main.command()
@click.argument("query", required=False)
@reports_errors
def styles(query) -> None:
    """List the citation styles whose names contain QUERY."""
    from .cite import style_names

    for name in style_names():
        if not query or query.lower() in name:
            click.echo(name)


def _register_subgroups() -> None:
    """Attach command groups that live in their own modules."""
    # subgroup registrations go here, one line each


_register_subgroups()


if __name__ == "__main__":
    main()
