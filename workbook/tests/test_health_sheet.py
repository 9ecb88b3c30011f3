"""The `Khám sức khỏe` sheet (docs/workbook-care.md): one row per member checked at a health session,
a session keyed by club, date and kind, the entry page's rules (care.services), all or nothing."""
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from care import rules as care_rules
from care import services as care
from care.models import HealthCheck, HealthSession
from care.reads import needing_follow_up
from care.tests.factories import session_with
from clubs.models import Club, Member
from clubs.tests.factories import COMMUNE_IN_A, ClubFactory, MemberFactory, commune, recorder
from workbook import messages as M
from workbook.importer import import_workbook
from workbook.spec import EXAMPLE_CLUB_CODE, LIST_SHEET
from workbook.xlsx import communes_for, export_workbook, template_workbook, to_bytes

from .helpers import club_row, member_row, xlsx

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 30)
SHEET = "Khám sức khỏe"
MONTHLY = "Đo tại buổi sinh hoạt hằng tháng"


def check_row(member="TV001", club="CLB-X1", **kw):
    row = {"Mã CLB": club, "Ngày khám/đo": "10/05/2023", "Hình thức": MONTHLY, "Người/đơn vị thực hiện": "Y tá thôn bản",
           "Mã thành viên": member, "Họ và tên": "Lò Thị Mai", "Huyết áp tâm thu": 130, "Huyết áp tâm trương": 80,
           "Cân nặng (kg)": "52,5"}
    row.update(kw)
    return row


def hung(**kw):
    return member_row(code="TV002", **{"Họ và tên": "Lò Văn Hùng", "Giới tính": "Nam", "Năm sinh": 1950, **kw})


def hung_check(**kw):
    return check_row("TV002", **{"Họ và tên": "Lò Văn Hùng", **kw})


def book(*checks, members=None):
    return {"CLB": [club_row()], "Thành viên": members or [member_row(), hung()], SHEET: list(checks)}


def counts(result):
    sheet = next(s for s in result.sheets if s.name == SHEET)
    return sheet.create, sheet.update, sheet.unchanged


def problems(result):
    return {(p.sheet, p.row, p.column): p.reason for p in result.problems}


def saved_checks():
    return sorted(HealthCheck.objects.values_list(
        "session__club__code", "session__date", "session__kind", "session__organiser", "member__code",
        "systolic", "diastolic", "weight", "removed"))


def nothing_saved():
    return not Club.objects.exists() and not HealthSession.objects.exists() and not HealthCheck.objects.exists()


def test_a_good_file_records_each_session_once_with_its_checks(officer):
    data = xlsx(book(
        check_row(),
        hung_check(**{"Huyết áp tâm thu": None, "Huyết áp tâm trương": None, "Cân nặng (kg)": 61}),
        # Same club and day, another kind: another session.
        check_row(**{"Hình thức": "khám sàng lọc", "Người/đơn vị thực hiện": "Trạm y tế xã", "Huyết áp tâm thu": 150,
                     "Huyết áp tâm trương": 95, "Cân nặng (kg)": 52.4}),
    ))
    result = import_workbook(data, user=officer, today=TODAY)
    assert result.saved, result.problems
    assert counts(result) == (3, 0, 0)
    day = datetime.date(2023, 5, 10)
    assert saved_checks() == [
        ("CLB-X1", day, "monthly", "Y tá thôn bản", "TV001", 130, 80, Decimal("52.5"), False),
        ("CLB-X1", day, "monthly", "Y tá thôn bản", "TV002", None, None, Decimal("61"), False),
        ("CLB-X1", day, "screening", "Trạm y tế xã", "TV001", 150, 95, Decimal("52.4"), False),
    ]
    assert HealthSession.objects.count() == 2
    assert {h.history_user for h in HealthCheck.history.all()} == {officer}
    assert [m.full_name for m in care_follow_up()] == ["Lò Thị Mai"]  # the club page's "Cần theo dõi" list


def care_follow_up():
    return needing_follow_up(Member.objects.all(), on=TODAY)


