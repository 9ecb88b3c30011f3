"""The `Người được chăm sóc` and `Thăm chăm sóc` sheets (docs/workbook-care.md): care periods and
visits through real .xlsx files and the real import, refused by the rules of care.home_services."""
import datetime
import io

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from care import home_services as home
from care.models import Care, Help, Visit
from clubs.models import Club, Member
from clubs.rules import d
from clubs.tests.factories import COMMUNE_IN_A, COMMUNE_IN_B, ClubFactory, MemberFactory, commune, recorder
from workbook import messages as M
from workbook.importer import import_workbook
from workbook.spec import HELP_CHOICES, LIST_SHEET
from workbook.xlsx import communes_for, export_workbook, template_workbook, to_bytes

from .helpers import club_row, member_row, xlsx
from .test_export import wipe

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 30)
CARE_SHEET, VISIT_SHEET = "Người được chăm sóc", "Thăm chăm sóc"
VOLUNTEER = {"Tình nguyện viên chăm sóc tại nhà": "Có"}
HistoricalVolunteers = apps.get_model("care", "HistoricalCare_volunteers")


def people():
    """TV001 and TV005 cared for; TV002 and TV003 volunteers; TV004 not flagged as one."""
    return [
        member_row(),
        member_row(code="TV002", **{"Họ và tên": "Lò Văn Hùng", "Giới tính": "Nam", "Năm sinh": 1962}, **VOLUNTEER),
        member_row(code="TV003", **{"Họ và tên": "Tẩn Thị Chăn", "Năm sinh": 1970}, **VOLUNTEER),
        member_row(code="TV004", **{"Họ và tên": "Giàng A Páo", "Giới tính": "Nam", "Năm sinh": 1965}),
        member_row(code="TV005", **{"Họ và tên": "Đào Thị Lan", "Năm sinh": 1938}),
    ]


def care_row(member="TV001", **kw):
    row = {"Mã CLB": "CLB-X1", "Mã thành viên": member, "Họ và tên": "Lò Thị Mai", "Chăm sóc từ ngày": "01/06/2023",
           "Thôi chăm sóc từ ngày": None, "Lý do": "Hạn chế vận động", "Tình nguyện viên phụ trách": "TV002, TV003",
           "Ghi chú": "Đi lại khó khăn"}
    row.update(kw)
    return row


def visit_row(recipient="TV001", volunteer="TV002", **kw):
    row = {"Mã CLB": "CLB-X1", "Ngày thăm": "05/06/2023", "Mã người được chăm sóc": recipient,
           "Mã tình nguyện viên": volunteer, "Việc đã giúp": "Bữa ăn, Dọn dẹp", "Số phút": 60, "Ghi chú": ""}
    row.update(kw)
    return row


def good_file(care=None, visits=None):
    return {
        "CLB": [club_row()],
        "Thành viên": people(),
        CARE_SHEET: care if care is not None else [
            care_row(),
            care_row("TV005", **{"Họ và tên": "Đào Thị Lan", "Chăm sóc từ ngày": "01/03/2024",
                                 "Thôi chăm sóc từ ngày": "01/09/2024", "Lý do": "Sống một mình",
                                 "Tình nguyện viên phụ trách": "TV003", "Ghi chú": ""}),
        ],
        VISIT_SHEET: visits if visits is not None else [
            visit_row(),
            visit_row(volunteer="TV003", **{"Việc đã giúp": "nhắc uống thuốc", "Số phút": None,
                                            "Ghi chú": "Huyết áp ổn"}),
            visit_row("TV005", "TV003", **{"Ngày thăm": "20/03/2024", "Việc đã giúp": "Thăm hỏi động viên"}),
        ],
    }


def counts(result, name):
    sheet = next(s for s in result.sheets if s.name == name)
    return sheet.create, sheet.update, sheet.unchanged


def problems(result):
    return {(p.sheet, p.row, p.column, p.reason) for p in result.problems}


