"""The demo has health sessions in most clubs, some high readings, some clubs with none, and runs again safely."""
import io

import pytest

from care.demo import seed_health
from care.models import HealthCheck, HealthSession
from care.reads import needing_follow_up
from clubs.demo import seed_clubs
from clubs.models import Club, Member
from clubs.rules import member_on
from clubs.services import today

pytestmark = pytest.mark.django_db


def test_seed_health_in_most_clubs_with_high_readings_and_runs_again():
    seed_clubs(seed=2025, stdout=io.StringIO())
    seed_health(seed=2025, stdout=io.StringIO())
    clubs = Club.objects.count()
    with_sessions = HealthSession.objects.values("club").distinct().count()
    assert clubs * 0.5 < with_sessions < clubs
    assert HealthCheck.objects.high().exists()
    assert needing_follow_up(Member.objects.active(on=today()), on=today()).exists()
    for check in HealthCheck.objects.select_related("session__club", "member")[:500]:
        s = check.session
        assert check.member.club_id == s.club_id
        assert member_on(joined_on=check.member.joined_on, left_on=check.member.left_on, on=s.date)
        assert s.club.founded_on <= s.date <= today()
        assert 60 <= check.systolic <= 260 and 30 <= check.diastolic < check.systolic
    assert HealthSession.history.count() == HealthSession.objects.count()
    count = HealthCheck.objects.count()
    seed_health(seed=2025, stdout=io.StringIO())
    assert HealthCheck.objects.count() == count