def test_bad_readings_are_refused_with_row_and_column_and_nothing_is_saved(officer):
    data = xlsx(book(
        check_row(**{"Huyết áp tâm thu": 300}),                                              # row 2
        hung_check(**{"Huyết áp tâm thu": 80, "Huyết áp tâm trương": 90}),                   # row 3: not below
        check_row(**{"Ngày khám/đo": "11/05/2023", "Huyết áp tâm trương": None}),            # row 4: one number
        hung_check(**{"Ngày khám/đo": "11/05/2023", "Cân nặng (kg)": "năm mươi"}),           # row 5
        check_row(**{"Ngày khám/đo": "12/05/2023", "Cân nặng (kg)": "52,55"}),               # row 6
        hung_check(**{"Ngày khám/đo": "12/05/2023", "Cân nặng (kg)": 250}),                  # row 7
        check_row(**{"Ngày khám/đo": "13/05/2023", "Huyết áp tâm thu": "cao"}),              # row 8
        check_row(**{"Ngày khám/đo": "14/05/2023", "Hình thức": "Khám tại nhà"}),            # row 9
        check_row(**{"Ngày khám/đo": "31/02/2023"}),                                         # row 10
    ))
    result = import_workbook(data, user=officer, today=TODAY)
    assert not result.saved and nothing_saved()
    mai, hung_name = "Lò Thị Mai", "Lò Văn Hùng"
    assert problems(result) == {
        (SHEET, 2, "Huyết áp tâm thu"): care_rules.SYSTOLIC_RANGE % {"name": mai, "value": 300},
        (SHEET, 3, "Huyết áp tâm trương"): care_rules.DIASTOLIC_NOT_BELOW % {"name": hung_name, "systolic": 80, "diastolic": 90},
        (SHEET, 4, "Huyết áp tâm trương"): care_rules.BP_INCOMPLETE % {"name": mai},
        (SHEET, 5, "Cân nặng (kg)"): care_rules.WEIGHT_FORMAT % {"name": hung_name, "value": "năm mươi"},
        (SHEET, 6, "Cân nặng (kg)"): care_rules.WEIGHT_DECIMALS % {"name": mai},
        (SHEET, 7, "Cân nặng (kg)"): care_rules.WEIGHT_RANGE % {"name": hung_name, "value": "250"},
        (SHEET, 8, "Huyết áp tâm thu"): M.BAD_INT,
        (SHEET, 9, "Hình thức"): M.BAD_CHOICE % {"choices": ", ".join((
            MONTHLY, "Khám định kỳ với trạm y tế", "Khám sàng lọc"))},
        (SHEET, 10, "Ngày khám/đo"): M.BAD_DATE,
    }


def test_an_unknown_member_is_refused_and_nothing_is_saved(officer):
    result = import_workbook(xlsx(book(check_row(), check_row("TV404", **{"Họ và tên": ""}))), user=officer, today=TODAY)
    assert not result.saved and nothing_saved()
    assert problems(result) == {(SHEET, 3, "Mã thành viên"): M.UNKNOWN_MEMBER % {"club": "CLB-X1", "code": "TV404"}}


def test_a_member_not_active_on_the_date_is_refused(officer):
    members = [member_row(**{"Ngày rời CLB": "01/05/2023"}), hung(**{"Ngày tham gia": "01/06/2023"})]
    result = import_workbook(xlsx(book(check_row(), hung_check(), members=members)), user=officer, today=TODAY)
    assert not result.saved and nothing_saved()
    assert problems(result) == {
        (SHEET, 2, "Mã thành viên"): care.MEMBER_NOT_ACTIVE % {"name": "Lò Thị Mai"},
        (SHEET, 3, "Mã thành viên"): care.MEMBER_NOT_ACTIVE % {"name": "Lò Văn Hùng"},
    }


def test_session_dates_follow_the_entry_page(officer):
    data = xlsx(book(
        check_row(**{"Ngày khám/đo": "28/02/2023"}), hung_check(**{"Ngày khám/đo": "28/02/2023"}),  # before the founding
        check_row(**{"Ngày khám/đo": "01/07/2025"}),                                                 # after today
    ))
    result = import_workbook(data, user=officer, today=TODAY)
    assert not result.saved and nothing_saved()
    before = care.SESSION_BEFORE_FOUNDED % {"date": "01/03/2023"}
    found = problems(result)
    assert found[(SHEET, 2, "Ngày khám/đo")] == found[(SHEET, 3, "Ngày khám/đo")] == before
    assert found[(SHEET, 4, "Ngày khám/đo")] == M.FUTURE_DATE % {"today": "30/06/2025"}


def test_a_row_repeated_a_wrong_name_or_two_organisers_for_one_session_are_refused(officer):
    data = xlsx(book(
        check_row(),
        check_row(**{"Huyết áp tâm thu": 120}),                                              # row 3: same check again
        hung_check(**{"Họ và tên": "Lò Thị Mai", "Ngày khám/đo": "11/05/2023"}),             # row 4: TV002 is Hùng
        hung_check(**{"Người/đơn vị thực hiện": "Trạm y tế xã"}),                            # row 5: other organiser
    ))
    result = import_workbook(data, user=officer, today=TODAY)
    assert not result.saved and nothing_saved()
    assert problems(result) == {
        (SHEET, 3, "Mã thành viên"): M.DUPLICATE % {"row": 2},
        (SHEET, 4, "Họ và tên"): M.MEMBER_NAME_MISMATCH % {
            "code": "TV002", "club": "CLB-X1", "name": "Lò Văn Hùng", "given": "Lò Thị Mai"},
        (SHEET, 5, "Người/đơn vị thực hiện"): M.HEALTH_ORGANISER_DIFFERS % {"row": 2},
    }


