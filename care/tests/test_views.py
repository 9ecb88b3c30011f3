"""The club's health page, the fast entry page and a member's readings, through the pages."""
import datetime
import html
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from care.models import HealthCheck, HealthSession
from care.tests.factories import session_with
from clubs.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def url(name, club, *args):
    return reverse(f"care:{name}", args=[club.code, *args])


def text(response):
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_entry_page_saves_readings_typed_the_vietnamese_way(staff_a_client, club_a):
    mai, hoa, pom = MemberFactory.create_batch(3, club=club_a)
    response = staff_a_client.post(url("session_add", club_a), {
        "on": "05/03/2025", "kind": HealthSession.Kind.COMMUNE_STATION, "organiser": "Trạm y tế xã",
        f"m{mai.pk}": "on", f"bp{mai.pk}": "150/95", f"w{mai.pk}": "52,5",
        f"bp{hoa.pk}": "120/80",  # typed without ticking: counted as checked
        f"m{pom.pk}": "",
    })
    assert response.status_code == 302
    session = HealthSession.objects.get()
    assert session.date == datetime.date(2025, 3, 5) and session.kind == HealthSession.Kind.COMMUNE_STATION
    assert {c.member_id: (c.systolic, c.diastolic, c.weight) for c in session.checks.all()} == {
        mai.pk: (150, 95, Decimal("52.5")), hoa.pk: (120, 80, None)}
    page = text(staff_a_client.get(url("club", club_a)))
    assert "05/03/2025" in page and "Khám định kỳ với trạm y tế" in page


