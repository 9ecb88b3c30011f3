"""care depends on clubs only; neither clubs nor funds import care (their tests walking every URL aside)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(app):
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(a.name.split(".")[0], path.name) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((node.module.split(".")[0], path.name))
    return found


def test_clubs_and_funds_do_not_import_care():
    for app in ("clubs", "funds"):
        assert not {where for name, where in _imports(app) if name == "care"}, app


def test_care_imports_clubs_only_of_the_project():
    project = {"clubs", "funds", "reporting", "workbook", "benchmark", "laichau_clb"}
    assert {name for name, _where in _imports("care")} & project == {"clubs"}
