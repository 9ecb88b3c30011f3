"""Rows written in bulk (the workbook import, the demo) carry the same creation record in the history as
simple_history's own bulk_create_with_history would write, field for field."""
import pytest
from simple_history.utils import bulk_create_with_history as simple_history_bulk

from clubs.bulk import KEYS_PER_COPY, bulk_create_with_history
from clubs.models import Member

from .factories import MemberFactory

pytestmark = pytest.mark.django_db

HISTORY_ONLY = {"history_id", "history_date"}


def _records(members):
    rows = Member.history.filter(id__in=[m.pk for m in members]).order_by("id").values()
    return [{k: v for k, v in row.items() if k not in HISTORY_ONLY} for row in rows]


def _members(club, prefix, n):
    return [MemberFactory.build(club=club, code=f"{prefix}{i:05d}", full_name=f"Lò Thị Số {i}", village=f"Bản {i % 7}", phone=f"09{i:08d}")
            for i in range(n)]


def test_each_row_gets_the_creation_record_simple_history_writes(club_a, officer):
    ours = bulk_create_with_history(_members(club_a, "A", 30), Member, default_user=officer)
    theirs = simple_history_bulk(_members(club_a, "B", 30), Member, default_user=officer)
    mine, reference = _records(ours), _records(theirs)
    assert len(mine) == 30 and all(r["history_type"] == "+" and r["history_user_id"] == officer.pk for r in mine)
    # Same fields and values, the keys and codes apart: the history of a bulk row reads as any other.
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("id", "code")} for r in rows]  # noqa: E731
    assert strip(mine) == strip(reference)
    assert [r["code"] for r in mine] == [m.code for m in sorted(ours, key=lambda m: m.pk)]


def test_more_rows_than_one_copy_takes_are_all_recorded(club_a, officer):
    created = bulk_create_with_history(_members(club_a, "C", KEYS_PER_COPY + 5), Member, default_user=officer,
                                       batch_size=2000)
    assert Member.history.filter(id__in=[m.pk for m in created], history_type="+").count() == KEYS_PER_COPY + 5
