"""The demo has every kind of the plan's activities, a supervision visit with an open follow-up, every row
recorded as the demo's and within the services' rules, and runs again without adding anything."""
import io

import pytest
from django.urls import reverse

from clubs.demo import demo_only, seed_clubs
from clubs.records import DemoRecord
from programme import services
from programme.demo import seed_programme
from programme.models import BudgetLine, Communication, ExchangeVisit, SupervisionVisit, Training
from programme.tests.factories import budget, province

pytestmark = pytest.mark.django_db
MODELS = (Training, Communication, ExchangeVisit, SupervisionVisit, BudgetLine)


def test_seed_programme_shows_every_kind_and_runs_again(officer, officer_client):
    seed_clubs(seed=2025, stdout=io.StringIO())
    mine = budget(province(), 2026, "central", estimate=7, actual=7)  # someone's own line is left alone
    seed_programme(seed=2025, stdout=io.StringIO())
    for model in MODELS:
        assert model.objects.exists(), model
        assert demo_only(model.objects.all()).count() == model.objects.count() - (model is BudgetLine), model
        assert model.history.count() == model.objects.count()
    mine.refresh_from_db()
    assert mine.estimate == 7
    visit = SupervisionVisit.objects.open_follow_up().select_related("club").first()
    assert visit is not None
    page = officer_client.get(reverse("programme:club_visits", args=[visit.club.code])).content.decode()
    assert "Chưa thực hiện" in page
    for v in SupervisionVisit.objects.select_related("club"):
        assert not services.supervision_errors(user=officer, club=v.club, date=v.date, follow_up=v.follow_up,
                                               follow_up_done=v.follow_up_done, follow_up_done_on=v.follow_up_done_on,
                                               visit=v)
    for e in ExchangeVisit.objects.select_related("area").prefetch_related("clubs"):
        assert not services.exchange_errors(user=officer, area=e.area, date=e.date, clubs=list(e.clubs.all()),
                                            outside_province=e.outside_province, destination=e.destination,
                                            exchange=e)
        assert e.history.first().clubs.count() == e.clubs.count()
    counts = [m.objects.count() for m in MODELS] + [DemoRecord.objects.count()]
    seed_programme(seed=2025, stdout=io.StringIO())
    assert [m.objects.count() for m in MODELS] + [DemoRecord.objects.count()] == counts
