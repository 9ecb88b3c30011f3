"""Issue 12 on the funds tab: money sanity limits per club (with the province's defaults), a warning
for several loans to one member on one day, and the collection sheet's errors under their own field."""
import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clubs.tests.factories import MemberFactory
from funds import rules, services
from funds.models import Loan, Repayment

from .factories import LoanFactory
from .pages import url

pytestmark = pytest.mark.django_db
D = datetime.date


def _loan_data(member, **overrides):
    return {"member": member.pk, "principal": "5.000.000", "disbursed_on": "01/05/2022", "due_on": "01/05/2023",
            "purpose": "Nuôi lợn", "rate_percent_month": "0,5", **overrides}


def _field_errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# ---------------------------------------------------------------- loan limits


def test_a_rate_of_500_percent_a_month_is_refused_with_the_clubs_cap(staff_a_client, funded_a):
    member = MemberFactory(club=funded_a)
    response = staff_a_client.post(url("loan_add", funded_a), _loan_data(member, rate_percent_month="500"))
    assert _field_errors(response, "rate_percent_month") == ["Lãi/phí vượt mức tối đa 3 %/tháng theo quy chế CLB."]
    assert not Loan.objects.exists()


def test_a_huge_principal_gets_the_size_limit_first_and_the_balance_after(staff_a_client, funded_a):
    member = MemberFactory(club=funded_a)
    response = staff_a_client.post(url("loan_add", funded_a), _loan_data(member, principal="999.999.999.999"))
    errors = _field_errors(response, "principal")
    assert errors[0] == "Số tiền vay vượt mức tối đa 50.000.000 đ mỗi khoản theo quy chế CLB."
    assert "không đủ tiền" in errors[1] and len(errors) == 2
    # No absurd negative balance shown (an amount, not a UUID's "-99f4" in the page).
    assert not re.search(r"-\d{1,3}(\.\d{3})+ đ", response.content.decode())
    assert not Loan.objects.exists()


def test_a_clubs_own_regulation_sets_its_limits(staff_a_client, funded_a):
    funded_a.max_loan, funded_a.max_rate_percent_month = 10_000_000, Decimal("1.5")
    funded_a.save()
    member = MemberFactory(club=funded_a)
    page = staff_a_client.get(url("loan_add", funded_a)).content.decode()
    assert "Tối đa 10.000.000 đ mỗi khoản" in page and "Tối đa 1,5 %/tháng" in page
    response = staff_a_client.post(url("loan_add", funded_a),
                                   _loan_data(member, principal="12.000.000", rate_percent_month="2"))
    assert "10.000.000 đ" in _field_errors(response, "principal")[0]
    assert "1,5 %/tháng" in _field_errors(response, "rate_percent_month")[0]
    response = staff_a_client.post(url("loan_add", funded_a), _loan_data(member, principal="10.000.000"))
    assert response.status_code == 302


def test_the_club_form_edits_the_limits(staff_a_client, funded_a):
    data = {"code": funded_a.code, "name": funded_a.name, "commune": funded_a.commune_id, "founded_on": "01/03/2022",
            "track": funded_a.track, "meeting_frequency": "monthly", "max_loan": "20.000.000",
            "max_rate_percent_month": "1,2"}
    response = staff_a_client.post(reverse("clubs:edit", args=[funded_a.code]), data)
    assert response.status_code == 302, response.context["form"].errors
    funded_a.refresh_from_db()
    assert funded_a.max_loan == 20_000_000 and funded_a.max_rate_percent_month == Decimal("1.2")
    assert rules.limits(funded_a) == (20_000_000, Decimal("1.2"))


def test_interest_far_beyond_the_loan_is_refused(staff_a_client, funded_a):
    loan = LoanFactory(club=funded_a, principal=1_000_000, disbursed_on=D(2022, 5, 1), due_on=D(2023, 5, 1))
    response = staff_a_client.post(url("loan_detail", funded_a, loan.pk),
                                   {"paid_on": "01/06/2022", "principal": "", "interest": "99.999.999"})
    errors = _field_errors(response, "interest")
    assert errors and errors[0].startswith("Tiền lãi/phí quá lớn so với khoản vay: tối đa 30.000 đ")
    assert not Repayment.objects.exists()
    # A year of arrears at a normal rate still passes.
    response = staff_a_client.post(url("loan_detail", funded_a, loan.pk),
                                   {"paid_on": "01/05/2023", "principal": "1.000.000", "interest": "60.000"})
    assert response.status_code == 302