def history_rows():
    return Care.history.count(), Visit.history.count(), HistoricalVolunteers.objects.count()


def state():
    """The care periods and visits as a user reads them, by codes."""
    return (
        sorted((c.member.club.code, c.member.code, c.started_on, c.ended_on, c.reason, c.note,
                tuple(sorted(c.volunteers.values_list("code", flat=True))))
               for c in Care.objects.select_related("member__club")),
        sorted((v.care.member.club.code, v.care.member.code, v.care.started_on, v.volunteer.code, v.date,
                tuple(sorted(v.kinds)), v.minutes, v.note, v.removed)
               for v in Visit.objects.select_related("care__member__club", "volunteer")),
    )


# ------------------------------------------------------------ a good file


def test_a_good_file_saves_the_care_periods_and_visits_with_their_history(officer):
    result = import_workbook(xlsx(good_file()), user=officer, today=TODAY)
    assert result.saved, result.problems
    assert counts(result, CARE_SHEET) == (2, 0, 0) and counts(result, VISIT_SHEET) == (3, 0, 0)
    mai = Care.objects.get(member__code="TV001")
    assert (mai.started_on, mai.ended_on, mai.reason, mai.note) == (
        datetime.date(2023, 6, 1), None, Care.Reason.LIMITED_MOBILITY, "Đi lại khó khăn")
    assert sorted(mai.volunteers.values_list("code", flat=True)) == ["TV002", "TV003"]
    lan = Care.objects.get(member__code="TV005")
    assert (lan.ended_on, lan.reason, list(lan.volunteers.values_list("code", flat=True))) == (
        datetime.date(2024, 9, 1), Care.Reason.LIVING_ALONE, ["TV003"])
    visits = {(v.care.member.code, v.volunteer.code): v for v in Visit.objects.select_related("care__member", "volunteer")}
    assert (visits["TV001", "TV002"].kinds, visits["TV001", "TV002"].minutes) == ([Help.MEALS, Help.CLEANING], 60)
    assert (visits["TV001", "TV003"].kinds, visits["TV001", "TV003"].note) == ([Help.REMINDERS], "Huyết áp ổn")
    assert visits["TV005", "TV003"].care == lan
    # Each creation is in the history with the importing user, a care period with its volunteers then.
    record = mai.history.get()
    assert (record.history_type, record.history_user) == ("+", officer)
    assert sorted(r.member.code for r in record.volunteers.all()) == ["TV002", "TV003"]
    assert {(v.history.get().history_type, v.history.get().history_user) for v in visits.values()} == {("+", officer)}


def test_the_sheets_may_come_alone_for_clubs_and_members_already_saved(club_a):
    recipient = MemberFactory(club=club_a, code="TV001", full_name="Lò Thị Mai")
    MemberFactory(club=club_a, code="TV002", is_homecare_volunteer=True)
    rows = {CARE_SHEET: [care_row(**{"Mã CLB": club_a.code, "Tình nguyện viên phụ trách": "TV002"})],
            VISIT_SHEET: [visit_row(**{"Mã CLB": club_a.code})]}
    result = import_workbook(xlsx(rows), today=TODAY)
    assert result.saved, result.problems
    assert Visit.objects.get().care == Care.objects.get(member=recipient)


