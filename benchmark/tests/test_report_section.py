"""The benchmark's annual-report section runs on whatever database it is given (no timing assertions)."""
import io
import re

import pytest

from benchmark.report import section
from reporting.tests.test_report import build_world


@pytest.mark.django_db
def test_benchmark_section_times_the_report():
    build_world()
    out = io.StringIO()
    markdown = section(stdout=out)
    assert "## Annual report" in markdown
    # The suite's own database, whichever it is (PostgreSQL's test_*, SQLite's in-memory copy), with its 2 clubs.
    assert re.search(r"\| `[^`]+` \((test database|benchmark dataset)\) \| 2 \| [\d.]+ m?s \| [\d.]+ m?s", markdown), markdown
    assert "annual report on" in out.getvalue()
