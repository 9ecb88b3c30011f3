"""Writes across districts (issue 18, point 7a): a rotation between clubs of two former districts is the
provincial officer's to record and to reverse; district staff can neither reverse their side (which
would write into the other district's cash book as theirs) nor see a button for it."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clubs.tests.factories import COMMUNE_IN_A, ClubFactory, commune
from funds import ledger, services
from funds.models import EntryKind, Fund, FundEntry, Source
from funds.services import ERR_OTHER_DISTRICT

D = datetime.date


@pytest.fixture
def rotation(club_b, officer):
    """The officer moved 6.000.000 đ of CLB-B1 (district 106) into a new club of district 105."""
    services.fund_entry_record(club=club_b, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2022, 3, 1),
                               amount=10_000_000, source=Source.PROVINCE_BUDGET, user=officer)
    receiver, out, into = services.rotation_create(
        source_club=club_b, amount=6_000_000, on=D(2023, 3, 1), user=officer,
        club_data={"code": "CLB-A-LC", "name": "CLB nhận vốn", "commune": commune(COMMUNE_IN_A)},
    )
    return receiver, out, into


def test_district_staff_cannot_reverse_their_side_of_a_rotation_from_another_district(rotation, staff_a, club_b):
    receiver, out, into = rotation
    with pytest.raises(ValidationError) as exc:
        services.fund_entry_reverse(entry=into, on=D(2023, 3, 5), reason="Sai", user=staff_a)
    assert exc.value.messages == [str(ERR_OTHER_DISTRICT % {"club": "CLB-B1"})]
    # Nothing written in either club's book.
    assert not FundEntry.objects.filter(reverses__isnull=False).exists()
    assert ledger.income_cash(club_b, D(2023, 3, 5)) == 4_000_000


def test_the_officer_reverses_both_sides(rotation, officer, club_b):
    receiver, out, into = rotation
    services.fund_entry_reverse(entry=into, on=D(2023, 3, 5), reason="Sai", user=officer)
    assert ledger.income_cash(club_b, D(2023, 3, 5)) == 10_000_000
    assert ledger.income_cash(receiver, D(2023, 3, 5)) == 0
    assert set(FundEntry.objects.filter(reverses__isnull=False).values_list("created_by", flat=True)) == {officer.pk}


def test_a_rotation_within_one_district_stays_the_district_staffs(staff_a, club_a):
    services.fund_entry_record(club=club_a, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2022, 3, 1),
                               amount=10_000_000, source=Source.PROVINCE_BUDGET, user=staff_a)
    _receiver, out, _into = services.rotation_create(
        source_club=club_a, amount=6_000_000, on=D(2023, 3, 1), user=staff_a,
        club_data={"code": "CLB-A-LC2", "name": "CLB nhận vốn", "commune": commune(COMMUNE_IN_A)})
    services.fund_entry_reverse(entry=out, on=D(2023, 3, 5), reason="Sai", user=staff_a)
    assert ledger.income_cash(club_a, D(2023, 3, 5)) == 10_000_000


def test_district_staff_cannot_rotate_into_a_club_of_another_district(staff_a, club_a, club_b):
    services.fund_entry_record(club=club_a, fund=Fund.INCOME, kind=EntryKind.IN, date=D(2022, 3, 1),
                               amount=10_000_000, source=Source.PROVINCE_BUDGET, user=staff_a)
    target = ClubFactory(code="CLB-B-LC", commune=club_b.commune, track="new_rotation", founded_on=D(2023, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.rotation_create(source_club=club_a, amount=1_000_000, on=D(2023, 2, 1), new_club=target, user=staff_a)
    assert exc.value.messages == [str(ERR_OTHER_DISTRICT % {"club": "CLB-B-LC"})]
    assert not FundEntry.objects.filter(counterpart_club__isnull=False).exists()


def _cash_book(client, club):
    return client.get(reverse("funds:cash_book", args=[club.code, "income"]) + "?start=01/01/2022").content.decode()


def test_the_cash_book_hides_the_reversal_from_district_staff_and_shows_it_to_the_officer(
        rotation, client, staff_a, officer):
    receiver, _out, into = rotation
    link = reverse("funds:entry_reverse", args=[receiver.code, into.pk])
    client.force_login(staff_a)
    page = _cash_book(client, receiver)
    assert "CLB-B1" in page and link not in page and "cán bộ tỉnh đảo" in page
    # Posting anyway is refused with the message, and writes nothing.
    response = client.post(link, {"on": "05/03/2023", "reason": "Sai"})
    assert response.status_code == 200 and str(ERR_OTHER_DISTRICT % {"club": "CLB-B1"}) in response.content.decode()
    assert not FundEntry.objects.filter(reverses__isnull=False).exists()
    client.force_login(officer)
    assert link in _cash_book(client, receiver)
