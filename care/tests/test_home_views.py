"""The club's home-care page, the care period and visit forms, the month sheet and a member's care history,
through the pages."""
import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from care.models import Care, Help, Visit
from care.tests.factories import care_for, visit_of
from clubs.services import today
from clubs.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def url(name, club, *args):
    return reverse(f"care:{name}", args=[club.code, *args])


def text(response):
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def last_month_day(on):
    return on.replace(day=1) - datetime.timedelta(days=1)


@pytest.fixture
def home(club_a):
    """Two volunteers and two recipients cared for since last month: Mai visited this month, Hoa not."""
    on = today()
    started = last_month_day(on).replace(day=1)
    pom = MemberFactory(club=club_a, full_name="Lò Văn Pọm", is_homecare_volunteer=True)
    chan = MemberFactory(club=club_a, full_name="Tẩn Mẩy Chăn", is_homecare_volunteer=True)
    mai = MemberFactory(club=club_a, full_name="Lò Thị Mai", birth_year=1938)
    hoa = MemberFactory(club=club_a, full_name="Nguyễn Thị Hoa", birth_year=1941)
    care_mai = care_for(mai, started, volunteers=[pom])
    care_hoa = care_for(hoa, started, volunteers=[chan], reason=Care.Reason.LIVING_ALONE)
    visit_of(care_mai, pom, on)
    visit_of(care_hoa, chan, started)
    return {"on": on, "started": started, "pom": pom, "chan": chan, "mai": mai, "hoa": hoa,
            "care_mai": care_mai, "care_hoa": care_hoa}


def _row(page, care):
    return page.split(f'id="care-{care.pk}"')[1].split("</tr>")[0]


def test_club_page_lists_volunteers_recipients_and_flags_who_was_not_visited(officer_client, club_a, home):
    gone = MemberFactory(club=club_a, full_name="Lò Thị Ngân")
    care_for(gone, home["started"] - datetime.timedelta(days=60), home["started"])
    page = text(officer_client.get(url("home", club_a)))
    volunteers = page.split('id="volunteer-table"')[1].split("</table>")[0]
    assert "Lò Văn Pọm" in volunteers and "Tẩn Mẩy Chăn" in volunteers and "Lò Thị Mai" not in volunteers
    mai, hoa = _row(page, home["care_mai"]), _row(page, home["care_hoa"])
    assert "Lò Văn Pọm" in mai and home["on"].strftime("%d/%m/%Y") in mai
    assert "(1938)" in mai  # a year, not the number 1.938
    assert "Chưa được thăm tháng này" not in mai
    assert "Chưa được thăm tháng này" in hoa and "Sống một mình" in hoa and "Tẩn Mẩy Chăn" in hoa
    assert home["started"].strftime("%d/%m/%Y") in hoa
    assert "Chưa được thăm tháng này: 1 người." in page
    recipients = page.split('id="recipient-table"')[1].split("</table>")[0]
    ended = page.split('id="ended"')[1].split("</section>")[0]
    assert "Lò Thị Ngân" not in recipients and "Lò Thị Ngân" in ended and "<details" in ended
    assert url("home", club_a) in text(officer_client.get(reverse("clubs:detail", args=[club_a.code])))


def test_starting_a_care_period_through_the_form(staff_a_client, club_a):
    mai = MemberFactory(club=club_a, full_name="Lò Thị Mai")
    pom = MemberFactory(club=club_a, full_name="Lò Văn Pọm", is_homecare_volunteer=True)
    MemberFactory(club=club_a, full_name="Tẩn Mẩy Chăn")  # not a volunteer: not offered
    form = text(staff_a_client.get(url("care_add", club_a)))
    assert 'name="volunteers"' in form  # the checkboxes are there, so what they leave out means something
    boxes = form.split('name="volunteers"', 1)[1].split("</fieldset>")[0]
    assert "Lò Văn Pọm" in boxes and "Tẩn Mẩy Chăn" not in boxes
    response = staff_a_client.post(url("care_add", club_a), {
        "member": mai.pk, "started_on": "05/03/2025", "reason": Care.Reason.ILLNESS, "volunteers": [pom.pk],
        "note": "Sau tai biến"})
    assert response.status_code == 302
    care = Care.objects.get()
    assert (care.member, care.started_on, care.reason) == (mai, datetime.date(2025, 3, 5), Care.Reason.ILLNESS)
    assert list(care.volunteers.all()) == [pom]


