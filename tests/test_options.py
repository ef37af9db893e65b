"""The options that change a build are declared once, in mmnpress/options.py: the rest follows from there."""

from __future__ import annotations

import dataclasses

import pytest

from mmnpress import options
from mmnpress.build import Request, resolve_request
from mmnpress.commands.main import main, requests_of
from mmnpress.options import OPTIONS, RENDER, RESOLVE, Options, RenderOptions
from mmnpress.pipeline.cache import build_key, document_key
from mmnpress.render import formats
from mmnpress.templates import _FINDERS
from tests.conftest import REPO, SEED


def _other(option: options.Option):
    """Return a value of `option` other than its default."""
    if option.switch:
        return not option.default
    if option.choices:
        return next(c for c in option.choices if c != option.default)
    return "none" if option.default else "apa"


def test_the_records_hold_exactly_the_declared_options():
    assert [f.name for f in dataclasses.fields(RenderOptions)] == [o.name for o in OPTIONS if o.stage == RENDER]
    assert [f.name for f in dataclasses.fields(Options)] == [o.name for o in OPTIONS if o.stage == RESOLVE]
    assert RenderOptions() == RenderOptions(**{o.name: o.default for o in OPTIONS if o.stage == RENDER})


def test_every_option_that_changes_the_output_changes_the_cache_key(project):
    request = Request(project / SEED)
    resolved = resolve_request(request)
    before = build_key(resolved, request)
    fields = [(f.name, "options") for f in dataclasses.fields(Options)] + [(f.name, "render_options") for f in dataclasses.fields(RenderOptions)]
    declared = {o.name: o for o in OPTIONS}
    for name, record in fields:
        option = declared[name]
        changed = dataclasses.replace(request, **{record: dataclasses.replace(getattr(request, record), **{name: _other(option)})})
        if option.changes_output:
            assert build_key(resolved, changed) != before, f"{option.flag} is missing from the cache key (cache.build_key)"
        else:
            assert build_key(resolved, changed) == before, f"{option.flag} is declared not to change the output"
        if option.stage == RESOLVE and option.changes_output:
            assert document_key(resolved, changed) != document_key(resolved, request), f"{option.flag} is missing from cache.document_key"


def test_a_command_line_reaches_the_request_by_the_declaration(project):
    argv = ["build", SEED, "--final", "--csl", "apa", "--pdf-standard", "none", "--ninjs-version", "3", "--no-embed-fonts"]
    (request,) = requests_of(argv)
    assert request.options == Options(final=True, csl="apa", with_translations=False)
    assert request.render_options == RenderOptions(pdf_standard="none", ninjs_version="3", embed_fonts=False)
    assert requests_of(["build", SEED])[0].render_options == RenderOptions()


@pytest.mark.parametrize("command", ["build", "watch", "preview", "check", "redline"])
def test_each_command_offers_the_options_declared_for_it(command):
    offered = {p.name for p in main.commands[command].params}
    for option in OPTIONS:
        assert (option.name in offered) == (command in option.commands), (command, option.flag)
    flags = {flag for p in main.commands[command].params for flag in p.opts}
    assert {o.flag for o in options.for_command(command)} <= flags


def test_every_format_names_templates_the_build_can_find():
    for renderer in formats().values():
        assert renderer.templates in _FINDERS, renderer.name
    assert formats()["docx"].templates == "word" and formats()["pdf"].templates == "typst"


def test_render_options_reach_the_pdf_child_by_pickle():
    import pickle

    chosen = RenderOptions(pdf_standard="none")
    assert pickle.loads(pickle.dumps(chosen)) == chosen


def test_format_md_holds_the_generated_options_table():
    text = (REPO / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    start, end = "<!-- options: start -->\n", "<!-- options: end -->"
    assert text[text.index(start) + len(start) : text.index(end)] == options.markdown_table(), "run: python scripts/format_table.py"
