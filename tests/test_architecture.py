"""The shape of the code (ARCHITECTURE.md), computed from its import graph: no cycles, a lower
wing never imports a higher one, and one module replaces files."""

from __future__ import annotations

import ast
from pathlib import Path

import locpress

PACKAGE = Path(locpress.__file__).parent
#: Wings from the bottom up; the top-level modules errors, wording, findings and config are
#: the ground floor every wing may use, cli the roof.
ORDER = ["formats", "gettext", "qa", "stages", "pretranslate", "exchange", "web", "run", "commands"]
GROUND = {"locpress", "locpress.errors", "locpress.wording", "locpress.findings", "locpress.config"}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every locpress module `name` imports: at the top, inside functions, under TYPE_CHECKING,
    and by `importlib.import_module` or the runner's `Lazy("wing.module")`."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
        elif isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            called = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            if called in ("import_module", "Lazy") and node.args and isinstance(node.args[0], ast.Constant):
                value = str(node.args[0].value)
                found.add(value if value.startswith("locpress") else f"locpress.{value}")
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def wing(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ORDER) else module


def test_the_lazy_imports_are_seen() -> None:
    edges = graph()
    assert "locpress.qa.checks" in edges["locpress.run.publishing"]  # Lazy("qa.checks")
    assert "locpress.formats.docx" in edges["locpress.run.runner"]  # inside a function


def test_no_import_cycles() -> None:
    edges = graph()
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycle.extend(trail[trail.index(nxt):] + [node, nxt] if nxt in trail else [node, nxt])
                return
            if nxt not in state:
                visit(nxt, trail + [node])
                if cycle:
                    return
        state[node] = 2

    for start in sorted(edges):
        if start not in state and not cycle:
            visit(start, [])
    assert not cycle, " -> ".join(cycle)


def test_a_lower_wing_never_imports_a_higher_one() -> None:
    wrong = []
    for module, deps in graph().items():
        here = wing(module)
        for dep in deps:
            there = wing(dep)
            if dep in GROUND or here == there:
                continue
            if module in GROUND and module != "locpress.config":
                wrong.append(f"{module} -> {dep}")
            elif here in ORDER and (there not in ORDER or ORDER.index(there) > ORDER.index(here)):
                wrong.append(f"{module} -> {dep}")
    assert not wrong, wrong


def test_the_ground_floor_imports_no_wing() -> None:
    edges = graph()
    for module in GROUND - {"locpress"}:
        assert not {d for d in edges[module] if d not in GROUND}, module


def test_stages_and_formats_know_nothing_of_the_runner_web_or_cli() -> None:
    for module, deps in graph().items():
        if wing(module) in ("formats", "gettext", "stages", "qa"):
            assert not {d for d in deps if wing(d) in ("run", "web", "commands") or d == "locpress.cli"}, module


def test_one_module_replaces_files() -> None:
    callers = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("replace", "rename") and \
                    isinstance(node.value, ast.Name) and node.value.id == "os":
                callers.append(name)
    assert sorted(set(callers)) == ["locpress.run.store"]


def test_the_wings_are_folders() -> None:
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()) == sorted(ORDER)
