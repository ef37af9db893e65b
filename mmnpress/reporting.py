"""Turn failures into the lines and exit status every command shares.

Commands of the main CLI and of its groups (`mmnpress review`) wrap
themselves in `reports_errors`; it lives below the CLI so a group's module
need not import the CLI that registers it.
"""

from __future__ import annotations

import functools
import sys

import click

EXIT_PROBLEMS = 2


def reports_errors(command):
    """Turn mmnpress errors (and anything unexpected) into lines and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .errors import INTERRUPTED, MmnpressError, escaped

        try:
            return command(*args, **kwargs)
        except MmnpressError as error:
            for line in error.lines():
                click.echo(escaped(line), err=True)
            sys.exit(EXIT_PROBLEMS)
        except KeyboardInterrupt:
            click.echo(INTERRUPTED, err=True)
            sys.exit(130)
        except Exception as error:  # a bug of ours must still not show a traceback
            click.echo(escaped(f"mmnpress: internal error: {type(error).__name__}: {error}"), err=True)
            sys.exit(EXIT_PROBLEMS)

    return wrapper
