"""The rules of the plan's activities, through the services: every error at once, scoping of the area and
club a submission names, cancelling, history with who, and approved years."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from clubs.locks import YEAR_LOCKED
from clubs.rules import CLUB_NOT_AVAILABLE
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory
from programme import services
from programme.models import BudgetLine, Training
from programme.tests.factories import ON, budget, commune, province, supervision, training

pytestmark = pytest.mark.django_db


def codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def test_training_rules_all_at_once(staff_a, district_b):
    with pytest.raises(ValidationError) as exc:
        services.training_save(user=staff_a, area=district_b, date=datetime.date(2099, 1, 1), organiser="x",
                               topic="y", cadres=0, board=0, members=0, others=2_000_000)
    assert codes(exc) == {"area": ["area_not_allowed"], "date": ["future"], "others": ["too_big"]}
    with pytest.raises(ValidationError) as exc:
        services.training_save(user=staff_a, area=province(), date=ON, organiser="x", topic="y",
                               cadres=0, board=0, members=0, others=0)
    assert codes(exc) == {"area": ["area_not_allowed"], "cadres": ["no_participants"]}
    saved = services.training_save(user=staff_a, area=commune(COMMUNE_IN_A), date=ON, organiser=" Hội NCT ",
                                   topic="Quản lý CLB", cadres=1, board=None, members=None, others=None)
    assert (saved.organiser, saved.participants, saved.level_label) == ("Hội NCT", 1, "Xã")
    assert saved.history.get().history_user == staff_a


def test_exchange_clubs_lie_in_the_area_are_active_and_outside_needs_a_destination(officer, staff_a, club_a,
                                                                                   club_b, district_a):
    young = ClubFactory(code="CLB-A9", founded_on=datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError) as exc:
        services.exchange_save(user=officer, area=district_a, date=ON, title="Giao lưu", clubs=[club_a, club_b, young],
                               outside_province=True, destination=" ", participants=10)
    assert codes(exc) == {"clubs": ["outside_area", "not_active"], "destination": ["required"]}
    with pytest.raises(ValidationError) as exc:
        services.exchange_save(user=staff_a, area=district_a, date=ON, title="Giao lưu", clubs=[club_b])
    assert exc.value.error_dict["clubs"][0].message == CLUB_NOT_AVAILABLE
    with pytest.raises(ValidationError) as exc:
        services.exchange_save(user=officer, area=district_a, date=ON, title="Giao lưu", clubs=[])
    assert codes(exc) == {"clubs": ["required"]}
    visit = services.exchange_save(user=officer, area=province(), date=ON, title="Liên huyện", clubs=[club_a, club_b],
                                   outside_province=False, participants=12)
    assert set(visit.clubs.all()) == {club_a, club_b} and set(visit.history.first().clubs.values_list("club", flat=True)) == {club_a.pk, club_b.pk}


def test_supervision_follow_up_rules(officer, staff_b, club_a):
    base = {"club": club_a, "date": ON, "by_whom": "Hội NCT huyện", "findings": "Tốt"}
    with pytest.raises(ValidationError) as exc:
        services.supervision_save(user=officer, **base, follow_up="", follow_up_done=True)
    assert codes(exc) == {"follow_up_done": ["nothing_to_do"], "follow_up_done_on": ["required"]}
    with pytest.raises(ValidationError) as exc:
        services.supervision_save(user=officer, **{**base, "date": datetime.date(2022, 1, 1)}, follow_up="Làm tiếp",
                                  follow_up_done_on=datetime.date(2021, 1, 1))
    assert codes(exc) == {"date": ["before_founded"], "follow_up_done_on": ["not_done", "before_visit"]}
    with pytest.raises(ValidationError) as exc:
        services.supervision_save(user=staff_b, **base)
    assert codes(exc) == {"club": ["club_not_available"]}
    visit = services.supervision_save(user=officer, **base, follow_up="Làm tiếp")
    assert visit.follow_up_open
    visit = services.supervision_save(user=officer, visit=visit, **base, follow_up="Làm tiếp", follow_up_done=True,
                                      follow_up_done_on=datetime.date(2025, 4, 1))
    assert not visit.follow_up_open and visit.history.count() == 2


def test_budget_once_per_year_area_and_source_until_cancelled(officer, district_a):
    line = budget(district_a, 2025, "province")
    values = {"area": district_a, "year": 2025, "source": "province", "estimate": 10**12 + 1, "actual": 0}
    with pytest.raises(ValidationError) as exc:
        services.budget_save(user=officer, **values)
    assert codes(exc) == {"estimate": ["max_value"], "source": ["duplicate"]}
    with pytest.raises(ValidationError) as exc:
        services.budget_save(user=officer, **{**values, "year": 2016, "estimate": 1})
    assert codes(exc) == {"year": ["range"]}
    services.cancel(user=officer, obj=line, reason="Nhầm nguồn")
    again = services.budget_save(user=officer, **{**values, "estimate": 5})
    assert BudgetLine.objects.kept().get() == again and BudgetLine.objects.count() == 2
    with pytest.raises(ValidationError):
        services.budget_save(user=officer, line=line, **{**values, "estimate": 6})  # a cancelled line stays as it was


def test_cancel_needs_a_reason_and_happens_once(officer, district_a):
    t = training(district_a)
    with pytest.raises(ValidationError) as exc:
        services.cancel(user=officer, obj=t, reason=" ")
    assert codes(exc) == {"reason": ["required"]}
    services.cancel(user=officer, obj=t, reason="Trùng")
    assert Training.objects.kept().count() == 0 and Training.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.cancel(user=officer, obj=t, reason="Lần nữa")
    assert codes(exc) == {"__all__": ["cancelled"]}
    assert t.history.first().history_user == officer and t.history.first().cancel_reason == "Trùng"


def test_an_approved_year_refuses_writes_of_that_year_only(officer, district_a, district_b, club_a):
    from reporting import approval

    t = training(district_a)
    visit = supervision(club_a, follow_up="Làm tiếp")
    approval.year_approve(user=officer, area=district_a, year=2025)
    for write in (
        lambda: services.cancel(user=officer, obj=t, reason="nhầm"),
        lambda: services.training_save(user=officer, area=commune(COMMUNE_IN_A), date=ON, organiser="x", topic="y",
                                       cadres=1),
        lambda: services.budget_save(user=officer, area=district_a, year=2025, source="social", estimate=1),
        lambda: services.cancel(user=officer, obj=visit, reason="nhầm"),
    ):
        with pytest.raises(ValidationError) as exc:
            write()
        assert YEAR_LOCKED in [e.message for errors in exc.value.error_dict.values() for e in errors]
    # Another district, another year, and a follow-up done in the next year are not touched by the approval.
    services.training_save(user=officer, area=district_b, date=ON, organiser="x", topic="y", cadres=1)
    services.budget_save(user=officer, area=district_a, year=2026, source="social", estimate=1)
    done = services.supervision_save(user=officer, visit=visit, club=club_a, date=ON, by_whom=visit.by_whom,
                                     findings=visit.findings, follow_up=visit.follow_up, follow_up_done=True,
                                     follow_up_done_on=datetime.date(2026, 1, 5))
    assert done.follow_up_done
