"""The house keeps its shape: the floor plan in docs/architecture.md is the one the code has.

Every import between packages under tracker/ is read from the source with `ast` (imports inside
functions included, since they bind as surely as the ones at the top), so nothing depends on
what happens to be imported when the test runs. A package may import from its own floor or a
lower one, never in a loop; and no module grows past the size a newcomer can read in one go.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tracker"
FLOOR_PLAN = ROOT / "docs" / "architecture.md"
MAX_MODULE_LINES = 450


def floors() -> dict[str, int]:
    """{unit: floor} from the floor table of docs/architecture.md: the rows that start with a
    floor number, whose last column names the units in backticks."""
    table: dict[str, int] = {}
    for line in FLOOR_PLAN.read_text().splitlines():
        match = re.match(r"^\|\s*(\d+)\s*\|.*\|([^|]*)\|\s*$", line)
        if match:
            for unit in re.findall(r"`([a-z_]+)`", match.group(2)):
                assert unit not in table, f"{unit} is on two floors of the plan"
                table[unit] = int(match.group(1))
    return table


def unit_of(module: str) -> str | None:
    """The package (or top-level module) of tracker a dotted name belongs to: tracker.status.rule
    -> plan, tracker.dates -> dates, tracker -> tracker (create_app); None outside tracker."""
    parts = module.split(".")
    if parts[0] != "tracker":
        return None
    if len(parts) == 1:
        return "tracker"
    if (PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").is_file():
        return parts[1]
    return "tracker"  # a name defined in tracker/__init__.py


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, package: str) -> list[tuple[str, int]]:
    """(dotted name, line) of every import in `source` (a module of `package`), at any depth.

    `from a import b` yields a.b, which names module b or a name defined in a: unit_of() tells
    (`from tracker import assets` imports the assets module; `from tracker import create_app`
    imports the app package).
    """
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def import_edges() -> dict[tuple[str, str], list[str]]:
    """{(importing unit, imported unit): ["file:line", ...]} across tracker/."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        source = unit_of(name)
        for module, line in imported_modules(path.read_text(), package):
            target = unit_of(module)
            if target is None or target == source:
                continue
            # `from tracker.plan import services` names tracker.plan and tracker.plan.services:
            # one edge, with the place it was written.
            where = f"{path.relative_to(ROOT)}:{line}"
            if where not in edges[(source, target)]:
                edges[(source, target)].append(where)
    return edges


def units() -> set[str]:
    found = {"tracker"}
    for child in PACKAGE.iterdir():
        if child.is_dir() and (child / "__init__.py").exists():
            found.add(child.name)
        elif child.suffix == ".py" and child.name != "__init__.py":
            found.add(child.stem)
    return found


def test_every_package_is_on_exactly_one_floor_of_the_plan():
    plan = floors()
    assert set(plan) == units(), (
        f"not in docs/architecture.md: {sorted(units() - set(plan))}; "
        f"in the plan but not in tracker/: {sorted(set(plan) - units())}"
    )


def test_no_package_imports_from_a_higher_floor():
    plan = floors()
    upward = [
        f"{source} (floor {plan[source]}) imports {target} (floor {plan[target]}) at "
        + ", ".join(places)
        for (source, target), places in sorted(import_edges().items())
        if plan.get(target, 0) > plan.get(source, 0)
    ]
    assert not upward, "imports that go up a floor:\n" + "\n".join(upward)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import loop as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for child in sorted(graph.get(node, ())):
            if state.get(child) == 1:
                return path[path.index(child) :] + [child]
            if child not in state and (loop := visit(child)):
                return loop
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (loop := visit(node)):
            return loop
    return None


def test_no_import_cycle_between_packages():
    edges = import_edges()
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    loop = find_cycle(graph)
    assert loop is None, (
        "an import cycle: "
        + " -> ".join(loop)
        + "\n"
        + "\n".join(
            f"{a} -> {b}: {', '.join(edges[(a, b)])}" for a, b in zip(loop, loop[1:], strict=False)
        )
    )


def test_imports_inside_functions_and_relative_imports_are_edges_too():
    # The checks above are only as good as the parser.
    source = "def f():\n    from tracker.deferrals.models import X\n    from ..audit import y\n"
    found = {name for name, _line in imported_modules(source, "tracker.plan")}
    assert found == {"tracker.deferrals.models.X", "tracker.audit.y"}
    assert {unit_of(name) for name in found} == {"deferrals", "audit"}
    assert find_cycle({"plan": {"deferrals"}, "deferrals": {"plan"}}) == [
        "deferrals",
        "plan",
        "deferrals",
    ]
    assert find_cycle({"plan": {"registry"}, "deferrals": {"plan"}}) is None


def test_no_module_is_longer_than_a_newcomer_reads_in_one_go():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_tests_take_their_helpers_from_the_support_plugin_not_from_conftest():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if re.search(
            r"^\s*(from|import)\s+tests(\.\w+)*(\.conftest\b|\s+import\s+conftest\b)",
            path.read_text(),
            re.MULTILINE,
        )
    ]
    assert not offenders, f"import helpers from tests.support, not conftest: {offenders}"
