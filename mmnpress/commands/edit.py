"""The `mmnpress edit` command: a thin click wrapper around `editor.server.Editor`."""

from __future__ import annotations

from pathlib import Path

import click

from ..reporting import reports_errors
from .serving import serve_until_stopped


@click.command()
@click.argument("statement", required=False, type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Do not open the editor in a browser.")
@reports_errors
def edit(statement, port, no_browser) -> None:
    """Edit statements in the browser: a form, the live page, saving that keeps comments (127.0.0.1 only)."""
    from ..editor.server import Editor
    from ..editor.workspace import Refused
    from ..errors import MmnpressError
    from ..pipeline.project import find_root, project_around

    root = find_root(statement) if statement else project_around(Path.cwd())
    try:
        server = Editor(root, None, port)
    except OSError as error:
        raise MmnpressError(f"mmnpress: cannot listen on 127.0.0.1:{port}: {error.strerror or error}") from None
    if statement:
        if not statement.is_file():
            raise MmnpressError(f"{statement}:1:1: no such statement file")
        try:
            server.first = server.workspace.relative(server.workspace.path(server.workspace.relative(statement)))
        except (Refused, ValueError):
            raise MmnpressError(f"{statement}:1:1: the editor opens statements in the statements/ folder of a project") from None
    click.echo(f"editing the statements of {root} at {server.url} (Ctrl-C stops)")
    serve_until_stopped(server, no_browser, server.server.server_close)
