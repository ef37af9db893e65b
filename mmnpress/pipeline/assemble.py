"""Assemble the render model from a resolved statement and the text stage's result.

`resolve` has checked the statement and found what it refers to; here the
text stage runs and a `Document` is filled with rich text, labels and dates
in the document language.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .. import outline, schema
from ..document import Block, Contact, Document, Profile, Recommendation, Signatory, Version, plain_text
from ..errors import InputError, RenderError, display_path
from . import text
from .model import Statement, Text
from .project import Organisation, project_relative
from .resolve import Options, Resolved
from .translations import source_hash


def assemble(resolved: Resolved, options: Options, while_waiting=None) -> Document:
    """Run the text stage and fill the render model.

    `while_waiting`, if given, is called while pandoc runs (to load renderers).
    """
    st = resolved.statement
    try:
        pending = text.start_text_stage(st, resolved.style, resolved.bibliographies, resolved.note_style)
        try:
            if while_waiting is not None:
                while_waiting()
        finally:
            result = pending.finish()
    except RenderError as error:  # pandoc's time limit or memory: say which statement, a folder build has many
        raise RenderError(f"{display_path(st.sources[0]) if st.sources else st.title}: {error}") from None
    return _document(resolved, result, options)


def _document(resolved: Resolved, result: text.TextResult, options: Options) -> Document:
    from .. import i18n

    st = resolved.statement
    labels = i18n.labels(st.lang).text
    profile = _profile_in(resolved.organisation, st.lang)

    texts = _text_blocks(st, result)
    date_text = i18n.format_date(st.date, st.lang)
    return outline.lay_out(Document(
        **texts,
        kind=st.kind,
        lang=st.lang,
        draft=st.status != "final" and not options.final,
        profile=profile,
        labels=labels,
        title_plain=plain_text(texts["title"].text).strip(),
        date_iso=st.date.isoformat(),
        date_text=date_text,
        place=st.place,
        release_line=_release_line(st, labels),
        dateline=outline.dateline(st.place, date_text, st.lang) if st.kind == "press-release" else "",
        recommendations_intro=_block(st.recommendations_intro, result),
        recommendations=tuple(_record(Recommendation, r, result) for r in st.recommendations),
        end_mark=labels["end_mark"] if st.kind == "press-release" else "",
        **_signatories(resolved, result, labels),
        contacts=tuple(_contact(c, st.lang) for c in st.contacts),
        contacts_heading=outline.contacts_heading(labels, st.kind, profile),
        contacts_heading_en="" if st.lang.split("-")[0] == "en" else outline.contacts_heading(i18n.english_labels(), st.kind, profile),
        references=tuple(Block(f"references[{i}]", r) for i, r in enumerate(result.references)),
        source_file=project_relative(st.file, resolved.root),
        source_hash=source_hash(st.sources),
        embargo_iso=st.embargo.isoformat() if st.kind == "press-release" and st.release == "embargoed" and st.embargo else "",
        translation_of=_version(st.sources[1], resolved.root) if len(st.sources) > 1 else None,
        versions=tuple(v for v in (_version(p, resolved.root) for p in resolved.family) if v),
    ))


def _profile_in(organisation: Organisation, lang: str) -> Profile:
    """Return the organisation's profile with its name and short name in `lang`, which every writer prints."""
    return dataclasses.replace(organisation.profile, name=organisation.name_for(lang), short_name=organisation.short_name_for(lang))


def _signatories(resolved: Resolved, result: text.TextResult, labels: dict[str, str]) -> dict:
    """Return the signatories, and once for every writer: their groups as printed, the count line and the columns."""
    from ..signatories import layout

    st = resolved.statement
    listed = tuple(Signatory(s.path, result.fields[s.name.path], s.country) for s in st.signatories)
    if not listed:
        return {"signatories": listed}
    given = st.root is not None and st.root.get("signatories_by") is not None
    by = st.signatories_by if given else resolved.organisation.settings.get("signatories_by") or schema.DEFAULT_SIGNATORY_ORDER
    return {"signatories": listed, "signatory_groups": layout.arrange(listed, by, st.lang),
            "signatory_count": layout.count_line(listed, st.lang, labels), "signatory_columns": layout.columns(listed)}


def _text_blocks(st: Statement, result: text.TextResult) -> dict[str, Block | tuple[Block, ...] | None]:
    """Return the blocks of every top-level text, paragraph list and body field the schema declares, by key."""
    found: dict[str, Block | tuple[Block, ...] | None] = {}
    for item in schema.STATEMENT.fields:
        if item.type == schema.TEXT:
            found[item.key] = _block(getattr(st, item.key), result)
        elif item.type in (schema.TEXTS, schema.BLOCKS):
            found[item.key] = tuple(_block(t, result) for t in getattr(st, item.key))
    return found


def _record(make: type, item, result: text.TextResult):
    """Return the render record of a record as typed: each text as the text stage's rich text, other values as typed."""
    values = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    return make(**{key: result.fields[value.path] if isinstance(value, Text) else value for key, value in values.items()})


def _block(item: Text | None, result: text.TextResult) -> Block | None:
    return Block(item.path, result.fields[item.path], item.style) if item else None


def _version(path: Path, root: Path) -> Version | None:
    """Return the language and stem of the statement at `path` (None when it does not load)."""
    from .translations import merged_tree

    try:
        lang = merged_tree(path, root, ())[0].get("lang")
    except InputError:
        return None
    return Version(lang.value, path.stem) if lang is not None and lang.kind == "scalar" and lang.value else None


def _release_line(st: Statement, labels: dict[str, str]) -> str:
    from .. import i18n

    if st.kind != "press-release":
        return ""
    if st.release == "embargoed" and st.embargo:
        return f"{labels['embargoed_until']} {i18n.format_embargo(st.embargo, st.lang)}"
    return labels["immediate_release"]


def _contact(contact, lang: str) -> Contact:
    from .. import i18n

    return Contact(
        path=contact.path,
        name=contact.name,
        name_local=contact.name_local,
        name_local_lang=i18n.script_language(contact.name_local) if contact.name_local else None,
        role=contact.role,
        email=contact.email,
        phones=contact.phone,
        languages=i18n.language_names(list(contact.languages), lang) if contact.languages else "",
    )