def test_the_template_has_both_sheets_with_their_drop_downs_and_example_rows(officer):
    book = load_workbook(io.BytesIO(to_bytes(template_workbook(communes=communes_for(officer)))))
    assert [c.value for c in book[CARE_SHEET][1]] == [
        "Mã CLB *", "Mã thành viên *", "Họ và tên", "Chăm sóc từ ngày *", "Thôi chăm sóc từ ngày", "Lý do *",
        "Tình nguyện viên phụ trách", "Ghi chú"]
    assert [c.value for c in book[VISIT_SHEET][1]] == [
        "Mã CLB *", "Ngày thăm *", "Mã người được chăm sóc *", "Mã tình nguyện viên *", "Việc đã giúp *", "Số phút",
        "Ghi chú"]
    lists = book[LIST_SHEET]
    listed = {column[0].value: [c.value for c in column[1:] if c.value] for column in lists.iter_cols()}
    assert listed["reason"] == ["Hạn chế vận động", "Sống một mình", "Ốm đau, bệnh tật", "Khuyết tật", "Khác"]
    assert listed["kinds"][:2] == ["Bữa ăn", "Dọn dẹp"] and len(listed["kinds"]) == len(Help.choices)
    # The reason is one of the list; several kinds in one cell ("Bữa ăn, Dọn dẹp") are only warned of.
    styles = {str(dv.sqref).split(":")[0]: dv.errorStyle for dv in book[CARE_SHEET].data_validations.dataValidation}
    assert styles == {"F2": "stop"}
    styles = {str(dv.sqref).split(":")[0]: dv.errorStyle for dv in book[VISIT_SHEET].data_validations.dataValidation}
    assert styles == {"E2": "warning"}
    # The example rows (club VD-MAU) are skipped on import.
    result = import_workbook(to_bytes(template_workbook(communes=communes_for(officer))), user=officer)
    assert result.ok and result.rows == 0


# ------------------------------------------------------------ bad rows


def test_bad_rows_are_refused_each_on_its_row_and_column_and_nothing_is_saved(officer):
    sheets = good_file(
        care=[
            care_row(),                                                                    # row 2: good
            care_row("TV099"),                                                             # row 3: no such member
            care_row("TV005", **{"Họ và tên": "Đào Thị Lan", "Tình nguyện viên phụ trách": "TV002, TV004"}),  # 4
            care_row("TV002", **{"Họ và tên": "Lò Văn Hùg", "Tình nguyện viên phụ trách": "TV003",
                                 "Lý do": "Già yếu"}),                                     # row 5: name, reason
            care_row("TV003", **{"Họ và tên": "Tẩn Thị Chăn", "Chăm sóc từ ngày": "01/01/2024",
                                 "Thôi chăm sóc từ ngày": "01/08/2024", "Tình nguyện viên phụ trách": "TV002"}),
            care_row("TV003", **{"Họ và tên": "Tẩn Thị Chăn", "Chăm sóc từ ngày": "01/07/2024",
                                 "Tình nguyện viên phụ trách": "TV002"}),                  # rows 6 and 7 overlap
        ],
        visits=[
            visit_row(),                                                                   # row 2: good
            visit_row(**{"Ngày thăm": "20/05/2023"}),                                      # row 3: before the care
            visit_row(volunteer="TV003", **{"Việc đã giúp": "Bữa ăn, Nấu cơm"}),           # row 4: unknown kind
            visit_row(volunteer="TV004"),                                                  # row 5: not a volunteer
            visit_row("TV098"),                                                            # row 6: no such member
            visit_row("TV004", **{"Ngày thăm": "10/06/2023"}),                             # row 7: never cared for
            visit_row(**{"Ngày thăm": "12/06/2023", "Số phút": 0}),                        # row 8: minutes
            visit_row(),                                                                   # row 9: row 2 again
        ])
    result = import_workbook(xlsx(sheets), user=officer, today=TODAY)
    assert not result.saved
    overlap = str(home.CARE_OVERLAP)
    assert problems(result) == {
        (CARE_SHEET, 3, "Mã thành viên", M.UNKNOWN_MEMBER % {"club": "CLB-X1", "code": "TV099"}),
        (CARE_SHEET, 4, "Tình nguyện viên phụ trách", home.VOLUNTEER_NOT_FLAGGED % {"name": "Giàng A Páo"}),
        (CARE_SHEET, 5, "Họ và tên", M.MEMBER_NAME_MISMATCH % {
            "code": "TV002", "club": "CLB-X1", "name": "Lò Văn Hùng", "given": "Lò Văn Hùg"}),
        (CARE_SHEET, 5, "Lý do", M.BAD_CHOICE % {
            "choices": "Hạn chế vận động, Sống một mình, Ốm đau, bệnh tật, Khuyết tật, Khác"}),
        (CARE_SHEET, 6, "Chăm sóc từ ngày", overlap % {"name": "Tẩn Thị Chăn", "start": "01/07/2024", "end": ""}),
        (CARE_SHEET, 7, "Chăm sóc từ ngày", overlap % {"name": "Tẩn Thị Chăn", "start": "01/01/2024",
                                                      "end": " đến trước 01/08/2024"}),
        (VISIT_SHEET, 3, "Ngày thăm", home.VISIT_OUTSIDE_CARE % {
            "date": "20/05/2023", "name": "Lò Thị Mai", "period": "từ 01/06/2023"}),
        (VISIT_SHEET, 4, "Việc đã giúp", M.BAD_LABEL % {
            "value": "Nấu cơm", "choices": ", ".join(label for label, _ in HELP_CHOICES)}),
        (VISIT_SHEET, 5, "Mã tình nguyện viên", home.VOLUNTEER_NOT_FLAGGED % {"name": "Giàng A Páo"}),
        (VISIT_SHEET, 6, "Mã người được chăm sóc", M.UNKNOWN_MEMBER % {"club": "CLB-X1", "code": "TV098"}),
        (VISIT_SHEET, 7, "Mã người được chăm sóc", M.VISIT_NO_CARE % {"name": "Giàng A Páo", "code": "TV004"}),
        (VISIT_SHEET, 8, "Số phút", str(home.VISIT_MINUTES_RANGE)),
        (VISIT_SHEET, 9, "Ngày thăm", M.DUPLICATE % {"row": 2}),
    }
    assert not Club.objects.exists() and not Care.objects.exists() and not Visit.objects.exists()