def test_care_form_shows_every_error_at_once_in_vietnamese(staff_a_client, club_a):
    mai = MemberFactory(club=club_a, full_name="Lò Thị Mai")
    care_for(mai, datetime.date(2025, 1, 1))
    response = staff_a_client.post(url("care_add", club_a), {
        "member": mai.pk, "started_on": "05/03/2025", "ended_on": "31/02/2025", "reason": "x"})
    page = text(response)
    assert "Thôi chăm sóc từ ngày không hợp lệ: nhập theo dạng dd/mm/yyyy" in page
    assert "Lý do: lựa chọn không có trong danh sách" in page
    assert "Lò Thị Mai đã được chăm sóc từ ngày 01/01/2025" in page  # the service's rule, in the same answer
    assert 'value="31/02/2025"' in page
    assert Care.objects.count() == 1


def test_ending_a_care_period(staff_a_client, club_a, home):
    care = home["care_hoa"]
    end = home["on"] + datetime.timedelta(days=1)
    page = text(staff_a_client.get(url("care_edit", club_a, care.pk)))
    assert f'value="{home["started"]:%d/%m/%Y}"' in page and 'name="member"' not in page
    response = staff_a_client.post(url("care_edit", club_a, care.pk), {
        "started_on": home["started"].strftime("%d/%m/%Y"), "ended_on": end.strftime("%d/%m/%Y"),
        "reason": care.reason, "volunteers": [home["chan"].pk]})
    assert response.status_code == 302
    care.refresh_from_db()
    assert care.ended_on == end


