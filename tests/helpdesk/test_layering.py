"""Dependencies run one way (DESIGN.md): an app never imports an app that comes after it."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# The root URLconf composes every app's URLs; it is the project, not the core app.
COMPOSITION = {Path("helpdesk/urls.py")}


def _imported_apps(path: Path, apps: list[str]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in apps)
    return found


def test_no_app_imports_an_app_above_it_in_the_dependency_order():
    apps = list(settings.LOCAL_APPS)
    wrong = []
    for index, app in enumerate(apps):
        higher = set(apps[index + 1 :])
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.relative_to(ROOT) in COMPOSITION:
                continue
            for other in _imported_apps(path, apps) & higher:
                wrong.append(f"{path.relative_to(ROOT)} imports {other}")
    assert wrong == []