@pytest.fixture
def saved_care(club_a):
    """Lò Thị Mai cared for since 01/06/2023 by TV002, visited on 05/06/2023 and 10/03/2024."""
    mai = MemberFactory(club=club_a, code="TV001", full_name="Lò Thị Mai")
    volunteer = MemberFactory(club=club_a, code="TV002", full_name="Lò Văn Hùng", is_homecare_volunteer=True)
    MemberFactory(club=club_a, code="TV003", full_name="Tẩn Thị Chăn", is_homecare_volunteer=True)
    care = home.care_save(user=recorder(), member=mai, started_on=datetime.date(2023, 6, 1), volunteers=[volunteer],
                          note="Đi lại khó khăn")
    for on in (datetime.date(2023, 6, 5), datetime.date(2024, 3, 10)):
        home.visit_save(user=recorder(), care=care, volunteer=volunteer, on=on, kinds=[Help.MEALS, Help.CLEANING],
                        minutes=60)
    return care


def test_a_file_may_not_end_a_saved_period_before_its_visits_nor_start_an_overlapping_one(saved_care):
    club = saved_care.member.club.code
    before, history = state(), history_rows()
    sheets = {CARE_SHEET: [
        care_row(**{"Mã CLB": club, "Thôi chăm sóc từ ngày": "01/01/2024", "Tình nguyện viên phụ trách": "TV002"}),
        care_row(**{"Mã CLB": club, "Chăm sóc từ ngày": "01/09/2023", "Tình nguyện viên phụ trách": "TV003"}),
    ]}
    result = import_workbook(xlsx(sheets), today=TODAY)
    assert problems(result) == {
        (CARE_SHEET, 2, "Thôi chăm sóc từ ngày", home.CARE_VISIT_OUTSIDE % {"date": "10/03/2024"}),
        (CARE_SHEET, 2, "Chăm sóc từ ngày", home.CARE_OVERLAP % {"name": "Lò Thị Mai", "start": "01/09/2023", "end": ""}),
        (CARE_SHEET, 3, "Chăm sóc từ ngày", home.CARE_OVERLAP % {
            "name": "Lò Thị Mai", "start": "01/06/2023", "end": " đến trước 01/01/2024"}),
    }
    assert state() == before and history_rows() == history
    # Ended on the day the new period starts, both are saved; the saved visits stay with the first.
    sheets[CARE_SHEET][0]["Thôi chăm sóc từ ngày"] = "01/09/2024"
    sheets[CARE_SHEET][1]["Chăm sóc từ ngày"] = "01/09/2024"
    sheets[VISIT_SHEET] = [visit_row(volunteer="TV003", **{"Mã CLB": club, "Ngày thăm": "02/09/2024"})]
    result = import_workbook(xlsx(sheets), today=TODAY)
    assert result.saved, result.problems
    assert counts(result, CARE_SHEET) == (1, 1, 0) and counts(result, VISIT_SHEET) == (1, 0, 0)
    saved_care.refresh_from_db()
    assert saved_care.ended_on == datetime.date(2024, 9, 1) and saved_care.visits.count() == 2
    assert Visit.objects.get(date=datetime.date(2024, 9, 2)).care.started_on == datetime.date(2024, 9, 1)


