"""The demo province looks like the plan: tracks, founding years, members and some clubs short of a check."""
import datetime
import io
from collections import Counter

import pytest
from django.conf import settings

from clubs.checks import Composition
from clubs.demo import NEW_SCHEDULE, seed_clubs
from clubs.models import Activity, BoardMembership, Club, Meeting, Member

pytestmark = pytest.mark.django_db


def test_seed_clubs_builds_the_plan_and_can_run_again():
    assert "clubs.demo.seed_clubs" in settings.DEMO_STEPS
    seed_clubs(seed=2025, stdout=io.StringIO())
    clubs = list(Club.objects.select_related("source_club"))
    tracks = Counter(c.track for c in clubs)
    assert tracks["existing"] == 25 and tracks["new_budget"] == 35 and tracks["new_rotation"] == 12
    assert 72 <= len(clubs) <= 78
    assert len({c.commune.parent_id for c in clubs}) == 8
    assert all(2017 <= c.founded_on.year <= 2020 for c in clubs if c.track == "existing")
    for year, (budget, rotation) in NEW_SCHEDULE.items():
        founded = Counter(c.track for c in clubs if c.founded_on.year == year)
        assert (founded["new_budget"], founded["new_rotation"]) == (budget, rotation)
    for club in clubs:
        if club.track == "new_rotation":
            assert club.source_club.track == "existing" and club.source_club.founded_on < club.founded_on
        else:
            assert club.source_club is None

    on = datetime.date(2025, 12, 31)
    per_club = Club.objects.active(on=on).with_composition(on=on).with_areas_done(on=on)
    comps = [(Composition(c.n, c.women, c.older), c.areas_done) for c in per_club]
    assert all(40 <= comp.n <= 70 or not comp.size_ok for comp, _ in comps)
    failing = Counter()
    for comp, areas in comps:
        failing["size"] += not comp.size_ok
        failing["women"] += not comp.women_ok
        failing["older"] += not comp.older_ok
        failing["areas"] += areas < 8
        failing["ok"] += comp.composition_ok and areas == 8
    assert all(failing[k] >= 2 for k in ("size", "women", "older", "areas")), failing
    assert failing["ok"] >= len(comps) // 3, failing

    ethnicities = set(Member.objects.values_list("ethnicity", flat=True))
    assert {"Thái", "Mông", "Dao", "Hà Nhì", "Kinh", "Giáy"} <= ethnicities
    assert Member.objects.filter(full_name__startswith="Đào").exists() or Member.objects.filter(full_name__contains="Đ").exists()
    assert BoardMembership.objects.filter(role="chair", ended_on__isnull=True).count() == len(clubs)
    assert Activity.objects.filter(date__year=2025).count() > 3000
    assert Meeting.objects.filter(held_on__year=2025).count() > 600
    assert Meeting.attendees.through.objects.count() > 20000
    assert Club.objects.filter(dissolved_on__isnull=False).count() >= 1

    counts = (Club.objects.count(), Member.objects.count(), Activity.objects.count(), Meeting.objects.count())
    out = io.StringIO()
    seed_clubs(seed=2025, stdout=out)
    assert (Club.objects.count(), Member.objects.count(), Activity.objects.count(), Meeting.objects.count()) == counts
    assert "bỏ qua" in out.getvalue()
