"""Run a local server of a command (preview, edit) until Ctrl-C."""

from __future__ import annotations

import click


def serve_until_stopped(server, no_browser: bool, close) -> None:
    """Open `server.url` in the browser unless `no_browser`, serve until Ctrl-C, then `close()`."""
    if not no_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        close()
