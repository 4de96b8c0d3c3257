"""Arrows point one way: the layers of ``claims/``, no import cycles, no imports
inside functions to dodge one, and every Celery task in ``claims.jobs``.

An AST check over ``claims/`` and ``factcheck/`` (migrations aside). It builds the
graph of imports between project modules and fails on any cycle, on any arrow
that breaks the layer rules below, and on any project import made inside a
function, except the few listed with the reason each is not a dodged cycle.

The layers, top to bottom (a seam may use the seams listed for it):

- the UIs: ``desk`` (editor web app), ``api``, ``backoffice`` (admin, backup) and
  the management commands call intake, review, publishing and accounts;
- ``jobs`` (every Celery task) calls intake, review and publishing;
- ``intake`` → ``review`` → ``publishing``, and all three use the kernel, ``net``
  and ``extraction``;
- ``accounts`` uses the kernel;
- ``ops`` (health, metrics, logs, error reports) uses the kernel, ``accounts`` and
  the Celery app, and only the project (settings, urls, celery) uses it;
- the kernel (the app root: models, roles, ratings, bulk, outbox, converters,
  templatetags) uses ``net`` and ``extraction``;
- ``net`` and ``extraction`` import nothing of the app.

Nothing outside ``jobs`` imports it or defines a task: inside code sends a task
by name through ``claims.outbox``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("claims", "factcheck")

# (module, imported module): function-level imports that are not dodging a cycle.
ALLOWED_FUNCTION_IMPORTS = {
    # Django's documented place to connect signals is AppConfig.ready().
    ("claims.apps", "claims.review.signals"),
    ("claims.apps", "claims.accounts.api_tokens"),  # token revocation receivers
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


KERNEL = "kernel"
SEAMS = (
    "intake", "net", "extraction", "review", "publishing", "jobs",
    "desk", "backoffice", "accounts", "api", "management", "ops",
)  # fmt: skip
UI = {"desk", "api", "backoffice", "management"}
MIDDLE = {"intake", "review", "publishing", "accounts"}
MAY_USE = {
    **{ui: MIDDLE | {KERNEL} for ui in UI},
    "jobs": {"intake", "review", "publishing", KERNEL},
    "intake": {"review", "publishing", KERNEL, "net", "extraction"},
    "review": {"publishing", KERNEL, "net", "extraction"},
    "publishing": {KERNEL, "net", "extraction"},
    "accounts": {KERNEL},
    KERNEL: {"net", "extraction", "factcheck"},
    "net": set(),
    "extraction": set(),
    # Operations (health, metrics, logs, error reports) sit at the edge beside the
    # UIs: they read the kernel (and the client address rule) and the Celery app's
    # queues; only the project itself (settings, root urls, celery) hooks them in.
    "ops": {KERNEL, "accounts", "factcheck"},
    "factcheck": {KERNEL, "accounts", "ops"},  # settings, root urls, celery
}
# (module, imported module or seam): arrows across the layers, each with its reason.
LAYER_EXCEPTIONS = {
    # Django autodiscovers ``claims.admin``: a one-line module that loads the back office.
    ("claims.admin", "backoffice"),
    # AppConfig.ready() connects the receivers (see ALLOWED_FUNCTION_IMPORTS).
    ("claims.apps", "review"),
    ("claims.apps", "accounts"),
    # The admin offers the desk's workflow actions with the same forms, so a
    # button means the same thing in both.
    ("claims.backoffice.admin", "claims.desk.actions"),
    # export_desk / import_desk are the command-line doors to the backup.
    ("claims.management.commands.export_desk", "claims.backoffice.backup"),
    ("claims.management.commands.import_desk", "claims.backoffice.backup"),
    # The root urls mount each UI's urls by dotted name; the root urls module and
    # ``handler400`` name the desk's error view as a string, not an import.
    # Developer commands that run the pure extraction on a file or a sentence.
    ("claims.management.commands.extract_claims", "extraction"),
    ("claims.management.commands.score_sentences", "extraction"),
    ("claims.management.commands.train_checkworthiness", "extraction"),
    ("claims.management.commands.ingest_article", "extraction"),
    # Dev tools: the commands that start a throwaway Redis.
    ("claims.management.commands.local_redis", "factcheck"),
    ("claims.management.commands.ingest_article", "factcheck"),
    ("claims.management.commands.ingest_urls", "factcheck"),
    ("claims.management.commands.ingest_feed", "factcheck"),
}


def seam_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "factcheck":
        return "factcheck"
    if len(parts) > 1 and parts[1] in SEAMS:
        return parts[1]
    return KERNEL


def layer_violations(edges) -> list[str]:
    """Arrows from one seam to another that the layer rules do not allow."""
    found = []
    for module, targets in sorted(edges.items()):
        for target in sorted(targets):
            here, there = seam_of(module), seam_of(target)
            if here == there or there in MAY_USE[here]:
                continue
            if (module, target) in LAYER_EXCEPTIONS or (module, there) in LAYER_EXCEPTIONS:
                continue
            found.append(f"{module} ({here}) imports {target} ({there})")
    return found


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
    tree = ast.parse("def f():\n    from ..jobs import pipeline\n")
    node = tree.body[0].body[0]
    assert _resolve("claims.review.workflow", ROOT / "claims" / "review" / "workflow.py", node) == [
        "claims.jobs",
        "claims.jobs.pipeline",
    ]


def test_nothing_outside_jobs_imports_jobs():
    importers = {
        m
        for m, ts in _all_edges().items()
        for t in ts
        if seam_of(t) == "jobs" and seam_of(m) != "jobs"
    }
    assert importers == set()


def _all_edges():
    edges, inner = _graph()
    for module, target, _ in inner:
        edges[module].add(target)
    return edges


def test_every_arrow_follows_the_layers():
    assert layer_violations(_all_edges()) == []


def test_the_layer_check_sees_a_planted_forbidden_import():
    """The check can fail: arrows planted into today's graph are each reported."""
    edges = _all_edges()
    planted = {
        "claims.review.workflow": "claims.jobs.pipeline",  # inside code importing a task
        "claims.extraction.sentences": "claims.models",  # pure extraction reaching Django
        "claims.net.fetching": "claims.intake.submission",  # net reaching up
        "claims.publishing.pages": "claims.review.workflow",  # publishing reaching back up
        "claims.desk.views.claim": "claims.net.safeurl",  # a UI skipping the layers
        "claims.intake.sources": "claims.ops.metrics",  # the domain reaching the edge
        "claims.ops.health": "claims.review.workflow",  # ops driving the workflow
    }
    for module, target in planted.items():
        edges[module].add(target)
    found = layer_violations(edges)
    for module, target in planted.items():
        assert any(f.startswith(f"{module} (") and f" {target} (" in f for f in found), module


def _defines_a_task(tree) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                name = (
                    target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                )
                if name in ("shared_task", "task"):
                    return True
    return False


def test_no_task_is_defined_outside_jobs():
    definers = {
        module
        for module, path in _modules()
        if _defines_a_task(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert definers and all(seam_of(m) == "jobs" for m in definers), sorted(definers)
    assert _defines_a_task(ast.parse("@shared_task(bind=True)\ndef f(self):\n    pass\n"))
    assert _defines_a_task(ast.parse("@app.task\ndef f():\n    pass\n"))


def test_the_app_root_stays_a_small_kernel():
    """The app root is the kernel (models, roles, ratings, the outbox …); everything
    else lives in a seam's folder, so the root holds at most ten modules."""
    root = sorted(p.name for p in (ROOT / "claims").glob("*.py"))
    assert len(root) <= 10, root