def test_the_name_is_informative_when_left_out_or_typed_differently(officer):
    data = xlsx(book(check_row(**{"Họ và tên": "  lò thị  MAI "}), hung_check(**{"Họ và tên": None})))
    assert import_workbook(data, user=officer, today=TODAY).saved
    assert HealthCheck.objects.count() == 2


def test_importing_the_same_file_twice_changes_nothing_the_second_time(officer):
    sheets = book(check_row(), hung_check(**{"Cân nặng (kg)": None}))
    assert import_workbook(xlsx(sheets), user=officer, today=TODAY).saved
    histories = HealthSession.history.count(), HealthCheck.history.count()
    again = import_workbook(xlsx(sheets), user=officer, today=TODAY)
    assert again.saved and counts(again) == (0, 0, 2)
    assert (HealthSession.objects.count(), HealthCheck.objects.count()) == (1, 2)
    assert (HealthSession.history.count(), HealthCheck.history.count()) == histories
    # A corrected reading updates its check; a new organiser its session, counted once.
    sheets[SHEET][1]["Cân nặng (kg)"] = "48"
    corrected = import_workbook(xlsx(sheets), user=officer, today=TODAY)
    assert corrected.saved and counts(corrected) == (0, 1, 1)
    assert HealthCheck.objects.get(member__code="TV002").weight == Decimal("48")
    for row in sheets[SHEET]:
        row["Người/đơn vị thực hiện"] = "Trạm y tế xã"
    moved = import_workbook(xlsx(sheets), user=officer, today=TODAY)
    assert moved.saved and counts(moved) == (0, 1, 1)
    assert HealthSession.objects.get().organiser == "Trạm y tế xã"
    assert HealthSession.history.count() == histories[0] + 1


@pytest.fixture
def saved_session(officer):
    """A club of the books with a session of two checks, entered on the entry page."""
    club = ClubFactory(code="CLB-S1", commune=commune(COMMUNE_IN_A), founded_on=datetime.date(2023, 1, 1))
    mai = MemberFactory(club=club, code="TV001", full_name="Lò Thị Mai", joined_on=club.founded_on)
    hung_ = MemberFactory(club=club, code="TV002", full_name="Lò Văn Hùng", joined_on=club.founded_on)
    session = care.health_session_save(
        club=club, user=recorder(), on=datetime.date(2025, 3, 5), kind=HealthSession.Kind.MONTHLY, organiser="Y tá thôn bản",
        checks=[{"member": mai, "systolic": 130, "diastolic": 80, "weight": None},
                {"member": hung_, "systolic": 145, "diastolic": 85, "weight": Decimal("60.5")}])
    return club, session, mai, hung_


def only_checks(*rows):
    return xlsx({SHEET: [check_row(club="CLB-S1", **{"Ngày khám/đo": "05/03/2025", **row}) for row in rows]})


def test_a_check_of_a_saved_session_that_the_file_leaves_out_is_kept(officer, saved_session):
    club, session, mai, hung_ = saved_session
    result = import_workbook(only_checks({"Cân nặng (kg)": "50"}), user=officer, today=TODAY)
    assert result.saved and counts(result) == (0, 1, 0)
    assert HealthSession.objects.get() == session
    kept = {c.member_id: c for c in HealthCheck.objects.kept()}
    assert set(kept) == {mai.pk, hung_.pk}  # Hùng, not in the file, is still checked
    assert kept[mai.pk].weight == Decimal("50") and kept[hung_.pk].weight == Decimal("60.5")


def test_a_check_taken_off_its_session_comes_back_when_the_file_lists_it(officer, saved_session):
    club, session, mai, hung_ = saved_session
    care.health_session_save(club=club, user=recorder(), on=session.date, kind=session.kind, organiser=session.organiser,
                             checks=[{"member": mai, "systolic": 130, "diastolic": 80, "weight": None}], session=session)
    assert HealthCheck.objects.get(member=hung_).removed
    result = import_workbook(only_checks(
        {"Huyết áp tâm thu": 130, "Huyết áp tâm trương": 80, "Cân nặng (kg)": None},
        {"Mã thành viên": "TV002", "Họ và tên": "Lò Văn Hùng", "Huyết áp tâm thu": 145, "Huyết áp tâm trương": 85,
         "Cân nặng (kg)": "60,5"}), user=officer, today=TODAY)
    assert result.saved and counts(result) == (0, 1, 1)
    assert HealthCheck.objects.kept().count() == 2 and HealthCheck.objects.get(member=hung_).weight == Decimal("60.5")


