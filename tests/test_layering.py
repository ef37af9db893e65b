"""The package's import graph: every module in a declared layer, no circles, and every import goes down the layers.

Every `import` and `from ... import` of the package counts, at module level
and inside functions, relative or absolute. A failure names the import
(FILE:LINE) that breaks the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mmnpress"
ROOT = PACKAGE.name

# Highest first. A module may import its own layer (without a circle) and the layers below it.
# Each entry names a module or a package (and so every module in it); a module no entry names fails.
LAYERS = (
    ("entry", "mmnpress.entry", "mmnpress.servers"),
    ("commands", "mmnpress.commands"),
    ("live, editor", "mmnpress.live", "mmnpress.editor"),
    ("signatories", "mmnpress.signatories"),
    ("review, redline, translation, fix, publishing", "mmnpress.review", "mmnpress.redline", "mmnpress.translation", "mmnpress.fix",
     "mmnpress.publishing"),
    ("check, site", "mmnpress.check", "mmnpress.site"),
    ("build", "mmnpress.build", "mmnpress.batch", "mmnpress.templates", "mmnpress.init", "mmnpress.skeleton"),
    ("render", "mmnpress.render"),
    ("pipeline", "mmnpress.pipeline", "mmnpress.profile"),
    ("signatory layout", "mmnpress.signatories.layout", "mmnpress.signatories.countries"),
    (
        "base",
        "mmnpress",  # the package itself (__init__.py): this name only, not the modules below it
        "mmnpress.addresses",
        "mmnpress.document",
        "mmnpress.errors",
        "mmnpress.files",
        "mmnpress.fonts",
        "mmnpress.i18n",
        "mmnpress.images",
        "mmnpress.installation",
        "mmnpress.loopback",
        "mmnpress.options",
        "mmnpress.outline",
        "mmnpress.reporting",
        "mmnpress.safedocx",
        "mmnpress.schema",
        "mmnpress.schema_json",
        "mmnpress.unicode",
        "mmnpress.usercache",
    ),
)

# Writers read the render model and base helpers only, never the pipeline (layers they may skip down to).
ONLY = {"render": "base"}


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


def declares(entry: str, name: str) -> bool:
    """Tell whether the LAYERS entry `entry` names the module `name`: itself, or a package holding it (not the package root)."""
    return name == entry or (entry != ROOT and name.startswith(entry + "."))


def layer(name: str) -> int | None:
    """Return the index of the layer `name` sits in (0 is the top), or None when no entry names it."""
    best = max(
        ((len(entry), index) for index, (_, *entries) in enumerate(LAYERS) for entry in entries if declares(entry, name)),
        default=None,
    )
    return None if best is None else best[1]


def where(module: str, target: str, edges) -> str:
    """Return FILE:LINE of the import of `target` in `module`."""
    return f"{modules()[module].relative_to(PACKAGE.parent)}:{edges[module][target]}: imports {target}"


def upward(edges) -> list[str]:
    """Return one located line per import of a higher layer."""
    return [
        where(module, target, edges) + f" ({LAYERS[layer(target)][0]} is above {LAYERS[layer(module)][0]})"
        for module, targets in edges.items()
        for target in targets
        if None not in (layer(module), layer(target)) and layer(target) < layer(module)
    ]


def skipping(edges) -> list[str]:
    """Return one located line per import from a layer in ONLY of a layer other than its own or the one allowed."""
    names = [name for name, *_ in LAYERS]
    return [
        where(module, target, edges) + f" ({names[layer(module)]} imports only {ONLY[names[layer(module)]]})"
        for module, targets in edges.items()
        for target in targets
        if None not in (layer(module), layer(target))
        and names[layer(module)] in ONLY
        and layer(target) not in (layer(module), names.index(ONLY[names[layer(module)]]))
    ]


def cycles(edges) -> list[list[str]]:
    """Return the import circles of the graph (one path per circle found)."""
    found, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges.get(module, {})):
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
    unlisted = [f"{path.relative_to(PACKAGE.parent)}:1: {name} is in no layer of LAYERS" for name, path in modules().items() if layer(name) is None]
    assert not unlisted, "\n".join(unlisted)


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
