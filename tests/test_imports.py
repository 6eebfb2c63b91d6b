"""The package layout holds: no import circle, and imports point down the layers
(commands -> build -> stages -> seam -> providers). Lazy imports inside functions count too."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pipeline", "schemas")


def module_files() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere in its body."""
    modules = module_files()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
                    break
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_planted_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_lazy_imports() -> None:
    # build() imports the ingest package inside the function; the walk must see it.
    assert "pipeline.ingest" in import_graph()["pipeline.build"]


def test_no_import_circle() -> None:
    assert cycles(import_graph()) == []


def offenders(prefix: str, allowed: tuple[str, ...]) -> dict[str, list[str]]:
    bad: dict[str, list[str]] = {}
    for module, targets in sorted(import_graph().items()):
        if module == prefix or module.startswith(prefix + "."):
            wrong = sorted(t for t in targets if not t.startswith(allowed))
            if wrong:
                bad[module] = wrong
    return bad


def test_the_embedded_model_imports_only_schemas_and_itself() -> None:
    assert offenders("pipeline.local_model", ("schemas", "pipeline.local_model")) == {}


def test_the_seam_imports_no_stage_and_nothing_above_it() -> None:
    above = ("pipeline.stages", "pipeline.build", "pipeline.commands", "pipeline.cli")
    graph = import_graph()
    bad = {
        m: sorted(t for t in targets if t.startswith(above))
        for m, targets in graph.items()
        if m.startswith("pipeline.seam")
    }
    assert {m: t for m, t in bad.items() if t} == {}


def test_stages_and_render_do_not_reach_up() -> None:
    above = ("pipeline.build", "pipeline.commands", "pipeline.cli")
    graph = import_graph()
    for layer in ("pipeline.stages", "pipeline.render", "pipeline.ingest", "schemas"):
        bad = {
            m: sorted(t for t in targets if t.startswith(above))
            for m, targets in graph.items()
            if m.startswith(layer)
        }
        assert {m: t for m, t in bad.items() if t} == {}, layer


def test_schemas_import_only_schemas() -> None:
    assert offenders("schemas", ("schemas",)) == {}
