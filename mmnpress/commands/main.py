"""The command line: thin click commands that call the stages.

Imports are lazy so `mmnpress --help` starts fast. Every failure a user can
cause prints one line per problem on stderr and exits with status 2.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .. import __version__
from ..options import click_options, gather
from ..render import DEFAULT_FORMATS
from ..reporting import EXIT_PROBLEMS, reports_errors
from ..schema import KINDS
from .edit import edit
from .project import init, templates
from .publish import publish
from .review import review
from .serving import serve_until_stopped
from .signatories import signatories
from .site import site
from .translate import translate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mmnpress")
def main() -> None:
    """Build advocacy statements written in YAML into Word and PDF."""


def output_options(command):
    """Add the options that choose which formats a build writes, and where (shared by build and watch)."""
    for option in reversed((
        click.option("--to", "to", default=",".join(DEFAULT_FORMATS), show_default=True, help="Output formats, comma-separated, or all."),
        click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Output folder."),
    )):
        command = option(command)
    return command


def _formats(value: str) -> tuple[str, ...]:
    """Return the formats `--to` names, comma-separated; `all` is every format."""
    from ..render import names

    known = names()
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    if "all" in formats:
        formats = known
    if not formats or any(f not in known for f in formats):
        from ..errors import MmnpressError

        raise MmnpressError(f"mmnpress: --to takes one or more of {', '.join(known)}, comma-separated, or all (got {value!r})")
    return formats


@main.command()
@click.argument("statements", nargs=-1, type=click.Path(path_type=Path))
@output_options
@click_options("build")
@click.option("--force", is_flag=True, help="Build even when the outputs are up to date.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Statements built at once (default: one per idle core, at most one per 6 statements).")
@click.option("--redline-against", "against", metavar="REV", help="Also write <name>.redline.docx: changes since git revision REV.")
@reports_errors
def build(statements, to, out_dir, force, jobs, against, **chosen) -> None:
    """Build STATEMENTS (files or folders; default: the project's statements/) into build/<name>.docx and .pdf.

    Statements whose inputs did not change since their last build are
    skipped; --force builds them anyway.
    """
    from ..batch import Batch

    options, render_options = gather(chosen)
    requests = build_requests(statements, to, out_dir, options, render_options)
    files = [request.path for request in requests]
    started = time.perf_counter()
    outcomes = _run(Batch(requests, force), jobs)
    _report(outcomes, time.perf_counter() - started)
    if any(o.status == "failed" for o in outcomes):
        sys.exit(EXIT_PROBLEMS)
    for path in files if against else ():
        _redline(None, path, against, out_dir, None, options)


def build_requests(statements, to, out_dir, options, render_options) -> list:
    """Return what `mmnpress build` with these options builds: one `Request` per statement file."""
    from ..build import Request

    formats = _formats(to)
    files = _statement_files(_project_statements(statements), options.with_translations)
    return [Request(path, formats, out_dir, options, render_options) for path in files]


def requests_of(argv: list[str]) -> list:
    """Return the requests of the command line `argv` ("build", then its arguments and options)."""
    parsed = dict(build.make_context("build", list(argv[1:])).params)
    options, render_options = gather(parsed)
    return build_requests(parsed["statements"], parsed["to"], parsed["out_dir"], options, render_options)


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", required=False, type=click.Path(path_type=Path))
@click.option("--against", metavar="REV", help="Take OLD from git at revision REV; the one argument is NEW.")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--author", help="Author of the tracked changes (default: git's user.name).")
@click_options("redline")
@reports_errors
def redline(old, new, against, out_dir, author, **chosen) -> None:
    """Write build/<NEW>.redline.docx: NEW with every change from OLD as tracked changes.

    mmnpress redline OLD.yaml NEW.yaml, or mmnpress redline NEW.yaml --against HEAD~1.
    """
    from ..errors import MmnpressError

    if (new is None) == (against is None):
        raise MmnpressError("mmnpress: redline takes OLD and NEW, or one statement and --against REV")
    if against is not None:
        old, new = None, old
    _redline(old, new, against, out_dir, author, gather(chosen)[0])


def _redline(old: Path | None, new: Path, against: str | None, out_dir, author, options) -> None:
    from ..redline.write import redline as write_redline
    from ..redline.write import redline_against

    started = time.perf_counter()
    if against is not None:
        done = redline_against(new, against, out_dir, author, options)
    else:
        done = write_redline(old, new, out_dir, author, options)
    click.echo(f"redline {_shown(done.path)} in {time.perf_counter() - started:.2f} s")
    for line in done.tally.lines() or ["no changes"]:
        click.echo(f"  {line}")


def _project_statements(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """Return `paths`, with no path or "." meaning the statements/ folder of the project around."""
    if paths and paths != (Path("."),):
        return paths
    from ..pipeline.project import project_around

    folder = project_around(Path.cwd()) / "statements"
    return (folder,) if folder.is_dir() else paths or (Path("."),)


def _statement_files(paths: tuple[Path, ...], translations: bool = False) -> list[Path]:
    from ..errors import MmnpressError
    from ..pipeline.discovery import statement_files, with_translations

    files = statement_files(paths)
    files = with_translations(files) if translations else files
    if not files:
        raise MmnpressError(f"no statements (.yaml files) in {', '.join(_shown(p) for p in paths)}; statements live in "
                            "statements/ of a project (`mmnpress init` makes one; `mmnpress new KIND SLUG` adds a statement)")
    return files


def _run(batch, jobs: int | None) -> list:
    if len(batch.requests) > 1 and sys.stdout.isatty():
        with click.progressbar(length=len(batch.requests), label="building", item_show_func=lambda name: name) as bar:
            return batch.run(lambda outcome: bar.update(1, outcome.path.name), jobs)
    return batch.run(_echo_outcome, jobs)


def _echo_outcome(outcome) -> None:
    if outcome.status == "built":
        profile = f" with {outcome.profile}" if outcome.profile else ""
        click.echo(f"built {', '.join(_shown(p) for p in outcome.outputs)} in {outcome.seconds:.2f} s{profile}")
    elif outcome.status == "fresh":
        click.echo(f"{_shown(outcome.path)}: up to date")


def _report(outcomes: list, seconds: float) -> None:
    failed = [o for o in outcomes if o.status == "failed"]
    for outcome in failed:
        for line in outcome.lines:
            click.echo(line, err=True)
    if len(outcomes) > 1:
        counts = {status: sum(o.status == status for o in outcomes) for status in ("built", "fresh", "failed")}
        summary = f"built {counts['built']}, up to date {counts['fresh']}, failed {counts['failed']}"
        click.echo(f"{summary} ({len(outcomes)} statements in {seconds:.2f} s)", err=bool(failed))


def _shown(path: Path) -> str:
    """Return `path` as printed on a line: relative to the working folder, control characters escaped."""
    from ..errors import display_path, escaped

    return escaped(display_path(path))


@main.command()
@click.argument("statements", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--to", "to", default="", help="Formats they will be built to: adds the checks of html, email and ninjs; "
              "'site' names the statements mmnpress site leaves out, and why.")
@click_options("check")
@reports_errors
def check(statements, strict, output_format, to, **chosen) -> None:
    """Validate and lint STATEMENTS (files or folders; default: statements/) without writing anything.

    With --to, also check what those formats need: an embargoed release
    going to html or email is a warning; --to ninjs builds the ninjs object
    in memory and validates it against the official schema.

    Exit status: 0 clean, 1 warnings only, 2 errors (or warnings with --strict).
    """
    from ..check.engine import check_file

    site = "site" in [f.strip().lower() for f in to.split(",")]
    rest = ",".join(f for f in to.split(",") if f.strip().lower() != "site")
    formats = (_formats(rest) if rest.strip() else ()) + (("site",) if site else ())
    ninjs_version = gather(chosen)[1].ninjs_version
    files = _statement_files(_project_statements(statements))
    findings = {path: _strict(check_file(path, formats=formats, ninjs_version=ninjs_version), strict) for path in files}
    every = [f for found in findings.values() for f in found]
    if output_format == "json":
        click.echo(_json_report(files, every))
    else:
        _echo_findings(findings)
    sys.exit(_check_status(every))


def _strict(findings: list, strict: bool) -> list:
    import dataclasses

    return [dataclasses.replace(f, severity="error") for f in findings] if strict else findings


def _echo_findings(findings: dict) -> None:
    for path, found in findings.items():
        for finding in found:
            click.echo(str(finding))
        if not found:
            click.echo(f"{_shown(path)}: ok")


def _json_report(files: list[Path], findings: list) -> str:
    import json

    from ..errors import display_path

    errors = sum(f.severity == "error" for f in findings)
    report = {
        "files": [display_path(p) for p in files],
        "problems": [f.as_dict() for f in findings],
        "errors": errors,
        "warnings": len(findings) - errors,
        "exit_status": _check_status(findings),
    }
    return json.dumps(report, ensure_ascii=False, indent=2)


def _check_status(findings: list) -> int:
    if any(f.severity == "error" for f in findings):
        return EXIT_PROBLEMS
    return 1 if findings else 0


@main.command()
@click.argument("kind", required=False, type=click.Choice(KINDS))
@click.argument("slug", required=False)
@click.option("--lang", default="en", show_default=True, help="Language of the statement (BCP 47 tag).")
@click.option("--organisation", help="Organisation profile under templates/ (needed when there are several).")
@click.option("--translate", "original", metavar="STATEMENT", type=click.Path(path_type=Path),
              help="Start STATEMENT's translation into --lang instead: <stem>.<lang>.yaml, extending it.")
@reports_errors
def new(kind, slug, lang, organisation, original) -> None:
    """Start statements/<today>-SLUG.yaml from the skeleton of KIND (or a translation: --translate STATEMENT --lang L)."""
    from ..errors import MmnpressError

    if original is not None:
        if kind or slug or organisation:
            raise MmnpressError("mmnpress: new --translate takes the statement and --lang only (a translation keeps its kind and organisation)")
        from ..translation.skeleton import create_translation

        path = create_translation(original, lang)
    elif kind is None or slug is None:
        raise MmnpressError("mmnpress: new takes KIND and SLUG (mmnpress new press-release wage-theft), or --translate STATEMENT --lang L")
    else:
        from ..skeleton import create

        path = create(kind, slug, lang=lang, organisation=organisation)
    click.echo(f"wrote {_shown(path)}")


@main.command()
@click.argument("statements", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_options
@click_options("watch")
@click.option("--interval", type=click.FloatRange(min=0.05), default=0.3, show_default=True,
              help="Seconds between looks where the file system gives no notice of changes.")
@reports_errors
def watch(statements, to, out_dir, interval, **chosen) -> None:
    """Rebuild STATEMENTS each time they, their bibliographies or templates are saved."""
    from ..build import Request
    from ..live.watch import Watcher

    formats = _formats(to)
    requests = [Request(p, formats, out_dir, *gather(chosen)) for p in _statement_files(statements)]
    click.echo(f"watching {len(requests)} statement{'s' if len(requests) > 1 else ''}; Ctrl-C stops")
    try:
        Watcher(requests, click.echo, lambda line: click.echo(line, err=True)).run(interval)
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command()
@click.option("--profile", is_flag=True, help="Print the schema of organisation profiles (templates/<name>/profile.yaml) instead.")
@reports_errors
def schema(profile) -> None:
    """Print the JSON Schema of statement files, for editors that check YAML while you type."""
    if profile:
        from ..profile.export import json_text
    else:
        from ..schema_json import json_text

    click.echo(json_text(), nl=False)


@main.command()
@click.argument("statement", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@click_options("preview")
@reports_errors
def preview(statement, port, no_browser, **chosen) -> None:
    """Serve STATEMENT's web page on 127.0.0.1 and reload it on every save."""
    from ..build import Request
    from ..errors import MmnpressError
    from ..live.preview import Preview

    if not statement.is_file():
        raise MmnpressError(f"{_shown(statement)}:1:1: no such statement file")
    try:
        server = Preview(Request(statement, ("html",), None, *gather(chosen)), port,
                         click.echo, lambda line: click.echo(line, err=True))
    except OSError as error:
        raise MmnpressError(f"mmnpress: cannot listen on 127.0.0.1:{port}: {error.strerror or error}") from None
    click.echo(f"previewing {_shown(statement)} at {server.url} (Ctrl-C stops)")
    serve_until_stopped(server, no_browser, server.remove)


@main.command()
@click.argument("query", required=False)
@click.option("--dependent", is_flag=True, help="Also list dependent styles (journal names that reuse an independent one).")
@reports_errors
def styles(query, dependent) -> None:
    """List the citation styles whose names contain QUERY (independent ones; --dependent adds the rest)."""
    from ..pipeline.bibliography import styles_folder

    folder = styles_folder()
    names = [p.stem for p in folder.glob("*.csl")]
    if dependent:
        names += [f"{p.stem} (dependent)" for p in (folder / "dependent").glob("*.csl")]
    found = sorted(n for n in names if not query or query.lower() in n.split(" ")[0])
    if not found:
        click.echo(f"no citation style name contains '{query}'" + ("" if dependent else "; --dependent searches the dependent styles too"),
                   err=True)
        sys.exit(1)
    _echo_lines(found)


def _echo_lines(lines: list[str]) -> None:
    """Print lines; a reader that stops early (mmnpress styles | head) is no error."""
    import os

    try:
        for line in lines:
            click.echo(line)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python flushes stdout again at exit
        sys.exit(0)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--zawgyi", is_flag=True, required=True, help="Convert Burmese typed in Zawgyi to Unicode.")
@reports_errors
def fix(files, zawgyi) -> None:
    """Rewrite FILES in place, keeping their comments: --zawgyi converts Zawgyi Burmese to Unicode."""
    from ..files import write_atomically
    from ..fix import fix_files

    results = fix_files(files)  # every file converts before any is written
    for path, (before, after, fields) in results.items():
        if before != after:
            write_atomically(path, after.encode("utf-8"))
            click.echo(f"{_shown(path)}: converted {len(fields)} value{'s' if len(fields) > 1 else ''} from Zawgyi: {', '.join(fields)}")
        else:
            click.echo(f"{_shown(path)}: no Zawgyi text")


main.add_command(review)
main.add_command(translate)
main.add_command(init)
main.add_command(templates)
main.add_command(site)
main.add_command(publish)
main.add_command(signatories)
main.add_command(edit)


if __name__ == "__main__":
    main()
