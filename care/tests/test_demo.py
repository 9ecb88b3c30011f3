"""The demo has health sessions in most clubs, some high readings, some clubs with none; home care in most
clubs with recipients visited and not visited this month, some clubs with none; and runs again safely."""
import io

import pytest
from django.urls import reverse

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


def test_seed_home_care_follows_the_rules_shows_every_flag_and_runs_again(officer_client):
    from care import home_services as home
    from care.demo import seed_home_care
    from care.models import Care, Visit
    from care.reads import not_visited_in_month

    seed_clubs(seed=2025, stdout=io.StringIO())
    seed_home_care(seed=2025, stdout=io.StringIO())
    on = today()
    active = Club.objects.active(on=on)
    with_care = set(Care.objects.values_list("member__club_id", flat=True))
    assert 0 < len(with_care) < active.count()  # some clubs have no home care
    flagged = not_visited_in_month(Care.objects.all(), year=on.year, month=on.month, on=on)
    current = set(Care.objects.covering(on).values_list("member_id", flat=True))
    assert flagged & current and current - flagged  # some recipients not visited this month, some visited
    assert Care.objects.filter(ended_on__lte=on).exists() and Visit.objects.exists()
    club = Member.objects.select_related("club").get(pk=sorted(flagged & current)[0]).club
    page = officer_client.get(reverse("care:home", args=[club.code])).content.decode()
    assert "Chưa được thăm tháng này" in page
    quiet = active.exclude(pk__in=with_care).first()
    page = officer_client.get(reverse("care:home", args=[quiet.code])).content.decode()
    assert "Chưa có ai đang được chăm sóc tại nhà." in page
    for care in Care.objects.select_related("member__club").prefetch_related("volunteers")[:150]:
        assert not home.care_errors(member=care.member, started_on=care.started_on, ended_on=care.ended_on,
                                    volunteers=list(care.volunteers.all()), care=care)
    for visit in Visit.objects.select_related("care__member__club", "volunteer")[:300]:
        assert not home.visit_errors(care=visit.care, volunteer=visit.volunteer, on=visit.date, kinds=visit.kinds,
                                     minutes=visit.minutes, visit=visit)
    assert Visit.history.count() == Visit.objects.count()
    count = Visit.objects.count(), Care.objects.count()
    seed_home_care(seed=2025, stdout=io.StringIO())
    assert (Visit.objects.count(), Care.objects.count()) == count
