"""The structure CONTRIBUTING.md describes, checked: imports point down and never in a circle.

Read from the source with `ast`, so every import counts, also those inside functions.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in APP.rglob("*.py")}


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        # `from app.certificates import services` names a module; `from app import x` may not.
        return [
            f"{node.module}.{alias.name}"
            if f"{node.module}.{alias.name}" in MODULES
            else node.module
            for alias in node.names
        ]
    return []


def imports_of(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    return {name for node in ast.walk(tree) for name in _imported(node)}


GRAPH = {module: {name for name in imports_of(module) if name in MODULES} for module in MODULES}


def _cycles() -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(module):
        state[module] = "open"
        stack.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == "open":
                found.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    return found


def _kind(module: str) -> str:
    return module.rsplit(".", 1)[-1]


def test_no_module_of_the_app_imports_itself_in_a_circle():
    assert _cycles() == []


def test_the_import_graph_really_was_read():
    assert "app.certificates.services" in GRAPH["app.certificates.routes"]
    assert len(GRAPH) > 40


LEAVES = {"app.labels", "app.accounts.roles"}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _kind(m) == "rules" or m in LEAVES))
def test_pure_modules_import_nothing_of_the_app_but_other_leaves(module):
    assert GRAPH[module] <= LEAVES, f"{module} imports {sorted(GRAPH[module] - LEAVES)}"


UPPER_LAYERS = {
    "routes",
    "batch_routes",
    "token_routes",
    "blueprint",
    "forms",
    "services",
    "queries",
}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _kind(m) == "models"))
def test_models_import_no_layer_above_them(module):
    above = sorted(m for m in GRAPH[module] if _kind(m) in UPPER_LAYERS)
    assert above == [], f"{module} imports {above}"


@pytest.mark.parametrize(
    "module", sorted(m for m in MODULES if _kind(m) in {"services", "queries"})
)
def test_services_and_queries_know_nothing_of_requests_or_views(module):
    names = imports_of(module)
    assert not {
        m
        for m in GRAPH[module]
        if _kind(m) in {"routes", "batch_routes", "token_routes", "blueprint"}
    }
    assert not names & {"flask.request", "flask.session", "flask.g"}, module


def test_only_rendering_loads_weasyprint_and_qrcode():
    users = sorted(
        m for m in MODULES if {n.split(".")[0] for n in imports_of(m)} & {"weasyprint", "qrcode"}
    )
    assert users == ["app.certificates.rendering"]


def test_a_blueprint_is_imported_only_by_the_route_modules_of_its_area_and_create_app():
    for module, targets in GRAPH.items():
        for target in targets:
            if _kind(target) != "blueprint" or module == "app":
                continue
            # routes.py, or a second route module of the area named <what>_routes.py
            assert _kind(module) == "routes" or _kind(module).endswith("_routes"), (module, target)
            assert module.rsplit(".", 1)[0] == target.rsplit(".", 1)[0], (module, target)


ROUTE_FILES = sorted(APP.rglob("*routes.py"))


@pytest.mark.parametrize("path", ROUTE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_never_commit_or_roll_back_by_hand(path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\.(commit|rollback)\(", source), "the request boundary commits"


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_ask_the_server_rules_instead_of_comparing_roles(path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\.role\b", source), "use may_open(endpoint) or a `may` mapping"


def _base_names(node: ast.ClassDef) -> set[str]:
    return {
        base.id if isinstance(base, ast.Name) else getattr(base, "attr", "") for base in node.bases
    }


def test_every_form_derives_from_the_base_form_that_bounds_its_input():
    """Only app/forms.py subclasses Flask-WTF's form; every other form gets BaseForm's checks."""
    offenders = [
        f"{module}.{node.name}"
        for module, path in MODULES.items()
        if module != "app.forms"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and _base_names(node) & {"FlaskForm", "Form"}
    ]
    assert offenders == []


def test_only_pdf_signing_loads_pyhanko():
    users = sorted(
        m
        for m in MODULES
        if {n.split(".")[0] for n in imports_of(m)} & {"pyhanko", "pyhanko_certvalidator"}
    )
    assert users == ["app.certificates.pdf_signing"]
