"""The layout keeps itself: no import cycles, imports run one way between rooms, small modules.

Every `appealkit.*` import is read from the source (function-level ones too; imports
under `if TYPE_CHECKING:` never run and are left out), so a late import cannot hide a
cycle. A new room (`appealkit/<room>/`) or top-level module must be given its floor in
FLOORS below, and a line in ARCHITECTURE.md (tests/test_architecture.py checks that).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "appealkit"
MAX_LINES = 450

# Higher floors may import lower ones and their own; never upward. A module's room is its
# subpackage, or its own name for a top-level module.
FLOORS = {
    "__main__": 11,  # `python -m appealkit`: the CLI, run
    "cli": 10,
    "api": 9,
    "doctor": 8.5,
    "send": 8,
    "serve": 8,
    "review": 7,
    "batch": 7,
    "importer": 7,  # reads letters (read/), finds what checks/ finds, proves its draft with render/ and source/
    "scaffold_init": 7,
    "translate": 6.5,
    "checks": 6,
    "pages": 6,
    "read": 5.5,
    "write": 5,
    "render": 4,
    "source": 3,
    "rules": 2,
    "atomic": 1,
    "interrupts": 1,  # Ctrl-C kept for the build (batch) and the CPU alarm (write)
    "locks": 0,
    "choices": 1,
    "system_packages": 1,
    "errors": 0,  # atomic.py and choices.py raise its errors
    "version": 0,
    "__init__": 9.5,  # its __getattr__ reaches every floor: the public API sits just under the CLI
}


#: Rooms on one floor do not import each other (each is a stage of its own), except where a pair
#: is declared here with the reason: (importing room, imported room) → why.
SIDEWAYS: dict[tuple[str, str], str] = {
    ("serve", "send"): "the review page shows each sent letter's follow-up, read from the sent log by send/status.py",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def room(module: str) -> str:
    """`appealkit.checks.audit` → `checks`; `appealkit.cli` → `cli`; `appealkit` → `__init__`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(module: str) -> set[str]:
    """The appealkit modules `module` imports when it runs, at any depth of its code."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _type_checking_only(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
        pending.extend(ast.iter_child_nodes(node))
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: imports_of(module) for module in MODULES}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path (first module repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_every_room_has_a_floor():
    unknown = sorted({room(m) for m in MODULES} - FLOORS.keys())
    assert not unknown, (
        f"new room(s) {unknown}: give each a floor in FLOORS in tests/test_layout.py (rooms above "
        f"review/batch for new commands such as send/ or serve/) and a line per module in "
        f"ARCHITECTURE.md")


def test_every_floor_is_a_room_that_exists():
    gone = sorted(FLOORS.keys() - {room(m) for m in MODULES})
    assert not gone, f"FLOORS in tests/test_layout.py names rooms that no longer exist: {gone}"


def test_every_folder_of_code_is_a_room():
    folders = sorted({p.parent.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                      if p.parent != PACKAGE and "scaffold" not in p.parent.relative_to(PACKAGE).parts})
    missing = [f for f in folders if not (PACKAGE / f / "__init__.py").is_file()]
    assert not missing, f"folders of modules without __init__.py (a room says what it is there): {missing}"


def test_rooms_on_one_floor_do_not_import_each_other():
    sideways = sorted(
        f"{module} ({room(module)}) imports {target} ({room(target)}), both on floor {FLOORS.get(room(module))}"
        for module, targets in GRAPH.items() for target in targets
        if room(module) != room(target) and FLOORS.get(room(module)) == FLOORS.get(room(target))
        and (room(module), room(target)) not in SIDEWAYS)
    assert not sideways, ("rooms on one floor are separate stages; move one up a floor, or declare the "
                          "pair in SIDEWAYS with the reason:\n" + "\n".join(sideways))
    stale = sorted(pair for pair in SIDEWAYS if not any(
        (room(m), room(t)) == pair for m, targets in GRAPH.items() for t in targets))
    assert not stale, f"SIDEWAYS declares pairs that no longer import each other: {stale}"


def test_no_import_cycles():
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_imports_run_one_way():
    upward = [
        f"{module} ({room(module)}, floor {FLOORS.get(room(module))}) imports {target} "
        f"({room(target)}, floor {FLOORS.get(room(target))})"
        for module, targets in sorted(GRAPH.items()) for target in sorted(targets)
        if FLOORS.get(room(target), 0) > FLOORS.get(room(module), 0)
    ]
    assert not upward, ("imports must run downward (cli → review/batch → checks → write → render → "
                        "source → rules → errors):\n" + "\n".join(upward))


def test_modules_stay_small():
    large = {module: n for module, path in MODULES.items()
             if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not large, f"modules over {MAX_LINES} lines (split by job): {large}"


def test_only_the_cli_imports_click():
    users = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if any(name == "click" or name.startswith("click.") for name in names):
                users.append(module)
    outside = sorted(m for m in set(users) if m != "appealkit.cli" and not m.startswith("appealkit.cli."))
    assert not outside, (f"only the appealkit/cli/ package may import click, not {outside}; raise an "
                         "AppealkitError from errors.py instead")
    assert users, "the CLI imports click: this test reads imports wrongly"


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_late_and_relative_imports_are_seen():
    # The lazy imports inside CLI commands are edges too: a late import hides no cycle.
    assert "appealkit.batch.build" in GRAPH["appealkit.cli.build"]
    assert "appealkit.source.template_files" in GRAPH["appealkit.render.letters"]