def test_a_column_left_out_keeps_the_saved_volunteers_and_a_removed_visit_comes_back_as_a_new_one(saved_care):
    club = saved_care.member.club.code
    removed = saved_care.visits.get(date=datetime.date(2024, 3, 10))
    home.visit_remove(user=recorder(), visit=removed)
    row = care_row(**{"Mã CLB": club, "Lý do": "Sống một mình"})
    del row["Tình nguyện viên phụ trách"]
    sheets = {CARE_SHEET: [row], VISIT_SHEET: [visit_row(**{"Mã CLB": club, "Ngày thăm": "10/03/2024"})]}
    result = import_workbook(xlsx(sheets), today=TODAY)
    assert result.saved, result.problems
    assert counts(result, CARE_SHEET) == (0, 1, 0) and counts(result, VISIT_SHEET) == (1, 0, 0)
    saved_care.refresh_from_db()
    assert saved_care.reason == Care.Reason.LIVING_ALONE
    assert list(saved_care.volunteers.values_list("code", flat=True)) == ["TV002"]
    assert saved_care.visits.filter(date=datetime.date(2024, 3, 10)).count() == 2  # the removed one stays removed
    assert saved_care.visits.kept().get(date=datetime.date(2024, 3, 10)).kinds == [Help.MEALS, Help.CLEANING]


def test_rows_dated_in_an_approved_year_are_refused_like_on_the_pages(saved_care, officer):
    from clubs.locks import YEAR_LOCKED
    from reporting import approval

    club = saved_care.member.club
    district = club.commune.parent
    approval.year_approve(user=officer, area=district, year=2024)
    before, history = state(), history_rows()
    MemberFactory(club=club, code="TV005", full_name="Đào Thị Lan")
    locked = YEAR_LOCKED % {"year": 2024, "area": district.name}
    sheets = {
        CARE_SHEET: [care_row("TV005", **{"Mã CLB": club.code, "Họ và tên": "Đào Thị Lan",
                                          "Chăm sóc từ ngày": "01/02/2024", "Tình nguyện viên phụ trách": "TV002"})],
        VISIT_SHEET: [visit_row(**{"Mã CLB": club.code, "Ngày thăm": "10/03/2024", "Việc đã giúp": "Dọn dẹp"}),
                      visit_row(**{"Mã CLB": club.code, "Ngày thăm": "11/03/2024"}),
                      visit_row(**{"Mã CLB": club.code, "Ngày thăm": "05/01/2025"})],
    }
    result = import_workbook(xlsx(sheets), user=officer, today=TODAY)
    assert problems(result) == {(CARE_SHEET, 2, "Chăm sóc từ ngày", locked), (VISIT_SHEET, 2, "Ngày thăm", locked),
                                (VISIT_SHEET, 3, "Ngày thăm", locked)}
    assert state()[1] == before[1] and history_rows() == history