def test_entry_page_shows_every_error_at_once_and_keeps_what_was_typed(staff_a_client, club_a):
    mai = MemberFactory(club=club_a, full_name="Lò Thị Mai")
    hoa = MemberFactory(club=club_a, full_name="Nguyễn Thị Hoa")
    pom = MemberFactory(club=club_a, full_name="Lò Văn Pọm")
    future = (datetime.date.today() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    response = staff_a_client.post(url("session_add", club_a), {
        "on": future, "kind": HealthSession.Kind.MONTHLY,
        f"m{mai.pk}": "on", f"bp{mai.pk}": "120-80", f"w{mai.pk}": "năm mươi",
        f"m{hoa.pk}": "on", f"bp{hoa.pk}": "300/80", f"w{hoa.pk}": "52,5",
        f"m{pom.pk}": "on", f"w{pom.pk}": "250",
    })
    page = text(response)
    assert "Ngày không được sau hôm nay" in page
    assert "Lò Thị Mai: huyết áp “120-80” không đọc được" in page
    assert "Lò Thị Mai: cân nặng “năm mươi” không đọc được" in page
    assert "Nguyễn Thị Hoa: huyết áp tâm thu 300 không hợp lý (từ 60 đến 260)." in page
    assert "Lò Văn Pọm: cân nặng 250 kg không hợp lý (từ 20 đến 200 kg)." in page
    assert 'value="120-80"' in page and 'value="năm mươi"' in page and 'value="300/80"' in page
    assert 'value="52,5"' in page and f'value="{future}"' in page
    assert not HealthSession.objects.exists()


def test_editing_a_session_shows_its_readings_and_unticking_removes(staff_a_client, club_a):
    mai, hoa = MemberFactory.create_batch(2, club=club_a)
    session = session_with(club_a, datetime.date(2025, 3, 5), {mai: (120, 80, Decimal("50.5")), hoa: (130, 85, None)})
    page = text(staff_a_client.get(url("session_edit", club_a, session.pk)))
    assert 'value="120/80"' in page and 'value="50,5"' in page and 'value="05/03/2025"' in page
    response = staff_a_client.post(url("session_edit", club_a, session.pk), {
        "on": "05/03/2025", "kind": session.kind, f"m{mai.pk}": "on", f"bp{mai.pk}": "118/76"})
    assert response.status_code == 302
    assert list(HealthCheck.objects.kept().values_list("member_id", "systolic")) == [(mai.pk, 118)]
    assert HealthCheck.objects.get(member=hoa).removed


def test_follow_up_lists_members_whose_latest_reading_is_high(officer_client, club_a):
    high_now = MemberFactory(club=club_a, full_name="Lò Thị Mai")
    better_now = MemberFactory(club=club_a, full_name="Nguyễn Thị Hoa")
    never_high = MemberFactory(club=club_a, full_name="Tẩn Mẩy Chăn")
    left = MemberFactory(club=club_a, full_name="Lò Văn Pọm")
    session_with(club_a, datetime.date(2025, 3, 5), {high_now: (120, 80, None), better_now: (160, 100, None),
                                                     never_high: (120, 80, None), left: (170, 100, None)})
    session_with(club_a, datetime.date(2025, 6, 5), {high_now: (120, 92, None), better_now: (125, 80, None),
                                                     never_high: (None, None, Decimal("50"))})
    left.left_on = datetime.date(2025, 7, 1)
    left.save()
    page = text(officer_client.get(url("club", club_a)))
    follow_up = page.split('id="follow-up-table"')[1].split("</table>")[0]
    assert "Lò Thị Mai" in follow_up and "05/06/2025" in follow_up and "120/92" in follow_up
    for name in ("Nguyễn Thị Hoa", "Tẩn Mẩy Chăn", "Lò Văn Pọm"):
        assert name not in follow_up


def test_member_page_shows_last_check_and_history(staff_a_client, club_a):
    mai = MemberFactory(club=club_a)
    session_with(club_a, datetime.date(2025, 3, 5), {mai: (150, 95, Decimal("52.5"))})
    session_with(club_a, datetime.date(2025, 9, 10), {mai: (None, None, Decimal("51.0"))},
                 kind=HealthSession.Kind.SCREENING)
    page = text(staff_a_client.get(url("member", club_a, mai.pk)))
    last = page.split('id="last-check"')[1].split("</section>")[0]
    assert "10/09/2025" in last and "Khám sàng lọc" in last and "51,0 kg" in last
    rows = page.split('id="check-history-table"')[1].split("</table>")[0]
    assert rows.index("10/09/2025") < rows.index("05/03/2025") and "150/95" in rows and "52,5" in rows
    edit = text(staff_a_client.get(reverse("clubs:member_edit", args=[club_a.code, mai.pk])))
    assert url("member", club_a, mai.pk) in edit
    assert url("club", club_a) in edit  # the club navigation's "Sức khỏe"


@pytest.mark.parametrize("name", ["club", "session_add", "session_edit", "member"])
def test_access_per_view(client, officer, staff_a, staff_b, outsider, club_a, name):
    mai = MemberFactory(club=club_a)
    session = session_with(club_a, datetime.date(2025, 3, 5), {mai: (120, 80, None)})
    args = {"club": [], "session_add": [], "session_edit": [session.pk], "member": [mai.pk]}[name]
    path = url(name, club_a, *args)
    for user, status in ((officer, 200), (staff_a, 200), (staff_b, 404), (outsider, 404)):
        client.force_login(user)
        assert client.get(path).status_code == status, user
    client.force_login(staff_b)
    assert client.post(url("session_add", club_a), {"on": "05/03/2025", "kind": "monthly", f"m{mai.pk}": "on"}
                       ).status_code == 404
    assert HealthSession.objects.count() == 1


def test_anonymous_is_sent_to_login(client, club_a):
    response = client.get(url("club", club_a))
    assert response.status_code == 302 and "login" in response["Location"]


def _grow(club, n, on):
    people = MemberFactory.create_batch(n, club=club)
    session_with(club, on, {m: (150, 95, Decimal("50")) for m in people})
    return people


def test_fixed_queries_as_members_grow(officer_client, club_a):
    _grow(club_a, 2, datetime.date(2025, 3, 5))
    pages = [url("club", club_a), url("session_add", club_a)]
    first_session = HealthSession.objects.get()
    member = first_session.checks.first().member
    pages += [url("session_edit", club_a, first_session.pk), url("member", club_a, member.pk)]
    before = [queries(officer_client, p) for p in pages]
    for i in range(3):
        _grow(club_a, 10, datetime.date(2025, 4 + i, 5))
    HealthCheck.objects.create(session=HealthSession.objects.order_by("date").last(), member=member, systolic=120, diastolic=80)
    assert [queries(officer_client, p) for p in pages] == before
    assert "Lò" in text(officer_client.get(url("club", club_a)))