def test_recording_editing_and_removing_a_visit(staff_a_client, club_a, home):
    care, pom = home["care_mai"], home["pom"]
    day = home["started"] + datetime.timedelta(days=2)
    response = staff_a_client.post(url("visit_add", club_a, care.pk), {
        "volunteer": pom.pk, "date": day.strftime("%d/%m/%Y"), "kinds": [Help.MEALS, Help.CLEANING],
        "minutes": "45", "note": "Nấu cơm"})
    assert response.status_code == 302
    visit = Visit.objects.get(date=day)
    assert visit.kinds == [Help.MEALS, Help.CLEANING] and visit.minutes == 45
    visits = text(staff_a_client.get(url("care_edit", club_a, care.pk))).split('id="visit-table"')[1]
    assert "Bữa ăn, Dọn dẹp" in visits and day.strftime("%d/%m/%Y") in visits
    response = staff_a_client.post(url("visit_edit", club_a, visit.pk), {
        "volunteer": pom.pk, "date": day.strftime("%d/%m/%Y"), "kinds": [Help.MEDICINE], "minutes": "30"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.kinds == [Help.MEDICINE] and visit.minutes == 30
    assert "sẽ không được tính nữa" in text(staff_a_client.get(url("visit_remove", club_a, visit.pk)))
    assert staff_a_client.post(url("visit_remove", club_a, visit.pk)).status_code == 302
    visit.refresh_from_db()
    assert visit.removed
    assert staff_a_client.get(url("visit_edit", club_a, visit.pk)).status_code == 404


def test_visit_form_shows_every_error_at_once(staff_a_client, club_a, home):
    care = home["care_mai"]
    before = (home["started"] - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    page = text(staff_a_client.post(url("visit_add", club_a, care.pk), {
        "volunteer": "", "date": before, "minutes": "abc"}))
    assert "Chưa chọn Tình nguyện viên." in page
    assert "Số phút không hợp lệ: nhập một số nguyên" in page
    assert f"Ngày thăm {before} nằm ngoài thời gian chăm sóc Lò Thị Mai" in page
    assert "Chọn ít nhất một việc đã giúp." in page
    assert Visit.objects.count() == 2


def _cell(volunteer, care):
    return f"c{volunteer.pk}_{care.pk}"


def test_month_sheet_shows_the_days_and_saving_adds_and_removes_visits(staff_a_client, club_a, home):
    started = home["started"]
    sheet = url("home_sheet", club_a, started.year, started.month)
    page = text(staff_a_client.get(sheet))
    assert f'name="{_cell(home["chan"], home["care_hoa"])}"' in page
    cell = page.split(f'name="{_cell(home["chan"], home["care_hoa"])}"', 1)[1].split(">", 1)[0]
    assert f'value="{started.day}"' in cell
    assert "Ngày Tẩn Mẩy Chăn thăm Nguyễn Thị Hoa" in page  # each cell says whose it is
    response = staff_a_client.post(sheet, {
        _cell(home["chan"], home["care_hoa"]): "2, 3", _cell(home["pom"], home["care_hoa"]): "",
        _cell(home["pom"], home["care_mai"]): "4", _cell(home["chan"], home["care_mai"]): "",
        "kinds": [Help.MEALS]})
    assert response.status_code == 302
    kept = set(Visit.objects.kept().between(started, last_month_day(home["on"]))
               .values_list("volunteer_id", "care_id", "date__day"))
    assert kept == {(home["chan"].pk, home["care_hoa"].pk, 2), (home["chan"].pk, home["care_hoa"].pk, 3),
                    (home["pom"].pk, home["care_mai"].pk, 4)}
    added = Visit.objects.get(care=home["care_mai"], date__day=4, date__lt=home["on"].replace(day=1))
    assert added.kinds == [Help.MEALS]


def test_month_sheet_shows_unreadable_days_and_refusals_at_their_cell_and_saves_nothing(staff_a_client, club_a,
                                                                                           home):
    started = home["started"]
    sheet = url("home_sheet", club_a, started.year, started.month)
    home["chan"].left_on = started + datetime.timedelta(days=4)
    home["chan"].save()
    response = staff_a_client.post(sheet, {
        _cell(home["chan"], home["care_hoa"]): "1, 20", _cell(home["pom"], home["care_hoa"]): "3, 45",
        _cell(home["pom"], home["care_mai"]): "5", "kinds": []})
    page = text(response)
    month = f"{started.month:02d}/{started.year}"
    assert f"Ngày “45” không có trong tháng {month}." in page
    assert "Tẩn Mẩy Chăn không phải thành viên đang sinh hoạt của CLB ngày 20/" in page
    assert "Chọn ít nhất một việc đã giúp." in page
    cell = page.split(f'name="{_cell(home["pom"], home["care_hoa"])}"')[1].split("</td>")[0]
    assert "“45”" in cell and 'value="3, 45"' in page
    assert Visit.objects.count() == 2


def test_the_flag_goes_when_the_sheet_records_a_visit(staff_a_client, club_a, home):
    on = home["on"]
    sheet = url("home_sheet", club_a, on.year, on.month)
    header = text(staff_a_client.get(sheet)).split("</thead>")[0]
    assert header.count("Chưa được thăm tháng này") == 1
    response = staff_a_client.post(sheet, {
        _cell(home["chan"], home["care_hoa"]): str(on.day), _cell(home["pom"], home["care_mai"]): str(on.day),
        "kinds": [Help.CHEER]}, follow=True)
    page = text(response)
    assert "Đã lưu sổ thăm tháng" in page and "Chưa được thăm tháng này" not in page
    assert "Chưa được thăm tháng này" not in text(staff_a_client.get(url("home", club_a)))


def test_the_month_picker_goes_to_the_month_asked(officer_client, club_a):
    on = today()
    here = url("home_sheet", club_a, on.year, on.month)
    response = officer_client.get(here, {"year": "2025", "month": "3"})
    assert response["Location"] == url("home_sheet", club_a, 2025, 3)
    assert officer_client.get(here, {"year": "abc", "month": "3"}).status_code == 200
    assert officer_client.get(here, {"year": "1999", "month": "3"}).status_code == 200
    assert officer_client.get(url("home_sheet", club_a, 2025, 13)).status_code == 404
    assert url("home_sheet", club_a, on.year, on.month) in text(officer_client.get(url("home", club_a)))


def test_member_page_shows_care_periods_and_visits(staff_a_client, club_a, home):
    page = text(staff_a_client.get(url("member", club_a, home["mai"].pk)))
    cares = page.split('id="care-history-table"')[1].split("</table>")[0]
    assert home["started"].strftime("%d/%m/%Y") in cares and "Lò Văn Pọm" in cares and "Hạn chế vận động" in cares
    visits = page.split('id="care-visit-table"')[1].split("</table>")[0]
    assert home["on"].strftime("%d/%m/%Y") in visits and "Thăm hỏi động viên" in visits


@pytest.mark.parametrize("name", ["home", "care_add", "care_edit", "visit_add", "visit_edit", "visit_remove",
                                  "home_sheet", "member"])
def test_access_per_view(client, officer, staff_a, staff_b, outsider, club_a, home, name):
    visit = Visit.objects.filter(care=home["care_mai"]).get()
    args = {"care_edit": [home["care_mai"].pk], "visit_add": [home["care_mai"].pk], "visit_edit": [visit.pk],
            "visit_remove": [visit.pk], "home_sheet": [2025, 3], "member": [home["mai"].pk]}.get(name, [])
    path = url(name, club_a, *args)
    for user, status in ((officer, 200), (staff_a, 200), (staff_b, 404), (outsider, 404)):
        client.force_login(user)
        assert client.get(path).status_code == status, user
    client.logout()
    response = client.get(path)
    assert response.status_code == 302 and "login" in response["Location"]


def test_other_district_cannot_write(client, staff_b, club_a, home):
    client.force_login(staff_b)
    visit = Visit.objects.filter(care=home["care_mai"]).get()
    on = home["on"]
    assert client.post(url("care_add", club_a), {"member": home["mai"].pk, "started_on": "05/03/2025",
                                                 "reason": "illness"}).status_code == 404
    assert client.post(url("visit_remove", club_a, visit.pk)).status_code == 404
    assert client.post(url("care_edit", club_a, home["care_mai"].pk), {
        "started_on": "05/03/2025", "reason": "illness"}).status_code == 404
    assert client.post(url("visit_add", club_a, home["care_mai"].pk), {
        "volunteer": home["pom"].pk, "date": on.strftime("%d/%m/%Y"), "kinds": ["cheer"]}).status_code == 404
    assert client.post(url("visit_edit", club_a, visit.pk), {
        "volunteer": home["pom"].pk, "date": on.strftime("%d/%m/%Y"), "kinds": ["meals"]}).status_code == 404
    assert client.post(url("home_sheet", club_a, on.year, on.month), {
        _cell(home["chan"], home["care_hoa"]): str(on.day), "kinds": ["cheer"]}).status_code == 404
    visit.refresh_from_db()
    assert not visit.removed and visit.kinds != ["meals"] and Care.objects.count() == 2 and Visit.objects.count() == 2


def _grow(club, n, started, on):
    volunteers = MemberFactory.create_batch(max(1, n // 2), club=club, is_homecare_volunteer=True)
    for i, member in enumerate(MemberFactory.create_batch(n, club=club)):
        care = care_for(member, started, volunteers=volunteers[:2])
        if i % 2:
            visit_of(care, volunteers[0], on)
        care_for(MemberFactory(club=club), started - datetime.timedelta(days=90), started,
                 volunteers=volunteers[:1])


def test_fixed_queries_as_recipients_grow(officer_client, club_a, django_assert_num_queries):
    on = today()
    started = last_month_day(on).replace(day=1)
    _grow(club_a, 2, started, on)
    first = MemberFactory(club=club_a)
    care_for(first, started)
    pages = [url("home", club_a), url("home_sheet", club_a, on.year, on.month), url("member", club_a, first.pk)]
    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert officer_client.get(path).status_code == 200
        return len(ctx.captured_queries)

    before = [count(p) for p in pages]
    _grow(club_a, 10, started, on)
    for path, n in zip(pages, before):
        with django_assert_num_queries(n):
            assert officer_client.get(path).status_code == 200


def test_removing_a_visit_of_an_approved_year_is_refused_on_the_page(staff_a_client, officer, club_a):
    from clubs.models import Area
    from reporting import approval

    mai = MemberFactory(club=club_a, full_name="Lò Thị Mai")
    pom = MemberFactory(club=club_a, full_name="Lò Văn Pọm", is_homecare_volunteer=True)
    care = care_for(mai, datetime.date(2025, 3, 1), volunteers=[pom])
    visit = visit_of(care, pom, datetime.date(2025, 3, 10))
    approval.year_approve(user=officer, area=Area.objects.get(level=Area.Level.PROVINCE), year=2025)
    page = text(staff_a_client.post(url("visit_remove", club_a, visit.pk)))
    assert "Năm 2025 đã được phê duyệt số liệu" in page
    visit.refresh_from_db()
    assert not visit.removed