def test_rows_of_another_districts_club_are_refused_like_a_missing_code(staff_a, club_b):
    MemberFactory(club=club_b, code="TV001", full_name="Lò Thị Mai")
    rows = {CARE_SHEET: [care_row(**{"Mã CLB": club_b.code, "Tình nguyện viên phụ trách": ""})],
            VISIT_SHEET: [visit_row(**{"Mã CLB": club_b.code})]}
    result = import_workbook(xlsx(rows), user=staff_a, today=TODAY)
    refusal = M.CLUB_NOT_AVAILABLE % {"code": club_b.code}
    assert problems(result) == {(CARE_SHEET, 2, "Mã CLB", refusal), (VISIT_SHEET, 2, "Mã CLB", refusal)}


# ------------------------------------------------------------ export, round trip, idempotence


def care_dataset():
    """Two clubs in two districts: periods ended and open, one member cared for twice, several volunteers,
    visits of every kind, one visit removed (kept in the history, exported nowhere)."""
    made = []
    for code, area in (("CLB-A1", COMMUNE_IN_A), ("CLB-B1", COMMUNE_IN_B)):
        club = ClubFactory(code=code, commune=commune(area), founded_on=datetime.date(2022, 1, 1))
        old = [MemberFactory(club=club, birth_year=1935 + i) for i in range(4)]
        volunteers = [MemberFactory(club=club, birth_year=1965 + i, is_homecare_volunteer=True) for i in range(3)]
        periods = [
            (old[0], datetime.date(2023, 1, 1), datetime.date(2024, 1, 1), volunteers[:1], Care.Reason.ILLNESS),
            (old[0], datetime.date(2024, 6, 1), None, volunteers[:2], Care.Reason.LIMITED_MOBILITY),
            (old[1], datetime.date(2024, 2, 15), None, volunteers, Care.Reason.LIVING_ALONE),
            (old[2], datetime.date(2025, 1, 1), datetime.date(2025, 4, 1), [], Care.Reason.DISABILITY),
        ]
        for n, (member, start, end, assigned, reason) in enumerate(periods):
            care = home.care_save(user=recorder(), member=member, started_on=start, ended_on=end, reason=reason,
                                  volunteers=assigned, note="Con đi làm xa" if n % 2 else "")
            made.append(care)
            for month in range(3):
                on = start + datetime.timedelta(days=20 * month + 3)
                for i, volunteer in enumerate(assigned):
                    kinds = [k for j, k in enumerate(Help.values) if (j + month + i) % 3 == 0]
                    visit = home.visit_save(user=recorder(), care=care, volunteer=volunteer, on=on, kinds=kinds,
                                            minutes=30 * (i + 1) if month else None, note="Trời mưa" if i else "")
                    if month == 2 and i == 1:
                        home.visit_remove(user=recorder(), visit=visit)
    return made


def export_all():
    return to_bytes(export_workbook(Club.objects.all(), communes=communes_for()))


def test_export_then_import_into_an_empty_database_reproduces_the_care_periods_and_visits():
    care_dataset()
    before = state()
    kept = [v for v in before[1] if not v[-1]]
    assert len(kept) > 20 and len(kept) < len(before[1])  # not vacuous, and one removed
    data = export_all()
    wipe()
    result = import_workbook(data, confirm_duplicates=True)
    assert result.saved, result.problems[:5]
    assert state() == (before[0], kept)
    # And exporting again gives the same rows.
    again, first = load_workbook(io.BytesIO(export_all())), load_workbook(io.BytesIO(data))
    for name in (CARE_SHEET, VISIT_SHEET):
        assert list(again[name].values) == list(first[name].values)


