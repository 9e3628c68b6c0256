"""The layout's rules, checked on every run: imports point one way and no module hides an import in a function."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_imports_point_one_way_and_no_package_has_an_import_cycle():
    """The contracts in pyproject.toml: shells → reports → domains → … → models, and no cycle anywhere."""
    # In its own process: import-linter's dictConfig disables every logger already made, which would
    # silence the portal's loggers for the tests that run after this one.
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter), "--config", "pyproject.toml", "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_portal_module_imports_another_inside_a_function():
    """An import inside a function is how a cycle hides; the factory and every module import at the top."""
    hidden = []
    for path in sorted((ROOT / "portal").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for node in ast.walk(func):
                if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("portal")):
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                elif isinstance(node, ast.Import) and any(a.name.startswith("portal") for a in node.names):
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not hidden, hidden
