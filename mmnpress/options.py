"""The command-line options that change what a build makes, declared once.

Each `Option` below says what it is called, what it takes, its default and
help, which commands offer it, which formats it changes, at which stage it
is read, and whether it enters the build's cache key. From this table come:

- the click options of `build`, `watch`, `preview`, `check` and `redline`
  (`click_options`), and the two records the command line hands on
  (`gather`);
- `Options`, what the resolve and assemble stages read (`resolve.Options`);
- `RenderOptions`, what every renderer is given (`render.RenderOptions`);
- the options part of the build's cache key (`key_parts`, `document_key_parts`).

Adding an option is one entry in `OPTIONS` and its use where it is read: a
renderer reads ``options.<name>``, the resolve stage ``options.<name>``.
An option leaves the cache key only when declared ``changes_output=False``;
tests/test_options.py fails when a declared option does not change the key.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

RESOLVE = "resolve"  # read when the statement is resolved and assembled into the render model
RENDER = "render"  # handed to the renderers with the render model
DEFAULT_PDF_STANDARDS = "ua-1,a-2a"
BUILDING = ("build", "watch")  # the commands that write output files


@dataclass(frozen=True)
class Option:
    """One option of the command line that changes what is built."""

    name: str  # the attribute of Options or RenderOptions, and of the click parameter
    help: str
    default: Any = None
    stage: str = RENDER
    choices: tuple[str, ...] = ()
    switch: bool = False  # on or off; the flag is --name, or --no-name when the default is on
    commands: tuple[str, ...] = BUILDING
    formats: tuple[str, ...] = ()  # the formats it changes; () for every format
    changes_output: bool = True  # enters the cache key

    @property
    def flag(self) -> str:
        """Return the flag users type: --pdf-standard, --no-embed-fonts."""
        words = self.name.replace("_", "-")
        return f"--no-{words}" if self.switch and self.default else f"--{words}"

    def type_name(self) -> type:
        """Return the Python type of the value."""
        return bool if self.switch else str


OPTIONS = (
    Option(
        "final",
        "Build without the DRAFT watermark (a web page: without the DRAFT notice).",
        False,
        RESOLVE,
        switch=True,
        commands=(*BUILDING, "preview", "redline"),
    ),
    Option("csl", "Citation style name or .csl path (overrides the statement).", None, RESOLVE, commands=(*BUILDING, "preview", "redline")),
    Option(
        "with_translations",
        "Also build the statements that extend these (and link the language family).",
        False,
        RESOLVE,
        switch=True,
        commands=("build",),
        formats=("html", "email", "ninjs"),
    ),
    Option("pdf_standard", "Typst PDF standards, or 'none'.", DEFAULT_PDF_STANDARDS, formats=("pdf",)),
    Option(
        "ninjs_version",
        "IPTC ninjs version of --to ninjs: 2 (2.2) or 3 (3.1).",
        "2",
        choices=("2", "3"),
        commands=(*BUILDING, "check"),
        formats=("ninjs",),
    ),
    Option(
        "embed_fonts",
        "Leave the fonts out of the Word file and the web page (smaller; needs the fonts installed to show right).",
        True,
        switch=True,
        formats=("docx", "html"),
    ),
)


def declared(stage: str) -> tuple[Option, ...]:
    """Return the options read at `stage`, in the order they are declared."""
    return tuple(o for o in OPTIONS if o.stage == stage)


def _record(name: str, stage: str, doc: str) -> type:
    """Return a frozen dataclass with one field per option of `stage`, defaults as declared."""
    fields = [(o.name, o.type_name() | None if o.default is None else o.type_name(), dataclasses.field(default=o.default)) for o in declared(stage)]
    record = dataclasses.make_dataclass(name, fields, frozen=True, namespace={"__doc__": doc})
    record.__module__ = __name__  # pickled to the PDF's child process by name
    return record


Options = _record("Options", RESOLVE, "Choices from the command line that the resolve and assemble stages read.")
RenderOptions = _record("RenderOptions", RENDER, "What a build asks of its renderers beyond the document and the templates.")


def for_command(command: str) -> tuple[Option, ...]:
    """Return the options `command` offers."""
    return tuple(o for o in OPTIONS if command in o.commands)


def click_options(command: str) -> Callable:
    """Return a decorator adding the click options `command` offers (their values reach it by their names)."""
    import click

    def decorate(function: Callable) -> Callable:
        for option in reversed(for_command(command)):
            function = click.option(option.flag, option.name, **_click_settings(option))(function)
        return function

    return decorate


def _click_settings(option: Option) -> dict[str, Any]:
    import click

    if option.switch:
        return {"is_flag": True, "flag_value": not option.default, "default": option.default, "help": option.help}
    shown = {"default": option.default, "show_default": True} if option.default is not None else {}
    typed = {"type": click.Choice(option.choices)} if option.choices else {}
    return {**shown, **typed, "help": option.help}


def gather(params: dict[str, Any]) -> tuple[Any, Any]:
    """Take the declared options out of a command's `params`; return them as (Options, RenderOptions)."""
    found = {o.name: params.pop(o.name) for o in OPTIONS if o.name in params}
    return (
        Options(**{o.name: found[o.name] for o in declared(RESOLVE) if o.name in found}),
        RenderOptions(**{o.name: found[o.name] for o in declared(RENDER) if o.name in found}),
    )


def key_parts(options: Any, render_options: Any) -> dict[str, Any]:
    """Return the value of every option that enters the build's cache key, by name."""
    values = {**dataclasses.asdict(options), **dataclasses.asdict(render_options)}
    return {o.name: values[o.name] for o in OPTIONS if o.changes_output}


def document_key_parts(options: Any) -> list[Any]:
    """Return the values of the options the render model depends on (those read before rendering), in declared order."""
    return [getattr(options, o.name) for o in declared(RESOLVE) if o.changes_output]


def markdown_table() -> str:
    """Return the options table of docs/FORMAT.md, generated from `OPTIONS`."""
    lines = ["| Option | Commands | Formats it changes | Default | Description |", "|---|---|---|---|---|"]
    for o in OPTIONS:
        default = "" if o.switch or o.default is None else f"`{o.default}`"
        takes = f" {{{','.join(o.choices)}}}" if o.choices else "" if o.switch else " VALUE"
        formats = ", ".join(o.formats) if o.formats else "all"
        lines.append(f"| `{o.flag}{takes}` | {', '.join(o.commands)} | {formats} | {default} | {o.help} |")
    return "\n".join(lines) + "\n"
