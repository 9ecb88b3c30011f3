"""Home care services: care periods and visits, what is saved, what is refused and with which message."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from care import home_services as home
from care.models import Care, Help, Visit
from care.reads import care_months, not_visited_in_month
from care.tests.factories import care_for, visit_of
from clubs.tests.factories import MemberFactory, recorder

pytestmark = pytest.mark.django_db
ON = datetime.date(2025, 3, 5)


def codes(exc):
    return {key: [e.code for e in errors] for key, errors in exc.value.error_dict.items()}


@pytest.fixture
def people(club_a):
    recipient = MemberFactory(club=club_a, birth_year=1940)
    volunteer, other = MemberFactory.create_batch(2, club=club_a, is_homecare_volunteer=True)
    return recipient, volunteer, other


def test_a_care_period_is_saved_with_its_volunteers_and_its_author(people):
    recipient, volunteer, other = people
    care = home.care_save(user=recorder(), member=recipient, started_on=ON, reason=Care.Reason.LIVING_ALONE,
                          volunteers=[volunteer, other])
    assert set(care.volunteers.all()) == {volunteer, other}
    assert care.history.first().history_user == recorder()
    home.care_save(user=recorder(), member=recipient, started_on=ON, ended_on=datetime.date(2025, 7, 1),
                   volunteers=[volunteer], care=care)
    care.refresh_from_db()
    assert care.ended_on == datetime.date(2025, 7, 1) and list(care.volunteers.all()) == [volunteer]
    assert Care.objects.count() == 1


def test_volunteers_must_be_flagged_in_the_club_and_not_the_recipient(people, club_b):
    recipient, volunteer, _other = people
    unflagged = MemberFactory(club=recipient.club)
    elsewhere = MemberFactory(club=club_b, is_homecare_volunteer=True)
    with pytest.raises(ValidationError) as exc:
        home.care_save(user=recorder(), member=recipient, started_on=ON,
                       volunteers=[unflagged, elsewhere, recipient])
    assert sorted(codes(exc)["volunteers"]) == ["is_recipient", "not_volunteer", "other_club"]
    assert not Care.objects.exists()


def test_two_care_periods_of_one_member_may_not_overlap(people):
    recipient, volunteer, _ = people
    care_for(recipient, ON, datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError) as exc:
        home.care_save(user=recorder(), member=recipient, started_on=datetime.date(2025, 5, 31))
    assert codes(exc) == {"started_on": ["overlap"]}
    # The end date is the first day without care: a new period may start that day.
    home.care_save(user=recorder(), member=recipient, started_on=datetime.date(2025, 6, 1))


def test_a_period_cannot_shrink_away_from_its_visits(people):
    recipient, volunteer, _ = people
    care = care_for(recipient, ON, volunteers=[volunteer])
    visit_of(care, volunteer, datetime.date(2025, 4, 10))
    with pytest.raises(ValidationError) as exc:
        home.care_save(user=recorder(), member=recipient, started_on=ON, ended_on=datetime.date(2025, 4, 10),
                       care=care)
    assert codes(exc) == {"ended_on": ["visit_outside"]}


def test_a_visit_is_refused_outside_care_by_an_inactive_volunteer_and_without_help(people):
    recipient, volunteer, _ = people
    care = care_for(recipient, ON, datetime.date(2025, 6, 1), volunteers=[volunteer])
    volunteer.left_on = datetime.date(2025, 4, 1)
    volunteer.save()
    with pytest.raises(ValidationError) as exc:
        home.visit_save(user=recorder(), care=care, volunteer=volunteer, on=datetime.date(2025, 6, 1), kinds=[],
                        minutes=0)
    assert codes(exc) == {"date": ["outside_care"], "volunteer": ["not_member"], "kinds": ["required"],
                          "minutes": ["range"]}
    assert not Visit.objects.exists()


def test_one_visit_per_volunteer_and_day_and_a_removed_one_counts_nowhere(people):
    recipient, volunteer, _ = people
    care = care_for(recipient, ON, volunteers=[volunteer])
    first = home.visit_save(user=recorder(), care=care, volunteer=volunteer, on=ON, kinds=[Help.MEALS, Help.CLEANING],
                            minutes=45)
    assert first.kinds_display == "Bữa ăn, Dọn dẹp"
    with pytest.raises(ValidationError) as exc:
        home.visit_save(user=recorder(), care=care, volunteer=volunteer, on=ON)
    assert codes(exc) == {"date": ["twice"]}
    home.visit_remove(user=recorder(), visit=first)
    assert Visit.objects.kept().count() == 0 and Visit.objects.count() == 1
    home.visit_save(user=recorder(), care=care, volunteer=volunteer, on=ON)
    assert Visit.objects.kept().count() == 1


def test_the_month_sheet_adds_and_removes_visits_and_keeps_the_rest(people):
    recipient, volunteer, other = people
    care = care_for(recipient, datetime.date(2025, 3, 1), volunteers=[volunteer, other])
    kept = visit_of(care, volunteer, datetime.date(2025, 3, 3), kinds=[Help.FARM], minutes=90)
    gone = visit_of(care, volunteer, datetime.date(2025, 3, 4))
    added, removed = home.month_sheet_save(user=recorder(), club=recipient.club, year=2025, month=3, cells={
        (volunteer, care): [3, 17], (other, care): [10]}, kinds=[Help.MEDICINE])
    assert (added, removed) == (2, 1)
    kept.refresh_from_db()
    gone.refresh_from_db()
    assert kept.kinds == [Help.FARM] and kept.minutes == 90 and gone.removed
    assert sorted(Visit.objects.kept().values_list("date__day", flat=True)) == [3, 10, 17]


def test_care_months_and_the_not_visited_flag(people):
    recipient, volunteer, _ = people
    second = MemberFactory(club=recipient.club)
    care = care_for(recipient, datetime.date(2025, 1, 20), volunteers=[volunteer])
    care_for(second, datetime.date(2025, 3, 1))
    visit_of(care, volunteer, datetime.date(2025, 1, 25))
    visit_of(care, volunteer, datetime.date(2025, 3, 2))
    visit_of(care, volunteer, datetime.date(2025, 2, 2), removed=True)
    status = care_months(Care.objects.all(), start=datetime.date(2025, 1, 1), end=ON)
    assert status[recipient.pk].care_months == {datetime.date(2025, m, 1) for m in (1, 2, 3)}
    assert status[recipient.pk].visited_months == {datetime.date(2025, 1, 1), datetime.date(2025, 3, 1)}
    assert not status[recipient.pk].visited_every_month
    assert not_visited_in_month(Care.objects.all(), year=2025, month=3, on=ON) == {second.pk}
    assert not_visited_in_month(Care.objects.all(), year=2025, month=2, on=ON) == {recipient.pk}


def test_visit_rules_without_a_volunteer_still_check_the_rest(people):
    # A form where no volunteer was chosen yet still hears about the date, the help and the minutes.
    recipient, volunteer, _ = people
    care = care_for(recipient, ON, datetime.date(2025, 6, 1), volunteers=[volunteer])
    errors = home.visit_errors(care=care, volunteer=None, on=datetime.date(2025, 6, 1), kinds=[], minutes=2000)
    assert {key: [e.code for e in found] for key, found in errors.items()} == {
        "date": ["outside_care"], "kinds": ["required"], "minutes": ["range"]}


def test_a_care_period_keeps_to_the_club_the_membership_and_its_own_start(people, club_a):
    recipient, volunteer, _ = people
    late = MemberFactory(club=club_a, joined_on=datetime.date(2025, 6, 1), is_homecare_volunteer=True)
    cases = [
        (dict(started_on=datetime.date(2022, 1, 1)), {"started_on": ["before_founded", "not_member"]}),
        (dict(started_on=ON, ended_on=ON), {"ended_on": ["end_not_after_start"]}),
        (dict(started_on=datetime.date(2099, 1, 1)), {"started_on": ["future"]}),
        (dict(started_on=ON, ended_on=datetime.date(2025, 5, 1), volunteers=[late]), {"volunteers": ["not_in_period"]}),
    ]
    for values, expected in cases:
        with pytest.raises(ValidationError) as exc:
            home.care_save(user=recorder(), member=recipient, **values)
        assert codes(exc) == expected, values
    assert not Care.objects.exists()


def test_no_new_care_in_a_dissolved_club_and_no_visit_after_its_dissolution(people, club_a):
    recipient, volunteer, _ = people
    care = care_for(recipient, ON, volunteers=[volunteer])
    club_a.dissolved_on, club_a.dissolution_reason = datetime.date(2025, 4, 1), "Sáp nhập"
    club_a.save()
    recipient.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        home.care_save(user=recorder(), member=MemberFactory(club=club_a), started_on=datetime.date(2025, 3, 20))
    assert codes(exc) == {"__all__": ["club_dissolved"]}
    with pytest.raises(ValidationError) as exc:
        home.visit_save(user=recorder(), care=care, volunteer=volunteer, on=datetime.date(2025, 4, 5))
    assert codes(exc) == {"date": ["after_dissolved"]}


def test_a_visit_of_an_unknown_kind_is_refused_not_dropped(people):
    recipient, volunteer, _ = people
    care = care_for(recipient, ON, volunteers=[volunteer])
    with pytest.raises(ValidationError) as exc:
        home.visit_save(user=recorder(), care=care, volunteer=volunteer, on=ON, kinds=[Help.MEALS, "nau-com"])
    assert codes(exc) == {"kinds": ["unknown"]}
    saved = home.visit_save(user=recorder(), care=care, volunteer=volunteer, on=ON, kinds=[Help.FARM, Help.MEALS])
    assert saved.kinds == [Help.MEALS, Help.FARM]  # stored in the list's order


def test_a_visit_in_the_future_is_refused(people):
    recipient, volunteer, _ = people
    care = care_for(recipient, ON, volunteers=[volunteer])
    with pytest.raises(ValidationError) as exc:
        home.visit_save(user=recorder(), care=care, volunteer=volunteer, on=datetime.date(2099, 1, 5))
    assert codes(exc) == {"date": ["future"]}


def test_a_period_cannot_start_after_its_first_visit(people):
    recipient, volunteer, _ = people
    care = care_for(recipient, ON, volunteers=[volunteer])
    visit_of(care, volunteer, datetime.date(2025, 3, 10))
    with pytest.raises(ValidationError) as exc:
        home.care_save(user=recorder(), member=recipient, started_on=datetime.date(2025, 3, 11), care=care)
    assert codes(exc) == {"started_on": ["visit_outside"]}


def test_the_month_sheet_keeps_saved_days_of_a_volunteer_since_unflagged(people):
    recipient, volunteer, other = people
    care = care_for(recipient, datetime.date(2025, 3, 1), volunteers=[volunteer])
    visit_of(care, volunteer, datetime.date(2025, 3, 3))
    volunteer.is_homecare_volunteer = False
    volunteer.save()
    # The saved day 3 is not judged again; the sheet still saves the other cell.
    added, removed = home.month_sheet_save(user=recorder(), club=recipient.club, year=2025, month=3, cells={
        (volunteer, care): [3], (other, care): [12]}, kinds=[Help.CHEER])
    assert (added, removed) == (1, 0)
    # A new day for the unflagged volunteer is refused, said once for the cell however many days.
    with pytest.raises(ValidationError) as exc:
        home.month_sheet_save(user=recorder(), club=recipient.club, year=2025, month=3, cells={
            (volunteer, care): [3, 20, 21]}, kinds=[Help.CHEER])
    assert codes(exc) == {f"{volunteer.pk}.{care.pk}": ["not_volunteer"]}
