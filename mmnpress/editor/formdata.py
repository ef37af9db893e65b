"""A statement as the plain data the form edits, and that data written back into its YAML.

The form edits JSON: mappings, lists and strings, each string the scalar's
value as typed (a date stays `2018-06-01`, a number `2017`). `merge` writes
changed data into the file's round-trip tree, touching only what differs:
an unchanged value keeps its bytes, a changed text its quoting or folding, a
list item that moved keeps its comments, a key the form adds goes where the
form has it. The result must read back as exactly the data sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import MmnpressError, display_path
from ..pipeline.source import Node, load, pending
from ..review.yamledit import folded, restyled, rewrite

FOLD_ABOVE = 80  # a new text longer than this is written folded (>-), wrapped


def form_data(node: Node) -> Any:
    """Return a loaded statement (or any node) as mappings, lists and strings."""
    if node.kind == "map":
        return {key: form_data(value) for key, (_, value) in node.entries.items()}
    if node.kind == "seq":
        return [form_data(item) for item in node.items]
    return node.value


def text_data(path: Path, text: str) -> Any:
    """Return the form data of `text` as if it were the file at `path` (raise InputError when it does not load)."""
    with pending({path.resolve(): text.encode("utf-8")}):
        return form_data(load(path))


def positions(node: Node, path: str = "") -> list[tuple[int, int, str]]:
    """Return (line, column, form path) for every value below `node`, in file order; paths are dotted (`recommendations.items.2.text`)."""
    found = [(node.line, node.column, path)]
    for key, (key_node, value) in node.entries.items():
        here = f"{path}.{key}" if path else key
        found += [(key_node.line, key_node.column, here), *positions(value, here)]
    for index, item in enumerate(node.items):
        found += positions(item, f"{path}.{index}" if path else str(index))
    return sorted(found)


def merged_text(path: Path, raw: str, new: Any) -> str:
    """Return the YAML text `raw` changed to hold the form data `new`; raise MmnpressError when it cannot."""
    old = text_data(path, raw)
    wanted = without_blank_additions(old, new)

    def verify(_text: str, result: str) -> None:
        try:
            back = text_data(path, result)
        except MmnpressError:
            back = None
        if back != wanted:
            raise MmnpressError(
                f"{display_path(path)}: the form's content could not be written as YAML that reads back the same; nothing was written"
            )

    return rewrite(raw, lambda data: _merge_map(data, old, wanted), verify)


def without_blank_additions(old: Any, new: Any) -> Any:
    """Return `new` without the keys it adds to a mapping of `old` with a blank value (a field touched and emptied again)."""
    if isinstance(new, dict):
        base = old if isinstance(old, dict) else {}
        return {key: without_blank_additions(base.get(key), value) for key, value in new.items()
                if key in base or not _blank(value)}
    if isinstance(new, list) and isinstance(old, list):
        return [without_blank_additions(old[i] if i < len(old) else None, value) for i, value in enumerate(new)]
    return new


def _blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, dict | list):
        return all(_blank(item) for item in (value.values() if isinstance(value, dict) else value))
    return value is None


def _merge(old_value, old: Any, new: Any):
    """Return the round-trip value `old_value` (whose form data is `old`) changed to hold `new`."""
    if old == new:
        return old_value
    if isinstance(new, dict) and isinstance(old, dict) and hasattr(old_value, "insert"):
        _merge_map(old_value, old, new)
        return old_value
    if isinstance(new, list) and isinstance(old, list) and isinstance(old_value, list):
        _merge_list(old_value, old, new)
        return old_value
    if isinstance(new, str) and isinstance(old, str):
        return _scalar(old_value, new)
    return fresh(new)


def _merge_map(data, old: dict, new: dict) -> None:
    typed = {str(k): k for k in data}  # the form's keys are strings; the file's may read as numbers (a note labelled 1)
    for key in [typed.get(k, k) for k in old if k not in new]:
        place = list(data).index(key)
        if place:
            _move_lines_after(data, key, list(data)[place - 1])
        del data[key]
    keys = list(new)
    for index, key in enumerate(keys):
        if key in old:
            data[typed.get(key, key)] = _merge(data[typed.get(key, key)], old[key], new[key])
            continue
        before = [typed.get(k, k) for k in keys[:index] if typed.get(k, k) in data]
        at = list(data).index(before[-1]) + 1 if before else 0
        data.insert(at, key, fresh(new[key]))
        if at and at == len(data) - 1:
            _move_lines_after(data, list(data)[at - 1], key)


def _merge_list(seq, old: list, new: list) -> None:
    """Make `seq` hold `new`: an item equal to an old one is that item (moved with its comments); others edit the item at their place, or are new."""
    originals = list(seq)
    comments = dict(getattr(seq, "ca", None).items) if hasattr(seq, "ca") else {}
    unused = list(range(len(old)))
    chosen: list[int | None] = []
    for item in new:
        same = next((i for i in unused if old[i] == item), None)
        if same is not None:
            unused.remove(same)
        chosen.append(same)
    result, sources = [], []
    for place, item in enumerate(new):
        source = chosen[place]
        if source is None and place in unused and _same_shape(old[place], item):
            source = place
            unused.remove(place)
            result.append(_merge(originals[place], old[place], item))
        elif source is None:
            result.append(fresh(item))
        else:
            result.append(originals[source])
        sources.append(source)
    del seq[:]
    seq.extend(result)
    if hasattr(seq, "ca"):
        seq.ca.items.clear()
        seq.ca.items.update({place: comments[source] for place, source in enumerate(sources) if source in comments})


def _move_lines_after(data, source, target) -> None:
    """Move the blank lines and comments that follow the entry `source` (kept in its last comment) to after the entry `target`."""
    token = _last_comment(data, source, create=False)
    head, _, lines = token.value.partition("\n") if token is not None else ("", "", "")
    if lines:
        token.value = head + "\n"
        after = _last_comment(data, target, create=True)
        kept = after.value if after.value.endswith("\n") else after.value + "\n"
        blank_already = kept.endswith("\n\n") or (kept == "\n" and _ends_block_scalar(data[target]))  # a >- or | scalar keeps its blank line
        after.value = kept + (lines[1:] if blank_already and lines.startswith("\n") else lines)


def _ends_block_scalar(value) -> bool:
    """Tell whether the last line of `value` is a folded or literal scalar's."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    while isinstance(value, dict | list) and value:
        value = value[list(value)[-1]] if isinstance(value, dict) else value[-1]
    return isinstance(value, FoldedScalarString | LiteralScalarString)


