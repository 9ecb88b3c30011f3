"""programme depends on clubs only; clubs, funds and care never import it, reporting may."""
from care.tests.test_dependencies import _imports


def test_programme_imports_clubs_only_of_the_project():
    project = {"clubs", "funds", "care", "reporting", "workbook", "benchmark", "laichau_clb"}
    assert {name for name, _where in _imports("programme")} & project == {"clubs"}


def test_no_lower_app_imports_programme():
    for app in ("clubs", "funds", "care"):
        assert not {where for name, where in _imports(app) if name == "programme"}, app