def test_two_saved_sessions_with_one_key_are_not_guessed_between(officer, saved_session):
    club, session, mai, _hung = saved_session
    session_with(club, session.date, {mai: (120, 80, None)})
    result = import_workbook(only_checks({}), user=officer, today=TODAY)
    assert not result.saved
    assert problems(result) == {(SHEET, 2, "Ngày khám/đo"): M.HEALTH_SESSION_AMBIGUOUS % {
        "club": "CLB-S1", "count": 2, "date": "05/03/2025"}}


def test_district_staff_import_checks_only_for_their_own_clubs(staff_b, saved_session):
    result = import_workbook(only_checks({}), user=staff_b, today=TODAY)
    assert not result.saved
    assert problems(result) == {(SHEET, 2, "Mã CLB"): M.CLUB_NOT_AVAILABLE % {"code": "CLB-S1"}}
    assert HealthCheck.objects.get(member__code="TV001").weight is None


def test_the_template_has_the_sheet_its_headers_its_kinds_list_and_an_ignored_example(officer):
    data = to_bytes(template_workbook(communes=communes_for(officer)))
    ws = load_workbook(io.BytesIO(data))[SHEET]
    assert [c.value for c in ws[1]] == [
        "Mã CLB *", "Ngày khám/đo *", "Hình thức *", "Người/đơn vị thực hiện", "Mã thành viên *", "Họ và tên",
        "Huyết áp tâm thu", "Huyết áp tâm trương", "Cân nặng (kg)"]
    assert ws["A2"].value == EXAMPLE_CLUB_CODE and ws.max_row == 2
    (kinds,) = ws.data_validations.dataValidation
    assert str(kinds.sqref).startswith("C2:") and kinds.errorStyle == "stop"
    column = kinds.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    lists = load_workbook(io.BytesIO(data))[LIST_SHEET]
    assert [c.value for c in lists[column][1:] if c.value] == [MONTHLY, "Khám định kỳ với trạm y tế", "Khám sàng lọc"]
    result = import_workbook(data, user=officer, today=TODAY)
    assert result.ok and counts(result) == (0, 0, 0)


def test_the_export_lists_the_checks_kept_and_reimports_unchanged(officer, saved_session):
    club, session, mai, hung_ = saved_session
    care.health_session_save(club=club, user=recorder(), on=session.date, kind=session.kind, organiser=session.organiser,
                             checks=[{"member": hung_, "systolic": 145, "diastolic": 85, "weight": Decimal("60.5")}],
                             session=session)
    data = to_bytes(export_workbook(Club.objects.all(), communes=communes_for()))
    rows = list(load_workbook(io.BytesIO(data))[SHEET].iter_rows(min_row=2, values_only=True))
    assert rows == [("CLB-S1", datetime.datetime(2025, 3, 5), MONTHLY, "Y tá thôn bản", "TV002", "Lò Văn Hùng", 145, 85, 60.5)]
    histories = HealthCheck.history.count()
    again = import_workbook(data, user=officer, today=TODAY)
    assert again.saved and counts(again) == (0, 0, 1)
    assert HealthCheck.history.count() == histories
    assert HealthCheck.objects.filter(removed=True).get().member == mai  # the import takes nobody off


def test_validation_takes_the_same_queries_for_few_rows_and_many(officer, saved_session, django_assert_num_queries):
    club, _session, _mai, _hung = saved_session
    MemberFactory.create_batch(30, club=club, joined_on=club.founded_on)
    codes = list(club.members.order_by("code").values_list("code", "full_name"))

    def file_of(n):
        return only_checks(*[{"Mã thành viên": code, "Họ và tên": name} for code, name in codes[:n]])

    import_workbook(file_of(2), user=officer, today=TODAY, commit=False)  # the user's staff row, cached
    with CaptureQueriesContext(connection) as few:
        assert import_workbook(file_of(2), user=officer, today=TODAY, commit=False).ok
    with django_assert_num_queries(len(few)):
        assert import_workbook(file_of(32), user=officer, today=TODAY, commit=False).ok


def test_a_dissolved_club_takes_its_past_sessions_but_none_after_its_dissolution(officer):
    clubs = [club_row(**{"Ngày giải thể": "31/12/2023"})]
    after = import_workbook(xlsx({**book(check_row(**{"Ngày khám/đo": "05/01/2024"})), "CLB": clubs}), user=officer, today=TODAY)
    assert not after.saved and nothing_saved()
    assert problems(after) == {(SHEET, 2, "Ngày khám/đo"): care.SESSION_AFTER_DISSOLVED % {"date": "31/12/2023"}}
    result = import_workbook(xlsx({**book(check_row()), "CLB": clubs}), user=officer, today=TODAY)
    assert result.saved, result.problems
    assert HealthCheck.objects.get().session.club.dissolved_on == datetime.date(2023, 12, 31)
