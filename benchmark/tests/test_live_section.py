"""The benchmark's section of the province page after a write runs on any database (no timing assertions)."""
import datetime
import io

import pytest

from benchmark import dataset
from benchmark.live import section
from clubs.tests.factories import ClubFactory, add_members
from funds.models import EntryKind, Fund, FundEntry, Source
from reporting.models import FigureDate


@pytest.mark.django_db
def test_the_section_writes_times_and_finds_the_rows_equal(monkeypatch):
    monkeypatch.setitem(dataset.CONFIG, "as_of", datetime.date(2025, 12, 31))
    for i in range(3):
        add_members(ClubFactory(code=f"CLB-B{i}"), women=3, men=2)
    out = io.StringIO()
    markdown = section(stdout=out)
    assert "| before: computed live |" in markdown
    assert "| after, worker caught up |" in markdown and "| after, worker behind |" in markdown
    assert "Rows read equal to the live figures: **yes**" in markdown
    # One receipt per club and round (3 clubs, fewer than the tries: live, caught up, behind), and the
    # one write before them that lets the process read the rows once, through the service.
    assert FundEntry.objects.filter(fund=Fund.ACTIVITY, kind=EntryKind.IN, source=Source.MEMBERS,
                                    amount=1000).count() == 3 * 3 + 1
    assert not FigureDate.objects.exists()  # the other sections measure the live path
    assert "kept rows: p50" in out.getvalue() and "worker behind: p50" in out.getvalue()
