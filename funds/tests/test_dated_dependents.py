"""Dates edited after the fact (issue 18, point 8), through the services and the forms: a club's founding
may not move after the rows of its books, nor its dissolution before them, nor a member's joining after
their first loan. The message names the first row in the way."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clubs import services
from clubs.rules import DISSOLVED_BEFORE_RECORDED, FOUNDED_AFTER_RECORDED, JOINED_AFTER_RECORDED
from clubs.tests.factories import MemberFactory
from funds.models import Fund, Loan
from funds.tests.factories import FundEntryFactory, LoanFactory, RepaymentFactory

D = datetime.date


def _message(exc, field):
    return exc.value.message_dict[field]


def test_founding_cannot_move_after_the_first_fund_entry(staff_a, club_a):
    FundEntryFactory(club=club_a, voucher_no="PT-2022-0001", date=D(2022, 4, 2))
    FundEntryFactory(club=club_a, voucher_no="PT-2022-0002", date=D(2022, 5, 9))
    with pytest.raises(ValidationError) as exc:
        services.club_update(user=staff_a, club=club_a, founded_on=D(2022, 4, 10))
    assert _message(exc, "founded_on") == [str(FOUNDED_AFTER_RECORDED % {
        "row": "phiếu PT-2022-0001 (quỹ Tăng thu nhập)", "date": "02/04/2022"})]
    club_a.refresh_from_db()
    assert club_a.founded_on == D(2022, 3, 1)
    # On the day of the first entry is still inside the club's life.
    services.club_update(user=staff_a, club=club_a, founded_on=D(2022, 4, 2))


def test_founding_cannot_move_after_the_first_loan_naming_it(staff_a, club_a):
    member = MemberFactory(club=club_a, joined_on=D(2022, 3, 1))
    LoanFactory(club=club_a, member=member, code="VAY-2024-0003", disbursed_on=D(2022, 3, 5))
    with pytest.raises(ValidationError) as exc:
        services.club_update(user=staff_a, club=club_a, founded_on=D(2022, 3, 6))
    # The member joined on 01/03 too: both rules speak; the loan is named with its date.
    assert "Đã có khoản vay VAY-2024-0003 ngày 05/03/2022" in " ".join(_message(exc, "founded_on"))


def test_founding_cannot_move_after_activities_or_meetings(staff_a, club_a):
    club_a.activities.create(date=D(2022, 6, 1), area=1, content="Đo huyết áp")
    club_a.meetings.create(held_on=D(2022, 5, 20))
    with pytest.raises(ValidationError) as exc:
        services.club_update(user=staff_a, club=club_a, founded_on=D(2022, 7, 1))
    assert _message(exc, "founded_on") == [str(FOUNDED_AFTER_RECORDED % {"row": "buổi sinh hoạt", "date": "20/05/2022"})]


def test_an_untouched_founding_date_is_not_checked_again(staff_a, club_a):
    # A row already before the founding (older data) does not block editing the club's name.
    club_a.activities.create(date=D(2022, 1, 1), area=1, content="Trước khi thành lập")
    services.club_update(user=staff_a, club=club_a, name="CLB Đổi tên")


def test_dissolution_cannot_come_before_existing_rows(staff_a, club_a):
    loan = LoanFactory(club=club_a, code="KV-2024-001", disbursed_on=D(2024, 2, 1))
    RepaymentFactory(loan=loan, paid_on=D(2024, 8, 15))
    FundEntryFactory(club=club_a, voucher_no="PT-2024-0009", date=D(2024, 7, 1))
    with pytest.raises(ValidationError) as exc:
        services.club_dissolve(user=staff_a, club=club_a, dissolved_on=D(2024, 6, 30), reason="Sáp nhập")
    # The latest row is the one the dissolution date must not come before.
    assert _message(exc, "dissolved_on") == [str(DISSOLVED_BEFORE_RECORDED % {
        "row": "lần trả nợ khoản vay KV-2024-001", "date": "15/08/2024"})]
    club_a.refresh_from_db()
    assert club_a.dissolved_on is None
    services.club_dissolve(user=staff_a, club=club_a, dissolved_on=D(2024, 8, 15), reason="Sáp nhập")


def test_joining_cannot_move_after_the_first_loan(staff_a, club_a):
    member = MemberFactory(club=club_a, joined_on=D(2022, 3, 1))
    LoanFactory(club=club_a, member=member, code="KV-2023-002", disbursed_on=D(2023, 5, 2))
    LoanFactory(club=club_a, member=member, code="KV-2023-001", disbursed_on=D(2023, 3, 5))
    with pytest.raises(ValidationError) as exc:
        services.member_update(user=staff_a, member=member, joined_on=D(2023, 4, 1))
    assert _message(exc, "joined_on") == [str(JOINED_AFTER_RECORDED % {
        "row": "khoản vay KV-2023-001", "date": "05/03/2023"})]
    member.refresh_from_db()
    assert member.joined_on == D(2022, 3, 1)
    services.member_update(user=staff_a, member=member, joined_on=D(2023, 3, 5))


def test_joining_cannot_move_after_a_board_seat_or_a_meeting_attended(staff_a, club_a):
    member = MemberFactory(club=club_a, joined_on=D(2022, 3, 1))
    meeting = club_a.meetings.create(held_on=D(2022, 9, 9))
    meeting.attendees.add(member)
    with pytest.raises(ValidationError) as exc:
        services.member_update(user=staff_a, member=member, joined_on=D(2022, 10, 1))
    assert "buổi sinh hoạt có mặt ngày 09/09/2022" in _message(exc, "joined_on")[0]
    club_a.board.create(member=member, role="treasurer", started_on=D(2022, 4, 1))
    with pytest.raises(ValidationError) as exc:
        services.member_update(user=staff_a, member=member, joined_on=D(2022, 10, 1))
    assert "nhiệm vụ Thủ quỹ ngày 01/04/2022" in _message(exc, "joined_on")[0]


# ---------------------------------------------------------------- the same rules on the forms


def test_the_club_form_refuses_moving_the_founding_after_a_loan(staff_a_client, club_a):
    LoanFactory(club=club_a, code="KV-2022-001", disbursed_on=D(2022, 4, 1))
    response = staff_a_client.post(reverse("clubs:edit", args=[club_a.code]), {
        "code": club_a.code, "name": club_a.name, "commune": club_a.commune_id, "founded_on": "01/05/2022",
        "track": "new_budget", "meeting_frequency": "monthly",
    })
    assert response.status_code == 200
    assert "Đã có khoản vay KV-2022-001 ngày 01/04/2022" in " ".join(response.context["form"].errors["founded_on"])


def test_the_dissolve_form_refuses_a_date_before_the_last_entry(staff_a_client, club_a):
    FundEntryFactory(club=club_a, fund=Fund.ACTIVITY, voucher_no="PT-2025-0002", date=D(2025, 3, 3))
    response = staff_a_client.post(reverse("clubs:dissolve", args=[club_a.code]),
                                   {"dissolved_on": "01/03/2025", "dissolution_reason": "Sáp nhập"})
    assert response.context["form"].errors["dissolved_on"] == [str(DISSOLVED_BEFORE_RECORDED % {
        "row": "phiếu PT-2025-0002 (quỹ Hoạt động)", "date": "03/03/2025"})]


def test_the_member_form_refuses_moving_joining_after_the_first_loan(staff_a_client, club_a):
    loan = LoanFactory(club=club_a, code="KV-2022-007", disbursed_on=D(2022, 6, 1))
    member = loan.member
    response = staff_a_client.post(reverse("clubs:member_edit", args=[club_a.code, member.pk]), {
        "code": member.code, "full_name": member.full_name, "gender": member.gender, "birth_year": member.birth_year,
        "ethnicity": member.ethnicity, "household": "", "joined_on": "01/07/2022",
    })
    assert "Đã có khoản vay KV-2022-007 ngày 01/06/2022" in " ".join(response.context["form"].errors["joined_on"])
    assert Loan.objects.get().member.joined_on == member.joined_on