def test_the_export_of_an_area_holds_its_clubs_rows_only():
    care_dataset()
    area = commune(COMMUNE_IN_A).parent
    book = load_workbook(io.BytesIO(to_bytes(export_workbook(Club.objects.in_area(area), communes=communes_for()))))
    for name in (CARE_SHEET, VISIT_SHEET):
        assert {r[0] for r in book[name].iter_rows(min_row=2, values_only=True)} == {"CLB-A1"}
    visit = next(book[VISIT_SHEET].iter_rows(min_row=2, values_only=True))
    assert visit[1].date() == datetime.date(2023, 1, 4) and visit[5] is None


def test_the_same_file_twice_changes_nothing_and_a_correction_updates_in_place():
    made = care_dataset()
    data = export_all()
    before, history = state(), history_rows()
    result = import_workbook(data, confirm_duplicates=True)
    assert result.saved, result.problems[:5]
    assert all(s.create == s.update == 0 for s in result.sheets), [(s.name, s.create, s.update) for s in result.sheets]
    assert counts(result, VISIT_SHEET)[2] == len([v for v in before[1] if not v[-1]])
    assert state() == before and history_rows() == history
    # A period given another volunteer and a visit given other kinds: updated, each with one history row.
    book = load_workbook(io.BytesIO(data))
    care_rows = [[c.value for c in row] for row in book[CARE_SHEET].iter_rows()]
    visit_rows = [[c.value for c in row] for row in book[VISIT_SHEET].iter_rows()]
    target = made[3]  # CLB-A1's last period: no volunteers yet
    row = next(r for r in care_rows if r[1] == target.member.code and r[3].date() == target.started_on)
    volunteer = Member.objects.filter(club=target.member.club, is_homecare_volunteer=True).order_by("code").first()
    row[6] = volunteer.code
    visit_rows[1][4] = "Giúp sản xuất, bữa ăn"
    sheets = {CARE_SHEET: [dict(zip(care_rows[0], r)) for r in care_rows[1:]],
              VISIT_SHEET: [dict(zip(visit_rows[0], r)) for r in visit_rows[1:]]}
    result = import_workbook(xlsx(sheets), confirm_duplicates=True)
    assert result.saved, result.problems[:5]
    assert counts(result, CARE_SHEET)[:2] == (0, 1) and counts(result, VISIT_SHEET)[:2] == (0, 1)
    assert list(target.volunteers.all()) == [volunteer]
    assert [r.member for r in target.history.first().volunteers.all()] == [volunteer]
    first = Visit.objects.kept().order_by("care__member__club__code", "date", "care__member__code",
                                          "volunteer__code").first()
    assert first.kinds == [Help.MEALS, Help.FARM]
    assert history_rows()[:2] == (history[0] + 1, history[1] + 1)


# ------------------------------------------------------------ queries


def test_the_import_takes_the_same_number_of_queries_for_a_few_rows_or_many(club_a):
    volunteers = [MemberFactory(club=club_a, is_homecare_volunteer=True) for _ in range(2)]
    recipients = [MemberFactory(club=club_a, birth_year=1940) for _ in range(12)]

    def run(members):
        rows = {
            CARE_SHEET: [care_row(m.code, **{"Mã CLB": club_a.code, "Họ và tên": m.full_name,
                                             "Tình nguyện viên phụ trách": ", ".join(v.code for v in volunteers)})
                         for m in members],
            VISIT_SHEET: [visit_row(m.code, v.code, **{"Mã CLB": club_a.code, "Ngày thăm": d(datetime.date(2023, 6, day))})
                          for m in members for v in volunteers for day in (5, 19)],
        }
        with CaptureQueriesContext(connection) as queries:
            assert import_workbook(xlsx(rows), today=TODAY).saved
        return len(queries)

    assert run(recipients[:2]) == run(recipients[2:])
    assert Care.objects.count() == 12 and Visit.objects.count() == 48
