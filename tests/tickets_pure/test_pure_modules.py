"""The SLA clock, routing strategies and automation rules stay pure: no Django imports."""

import ast
from pathlib import Path

import pytest

TICKETS = Path(__file__).resolve().parents[2] / "tickets"
PURE = [*sorted((TICKETS / "sla").glob("*.py")), TICKETS / "routing.py", TICKETS / "automation.py"]


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(TICKETS.parent)))
def test_pure_module_imports_nothing_from_django(path):
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module)
    assert not {name for name in imported if name.split(".")[0] in ("django", "rest_framework")}
