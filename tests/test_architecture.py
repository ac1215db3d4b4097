"""The shape of the code: no import cycles, layers that import downward, modules of a readable size.

The import graph is built statically (``ast`` over ``src/publiceval``, relative imports resolved),
so it sees every import, including those inside functions that a running program may never reach.
Imports under ``if TYPE_CHECKING:`` are left out: they never run.

Layers, from the bottom (a module may import its own layer and the ones below it):

0. ``base``: ``errors`` (no imports of its own; every layer may raise a ``PublicevalError``)
1. ``kernels``: numeric code with no knowledge of surveys, tables or plugins
2. ``domain``: the survey, answers, tables, reading and rejects, results
3. ``contracts``: what a plugin implements and the host that finds plugins
4. ``orchestration``: evaluating a study, rules written in it, report building
5. ``plugin-kit``: ``publiceval.plugin``, the face for plugin authors (re-exports only)
6. ``builtins``: the plugins publiceval ships, written against ``publiceval.plugin`` alone
7. ``faces``: the command line, ``publiceval`` itself and ``publiceval.testing``

Run this file as a script to print the whole report (graph, layers, violations).
"""

from __future__ import annotations

import ast
import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT_PACKAGE = "publiceval"

MAX_LINES = 400
# module -> why it may be longer (keep this short; prefer splitting the module)
LONG_MODULE_ALLOWED: dict[str, str] = {}