def _last_comment(data, key, create: bool):
    """Return the comment after the last line of `data[key]` (a mapping's entry or a list's item), made empty when `create`; else None."""
    value = data[key]
    if isinstance(value, dict | list) and value and hasattr(value, "ca"):
        return _last_comment(value, list(value)[-1] if isinstance(value, dict) else len(value) - 1, create)
    if not hasattr(data, "ca"):
        return None
    slot = 2 if isinstance(data, dict) else 0
    entry = data.ca.items.get(key)
    if entry is not None and entry[slot] is not None:
        return entry[slot]
    if not create:
        return None
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    entry = data.ca.items.setdefault(key, [None, None, None, None] if slot == 2 else [None, None])
    entry[slot] = CommentToken("\n", CommentMark(0), None)
    return entry[slot]


def _same_shape(old: Any, new: Any) -> bool:
    """Tell whether an edit of `old` into `new` is an edit in place (same type; mappings share a key)."""
    if isinstance(old, dict) and isinstance(new, dict):
        return bool(set(old) & set(new))
    return type(old) is type(new)


def _scalar(old_value, new: str):
    """Return `new` written like the scalar `old_value`: its quoting or folding, or its type when `new` reads as that type."""
    from ruamel.yaml.scalarstring import ScalarString

    if isinstance(old_value, ScalarString):
        return restyled(old_value, new)
    if isinstance(old_value, str) or old_value is None:
        return fresh(new)
    import yaml

    try:
        typed = yaml.safe_load(new)
    except (yaml.YAMLError, ValueError):  # 2018-02-30 reads as a date that does not exist
        typed = None
    return typed if typed is not None and not isinstance(typed, str) and isinstance(old_value, type(typed)) else new


def fresh(value: Any):
    """Return form data as a new round-trip value: long single-paragraph texts folded, mappings and lists in block style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        return CommentedMap((key, fresh(item)) for key, item in value.items())
    if isinstance(value, list):
        return CommentedSeq(fresh(item) for item in value)
    text = str(value)
    if len(text) > FOLD_ABOVE and "\n" not in text and text == text.strip() and "  " not in text:
        return folded(text)
    return text

