"""Arrows point one way: no import cycles among project modules, and no imports
inside functions to dodge one.

An AST check over ``claims/`` and ``factcheck/`` (migrations aside): it builds
the graph of module-level imports between project modules and fails on any
cycle, and it fails on any project import made inside a function, except the
few listed below with the reason each is not a dodged cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("claims", "factcheck")

# (module, imported module): function-level imports that are not dodging a cycle.
ALLOWED_FUNCTION_IMPORTS = {
    # Django's documented place to connect signals is AppConfig.ready().
    ("claims.apps", "claims.signals"),
    ("claims.apps", "claims.api_tokens"),  # token revocation receivers
    ("claims.apps", "claims.roles"),
    # Loading the check-worthiness model and the NLP tables costs time; the
    # pure-Python extraction package defers it until the first extraction.
    ("claims.extraction", "claims.extraction.checkworthiness"),
    ("claims.extraction", "claims.extraction.understanding"),
    ("claims.extraction.checkworthiness", "claims.extraction.model"),
    # Management commands that need the training code only when asked.
    ("claims.management.commands.train_checkworthiness", "claims.extraction.model"),
    ("claims.management.commands.train_checkworthiness", "claims.extraction.training"),
}


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            if "migrations" in rel.parts:
                continue
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def _resolve(module: str, path: Path, node) -> list[str]:
    """Project modules an import statement refers to."""
    names = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".")
            if path.name != "__init__.py":
                base = base[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        names = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
    return [n for n in names if n.split(".")[0] in PACKAGES]


def _graph():
    modules = dict(_modules())
    edges: dict[str, set[str]] = {m: set() for m in modules}
    inner: list[tuple[str, str, int]] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [
            n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        nested = {
            id(n)
            for f in functions
            for n in ast.walk(f)
            if isinstance(n, (ast.Import, ast.ImportFrom))
        }
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            targets = [t for t in _resolve(module, path, node) if t in modules]
            if len(targets) > 1:  # ``from pkg import submodule``: the submodule counts
                targets = targets[1:]
            for target in targets:
                if target == module:
                    continue
                if id(node) in nested:
                    inner.append((module, target, node.lineno))
                else:
                    edges[module].add(target)
    return edges, inner


def _cycles(edges):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def _parents(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_project_modules_import_each_other_without_cycles():
    edges, _ = _graph()
    # Importing a submodule runs its package's __init__ first; a package that
    # merely re-exports is not an arrow back, so edges into a parent package
    # from its own children are left out.
    edges = {m: {t for t in ts if t not in _parents(m)} for m, ts in edges.items()}
    assert _cycles(edges) == []


def test_no_project_imports_inside_functions():
    _, inner = _graph()
    dodges = [
        f"{m} imports {t} inside a function (line {line})"
        for m, t, line in inner
        if (m, t) not in ALLOWED_FUNCTION_IMPORTS
    ]
    assert dodges == []


def test_the_check_sees_a_cycle_and_a_dodge():
    """The check itself can fail: a made-up cycle and a made-up dodge are found."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    tree = ast.parse("def f():\n    from . import tasks\n")
    node = tree.body[0].body[0]
    assert _resolve("claims.workflow", ROOT / "claims" / "workflow.py", node) == [
        "claims",
        "claims.tasks",
    ]


def test_nothing_inside_imports_the_tasks_module():
    edges, inner = _graph()
    importers = {m for m, ts in edges.items() if "claims.tasks" in ts}
    importers |= {m for m, t, _ in inner if t == "claims.tasks"}
    assert importers == set()
