"""The apps depend one way: reports → campaigns → enterprises → unions (see ARCHITECTURE.md).

A lower app never imports a higher one; where a lower app must react to a higher one, the higher one calls down.
Tests included: a lower app's tests build only what their own app and those below it know.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# From the top down: each app may import those after it, never those before it.
LAYERS = ["reports", "campaigns", "members", "enterprises", "unions"]


def imported_apps(path):
    """The top-level package of every import in a Python file, wherever in the file it stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.partition(".")[0]


def app_files(app):
    return sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_nothing_above_it(app):
    above = set(LAYERS[: LAYERS.index(app)])
    offending = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in app_files(app)
        for line, name in imported_apps(path)
        if name in above
    ]
    assert offending == []


def test_the_shared_project_package_imports_no_domain_app_outside_its_tests():
    offending = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in app_files("campaign_portal")
        if "tests" not in path.relative_to(ROOT).parts
        for line, name in imported_apps(path)
        if name in LAYERS
    ]
    # The root URLs and settings name the apps; nothing else in the shared package depends on them.
    assert [entry for entry in offending if not entry.startswith("campaign_portal/urls.py")] == []
