"""The benchmark command works end to end at a tiny scale (no timing assertions)."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from clubs.models import Club

pytestmark = [pytest.mark.django_db, pytest.mark.benchmark]
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the national dataset is built with PostgreSQL SQL (generate_series, setseed); on SQLite the "
           "command refuses to run, which test_benchmark_refuses_sqlite checks",
)


@needs_postgresql
def test_benchmark_builds_dataset_and_writes_markdown(tmp_path):
    out, report = StringIO(), tmp_path / "benchmarks.md"
    # Not the SQLite section: it seeds the demo province in a child process (minutes, not seconds).
    only = "benchmark.sections.indicators,benchmark.sections.dashboard"
    args = ["--scale", "0.002", "--runs", "1", "--here", "--only", only, "--output", str(report)]
    call_command("benchmark", *args, stdout=out)
    assert Club.objects.count() == 12
    text = report.read_text()
    assert "PostgreSQL" in text and "CPU" in text
    assert "| one hand-written SQL query" in text and "`compute()`" in text
    assert "identical to the floor query's: **yes**" in text
    assert "| province, officer |" in text
    # The second run reuses the dataset marked by the sentinel.
    call_command("benchmark", *args, stdout=(again := StringIO()))
    assert "Reusing dataset" in again.getvalue()


def test_benchmark_refuses_sqlite(monkeypatch):
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("benchmark", "--scale", "0.001", stdout=StringIO())


@needs_postgresql
def test_here_only_on_a_test_database(monkeypatch):
    monkeypatch.setitem(connections["default"].settings_dict, "NAME", "laichau_clb")
    with pytest.raises(CommandError, match="test_"):
        call_command("benchmark", "--here", stdout=StringIO())