# (layer, patterns over dotted names without the "publiceval." prefix); the first match wins
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("_core.errors",)),
    (
        "kernels",
        (
            "_core.estimation",
            "_core.numbers",
            "_core.ranking",
            "_core.sample_size",
            "_core.moments",
            "_core.moments.*",
            "_core.stats",
            "_core.stats.*",
            "_core.kernels",
            "_core.kernels.*",
        ),
    ),
    (
        "domain",
        (
            "_core",
            "_core.survey",
            "_core.profile",
            "_core.text",
            "_core.toml_write",
            "_core.results",
            "_core.results.*",
            "_core.rejects",
            "_core.response",
            "_core.cells",
            "_core.cells_identity",
            "_core.table",
            "_core.table.*",
            "_core.published",
            "_core.aggregates",
            "_core.aggregates.*",
            "_core.statistics",
            "_core.presets",
        ),
    ),
    (
        "contracts",
        (
            "_core.components",
            "_core.methods",
            "_core.schemes",
            "_core.rules",
            "_core.ingest",
            "_core.ingest.*",
            "_core.reporters",
            "_core.hookspecs",
            "_core.plugins",
            "_core.plugin_registry",
            "_core.scoring",
            "_core.scoring.*",
            "_core.aggregate_scoring",
            "_core.proportion_scores",
        ),
    ),
    (
        "orchestration",
        (
            "_core.pipeline",
            "_core.pipeline.*",
            "_core.chunked",
            "_core.dask_backend",
            "_core.engines",
            "_core.study",
            "_core.study.*",
            "_core.study_check",
            "_core.study_periods",
            "_core.declarative",
            "_core.declarative.*",
            "_core.report",
            "_core.report.*",
            "_core.uncertainty",
            "_core.reliability",
            "_core.validation",
            "_core.gates",
            "_core.reject_warnings",
            "_core.profile_summary",
            "_core.scaffold",
            "_core.render_report",
            "_core.form",
            "_core.form.*",
            "_core.infer",
            "_core.infer.*",
            "_core.compare",
            "_core.compare.*",
        ),
    ),
    # the plugin-author kit re-exports contracts and helpers; built-ins import only from it
    ("plugin-kit", ("plugin",)),
    ("builtins", ("_core.default_plugins", "_core.default_plugins.*")),
    (
        "faces",
        (
            "",
            "__main__",
            "testing",
            "_core.cli",
            "_core.cli_progress",
            "_core.__main__",
            "_core.web",
            "_core.web.*",
        ),
    ),
]
LAYER_RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    kind: str
    """``module`` (runs at import) or ``function`` (runs when the function is called)."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """Every import with where it runs: ``module`` or ``function`` (TYPE_CHECKING blocks skipped)."""

    def walk(node: ast.AST, kind: str) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for sub in child.orelse:
                    yield from walk_one(sub, kind)
                continue
            yield from walk_one(child, kind)

    def walk_one(node: ast.AST, kind: str) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, kind
            return
        inner = (
            "function"
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            else kind
        )
        yield from walk(node, inner)

    yield from walk(tree, "module")


def build_graph() -> tuple[dict[str, Path], list[Edge]]:
    """Modules of ``publiceval`` (dotted name -> file) and the imports between them."""
    files = {_module_name(p): p for p in sorted((SRC / ROOT_PACKAGE).rglob("*.py"))}
    edges: list[Edge] = []
    for name, path in files.items():
        package = name if _is_package(path) else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, kind in _imports(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base_parts = package.split(".")
                    base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                    base = ".".join(base_parts)
                    module = f"{base}.{node.module}" if node.module else base
                else:
                    module = node.module or ""
                for alias in node.names:
                    sub = f"{module}.{alias.name}"
                    targets.append(sub if sub in files else module)
            for target in targets:
                # `import a.b.c` names a.b.c; keep the longest prefix that is one of our modules
                while target and target not in files:
                    target = target.rpartition(".")[0]
                if target and target != name and target.split(".")[0] == ROOT_PACKAGE:
                    edges.append(Edge(name, target, node.lineno, kind))
    return files, sorted(set(edges), key=lambda e: (e.source, e.target, e.line))


def layer_of(module: str) -> str | None:
    short = module.removeprefix(ROOT_PACKAGE).removeprefix(".")
    for layer, patterns in LAYERS:
        if any(fnmatch.fnmatchcase(short, p) for p in patterns):
            return layer
    return None


def strongly_connected(nodes: list[str], edges: list[Edge]) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan)."""
    graph: dict[str, set[str]] = {n: set() for n in nodes}
    for e in edges:
        graph.setdefault(e.source, set()).add(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def _describe_cycle(group: list[str], edges: list[Edge]) -> str:
    inside = set(group)
    lines = [f"cycle between {', '.join(group)}:"]
    lines += [
        f"    {e.source} -> {e.target} (line {e.line}, {e.kind}-level)"
        for e in edges
        if e.source in inside and e.target in inside
    ]
    return "\n".join(lines)


def cycle_violations(kinds: set[str]) -> list[str]:
    files, edges = build_graph()
    used = [e for e in edges if e.kind in kinds]
    return [_describe_cycle(g, used) for g in strongly_connected(list(files), used)]


def unassigned_modules() -> list[str]:
    files, _ = build_graph()
    return [f"{m} ({files[m].relative_to(SRC)})" for m in files if layer_of(m) is None]


def layer_violations() -> list[str]:
    _, edges = build_graph()
    out = []
    for e in edges:
        src, dst = layer_of(e.source), layer_of(e.target)
        if src is None or dst is None:
            continue  # reported by test_every_module_has_a_layer
        if LAYER_RANK[dst] > LAYER_RANK[src]:
            out.append(
                f"{e.source} ({src}) imports {e.target} ({dst}) at line {e.line} ({e.kind}-level)"
            )
    return out


def long_modules() -> list[str]:
    files, _ = build_graph()
    out = []
    for name, path in files.items():
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES and name not in LONG_MODULE_ALLOWED:
            out.append(f"{path.relative_to(SRC)}: {n} lines")
    return out


def _report(title: str, problems: list[str]) -> str:
    return f"{len(problems)} {title}:\n" + "\n".join(f"  - {p}" for p in problems)


# -- the checks ---------------------------------------------------------------------------------
# Each check lists every violation it finds. A check that must stay red for a while is marked
# xfail(strict=True) with the violations in its reason, so the mark has to go when they are fixed.


def test_the_graph_sees_the_package():
    files, edges = build_graph()
    assert "publiceval._core.plugins" in files
    assert any(
        e.source == "publiceval._core.plugins" and e.target == "publiceval._core.hookspecs"
        for e in edges
    )


def test_the_checks_can_fail():
    """The helpers see a cycle through a function-level import and a wrong-way import."""
    edges = [
        Edge("publiceval._core.pipeline", "publiceval._core.chunked", 1, "module"),
        Edge("publiceval._core.chunked", "publiceval._core.pipeline", 2, "function"),
    ]
    nodes = ["publiceval._core.pipeline", "publiceval._core.chunked"]
    assert strongly_connected(nodes, [e for e in edges if e.kind == "module"]) == []
    assert strongly_connected(nodes, edges) == [sorted(nodes)]
    assert layer_of("publiceval._core.stats.ranks") == "kernels"
    assert layer_of("publiceval") == "faces" and layer_of("publiceval._core.nowhere") is None
    assert LAYER_RANK["kernels"] < LAYER_RANK["contracts"] < LAYER_RANK["faces"]


def test_every_module_has_a_layer():
    missing = unassigned_modules()
    assert not missing, _report("modules without a layer (add them to LAYERS)", missing)


def test_no_import_cycle_at_module_level():
    cycles = cycle_violations({"module"})
    assert not cycles, _report("import cycles among module-level imports", cycles)


def test_no_import_cycle_hidden_behind_a_function_level_import():
    """A lazy import that only breaks a cycle at import time is still a cycle in the design."""
    cycles = cycle_violations({"module", "function"})
    assert not cycles, _report("import cycles counting function-level imports", cycles)


def test_layers_import_downward():
    wrong = layer_violations()
    assert not wrong, _report("imports that go up a layer", wrong)


def test_no_module_is_too_long():
    long = long_modules()
    assert not long, _report(f"modules over {MAX_LINES} lines", long)


if __name__ == "__main__":  # pragma: no cover - a report for people
    files, edges = build_graph()
    print(f"{len(files)} modules, {len(edges)} imports between them")
    for title, problems in (
        ("modules without a layer", unassigned_modules()),
        ("cycles (module-level)", cycle_violations({"module"})),
        ("cycles (module- and function-level)", cycle_violations({"module", "function"})),
        ("upward imports", layer_violations()),
        (f"modules over {MAX_LINES} lines", long_modules()),
    ):
        print(_report(title, problems))
