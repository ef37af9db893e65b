"""The package's import graph: no circles, and every import goes down the layers.

Every `import` and `from ... import` of the package counts, at module level
and inside functions, relative or absolute. A failure names the import
(FILE:LINE) that breaks the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mmnpress"

# Highest first. A module may import its own layer (without a circle) and the layers below it.
LAYERS = (
    ("entry", "mmnpress.entry", "mmnpress.servers"),
    ("commands", "mmnpress.commands"),
    ("live, editor", "mmnpress.live", "mmnpress.editor"),
    ("review, redline", "mmnpress.review", "mmnpress.redline"),
    ("check", "mmnpress.check"),
    ("build", "mmnpress.build", "mmnpress.batch", "mmnpress.templates", "mmnpress.init", "mmnpress.skeleton"),
    ("render", "mmnpress.render"),
    ("pipeline", "mmnpress.pipeline"),
    (
        "base",
        "mmnpress.document",
        "mmnpress.errors",
        "mmnpress.reporting",
        "mmnpress.files",
        "mmnpress.safedocx",
        "mmnpress.schema",
        "mmnpress.schema_json",
        "mmnpress.installation",
        "mmnpress.i18n",
        "mmnpress.unicode",
        "mmnpress",
    ),
)

# Writers read the render model and base helpers only, never the pipeline (layers they may skip down to).
ONLY = {"render": "base"}

# Imports that break the rules today, each waiting for its fix; a new one fails the test.
KNOWN = {
    ("mmnpress.pipeline.resolve", "mmnpress.check.engine"),  # resolve -> lint.text_errors -> resolve (issue 24)
    ("mmnpress.pipeline.resolve", "mmnpress.batch"),  # resolve -> batch.with_translations -> build -> resolve
    ("mmnpress.pipeline.pandocworker", "mmnpress.pipeline.text"),  # text <-> pandocworker
    ("mmnpress.render.letterhead", "mmnpress.render.wordtemplates"),  # the private _watermark
    ("mmnpress.safedocx", "mmnpress.review"),  # ReviewError
    ("mmnpress.reporting", "mmnpress.servers.protocol"),  # INTERRUPTED
    ("mmnpress.unicode.zawgyi", "mmnpress.review.yamledit"),  # fix_file edits YAML as review apply does
}


def module_name(path: Path) -> str:
    """Return the dotted name of the module at `path`."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Return every module of the package by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: dict[str, Path]):
    """Yield (imported module, line) for every import of the package in the module `name`."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target, node.lineno


def graph() -> dict[str, dict[str, int]]:
    """Return, for every module, the modules it imports and the first line of each."""
    known = modules()
    edges: dict[str, dict[str, int]] = {}
    for name, path in known.items():
        for target, line in imports(name, path, known):
            edges.setdefault(name, {}).setdefault(target, line)
    return edges


def layer(name: str) -> int:
    """Return the index of the layer `name` sits in (0 is the top)."""
    best = max(
        (
            (len(prefix), index)
            for index, (_, *prefixes) in enumerate(LAYERS)
            for prefix in prefixes
            if name == prefix or name.startswith(prefix + ".")
        ),
        default=None,
    )
    assert best is not None, f"{name} is in no layer of tests/test_layering.py"
    return best[1]


def where(module: str, target: str, edges) -> str:
    """Return FILE:LINE of the import of `target` in `module`."""
    return f"{modules()[module].relative_to(PACKAGE.parent)}:{edges[module][target]}: imports {target}"


def upward(edges) -> list[str]:
    """Return one located line per import of a higher layer."""
    return [
        where(module, target, edges) + f" ({LAYERS[layer(target)][0]} is above {LAYERS[layer(module)][0]})"
        for module, targets in edges.items()
        for target in targets
        if layer(target) < layer(module) and target != "mmnpress" and (module, target) not in KNOWN
    ]


def skipping(edges) -> list[str]:
    """Return one located line per import from a layer in ONLY of a layer other than its own or the one allowed."""
    names = [name for name, *_ in LAYERS]
    return [
        where(module, target, edges) + f" ({names[layer(module)]} imports only {ONLY[names[layer(module)]]})"
        for module, targets in edges.items()
        for target in targets
        if names[layer(module)] in ONLY
        and layer(target) not in (layer(module), names.index(ONLY[names[layer(module)]]))
        and (module, target) not in KNOWN
    ]


def cycles(edges) -> list[list[str]]:
    """Return the import circles of the graph (one path per circle found), leaving out the KNOWN edges."""
    found, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges.get(module, {})):
            if (module, target) in KNOWN:
                continue
            if state.get(target) == "open":
                found.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    return found


def test_every_module_has_a_layer():
    for name in modules():
        layer(name)


def test_no_import_goes_up():
    edges = graph()
    assert not upward(edges), "\n".join(upward(edges))


def test_writers_never_import_the_pipeline():
    edges = graph()
    assert not skipping(edges), "\n".join(skipping(edges))


def test_no_import_circle():
    edges = graph()
    circles = cycles(edges)
    assert not circles, "\n".join(" -> ".join(where(a, b, edges) for a, b in zip(circle, circle[1:], strict=False)) for circle in circles)


def test_the_known_exceptions_are_still_there():
    edges = graph()
    gone = sorted(pair for pair in KNOWN if pair[1] not in edges.get(pair[0], {}))
    assert not gone, f"fixed: remove from KNOWN {gone}"