def test_repayment_shows_every_problem_at_once(funded_a, staff_a):
    loan = LoanFactory(club=funded_a, principal=1_000_000, disbursed_on=D(2022, 5, 1), due_on=D(2023, 5, 1))
    with pytest.raises(ValidationError) as exc:
        services.repayment_record(loan=loan, on=D(2022, 4, 20), principal=2_000_000, interest=5_000_000, user=staff_a)
    assert set(exc.value.error_dict) == {"paid_on", "principal", "interest"}


# ---------------------------------------------------------------- several loans the same day


def test_a_second_loan_to_one_member_on_one_day_is_a_warning_to_confirm(staff_a_client, funded_a):
    member = MemberFactory(club=funded_a, full_name="Lò Thị Mai")
    assert staff_a_client.post(url("loan_add", funded_a), _loan_data(member)).status_code == 302
    response = staff_a_client.post(url("loan_add", funded_a), _loan_data(member))
    html = response.content.decode()
    assert "Lò Thị Mai đã có 1 khoản vay giải ngân ngày 01/05/2022" in html
    assert 'type="checkbox" name="confirm_same_day"' in html and Loan.objects.count() == 1
    response = staff_a_client.post(url("loan_add", funded_a), _loan_data(member, confirm_same_day="on"))
    assert response.status_code == 302 and Loan.objects.count() == 2
    with pytest.raises(services.SameDayLoans):
        services.loan_disburse(club=funded_a, member=member, amount=1_000_000, on=D(2022, 5, 1), due_on=D(2022, 8, 1),
                               user=None)


# ---------------------------------------------------------------- the collection sheet


def _cells(html, cls):
    return re.findall(rf'class="text-danger small row-error {cls}">([^<]*)<', html)


def test_each_collection_error_is_under_its_own_amount_with_a_summary(staff_a_client, funded_a):
    a = LoanFactory(club=funded_a, principal=3_000_000, disbursed_on=D(2022, 5, 1), due_on=D(2023, 5, 1))
    b = LoanFactory(club=funded_a, principal=1_000_000, disbursed_on=D(2022, 5, 1), due_on=D(2023, 5, 1))
    data = {"on": "10/06/2022", f"principal_{a.pk}": "abc", f"interest_{a.pk}": "15.000",
            f"principal_{b.pk}": "", f"interest_{b.pk}": "99.999.999"}
    html = staff_a_client.post(url("collection", funded_a), data).content.decode()
    row_a = html[html.index(f'id="row-{a.pk}"'):html.index("</tr>", html.index(f'id="row-{a.pk}"'))]
    assert _cells(row_a, "principal-error") == ["Số tiền không hợp lệ: nhập số đồng, ví dụ 15.000.000 hoặc 15000000."]
    assert _cells(row_a, "interest-error") == []
    assert 'id="error-summary"' in html
    # A bad principal refused by the form, and the service's interest check on another row, in one round.
    data[f"principal_{a.pk}"] = "500.000"
    html = staff_a_client.post(url("collection", funded_a), data).content.decode()
    row_b = html[html.index(f'id="row-{b.pk}"'):html.index("</tr>", html.index(f'id="row-{b.pk}"'))]
    assert _cells(row_b, "interest-error")[0].startswith("Tiền lãi/phí quá lớn")
    assert _cells(row_b, "principal-error") == []
    assert not Repayment.objects.exists()


def test_an_empty_sheet_says_so_once_and_fills_the_suggested_amounts(staff_a_client, funded_a):
    loan = LoanFactory(club=funded_a, principal=1_200_000, disbursed_on=D(2022, 5, 1), due_on=D(2023, 5, 1))
    data = {"on": "10/06/2022", f"principal_{loan.pk}": "", f"interest_{loan.pk}": ""}
    html = staff_a_client.post(url("collection", funded_a), data).content.decode()
    assert html.count("Chưa nhập khoản thu nào") == 1
    assert 'name="fill_suggested"' in html
    response = staff_a_client.post(url("collection", funded_a), {**data, "fill_suggested": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="filled-notice"' in html
    assert f'name="principal_{loan.pk}"' in html and 'value="100.000"' in html
    assert "Chưa nhập khoản thu nào" not in html and not Repayment.objects.exists()
    response = staff_a_client.post(url("collection", funded_a), {**data, f"principal_{loan.pk}": "100.000"})
    assert response.status_code == 302 and Repayment.objects.get().principal == 100_000


def test_the_rate_cap_is_said_with_the_forms_own_errors_on_the_first_submit(staff_a_client, funded_a):
    member = MemberFactory(club=funded_a)
    response = staff_a_client.post(url("loan_add", funded_a), _loan_data(member, rate_percent_month="500", due_on=""))
    assert _field_errors(response, "due_on") == ["Chưa nhập Ngày đến hạn."]
    assert "3 %/tháng" in _field_errors(response, "rate_percent_month")[0]
