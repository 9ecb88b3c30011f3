"""The app's main pages, with data behind each, for the header test and the browser journeys (CSP, phone
width, accessibility)."""
import datetime

from django.urls import reverse

from clubs.models import Area, Club, Meeting
from funds.models import Loan
from reporting.models import Plan
from reporting.tests.test_report import build_world, make_report

# Real club names share this long prefix; only the tail tells clubs apart, so pages must show it.
LONG_PREFIX = "CLB liên thế hệ tự giúp nhau"
LONG_NAMES = {"CLB-A1": f"{LONG_PREFIX} bản Nậm Loỏng Thượng", "CLB-B1": f"{LONG_PREFIX} bản Sơn Bình"}


def main_pages(user, *, district=None):
    """Builds two clubs (CLB-A1 in district 105, CLB-B1 in 106), the plan and a report; returns the paths
    of the pages `user` works with. With `district` (a district code) the report is that district's, as
    district staff only reach their own district's reports."""
    province = build_world()
    for code, name in LONG_NAMES.items():
        Club.objects.filter(code=code).update(name=name)
    # A club as old as the demo's: its calendar offers a button for each year since 2017.
    Club.objects.filter(code="CLB-A1").update(founded_on=datetime.date(2017, 3, 28))
    area = Area.objects.get(level=Area.Level.DISTRICT, code=district) if district else province
    report = make_report(area, user)
    loan = Loan.objects.select_related("member__club").filter(member__club__code="CLB-A1").first()
    member, code = loan.member, "CLB-A1"
    meeting = Meeting.objects.filter(club__code=code).first()
    plan = Plan.objects.first()
    officer = district is None  # plans and account locks are the province officer's
    pages = [
        reverse("home"),
        reverse("clubs:list"),
        reverse("clubs:create"),
        reverse("clubs:member_search") + "?q=a",
        reverse("clubs:detail", args=[code]),
        reverse("clubs:edit", args=[code]),
        reverse("clubs:members", args=[code]),
        reverse("clubs:members_print", args=[code]),
        reverse("clubs:member_add", args=[code]),
        reverse("clubs:member_edit", args=[code, member.pk]),
        reverse("clubs:board", args=[code]),
        reverse("clubs:activities", args=[code]),
        reverse("clubs:activity_sheet", args=[code, 2025, 6]),
        reverse("clubs:meetings", args=[code]),
        reverse("clubs:meeting_add", args=[code]),
        *([reverse("clubs:meeting_edit", args=[code, meeting.pk])] if meeting else []),
        reverse("clubs:history", args=[code]),
        reverse("funds:overview", args=[code]),
        reverse("funds:cash_book", args=[code, "income"]),
        reverse("funds:cash_book_print", args=[code, "income"]),
        reverse("funds:entry_add", args=[code]),
        reverse("funds:loan_list", args=[code]),
        reverse("funds:loan_list_print", args=[code]),
        reverse("funds:loan_add", args=[code]),
        reverse("funds:loan_detail", args=[code, loan.pk]),
        reverse("funds:collection", args=[code]),
        reverse("funds:collection_print", args=[code]),
        reverse("funds:rotation", args=[code]),
        reverse("funds:statement", args=[code]),
        reverse("funds:log", args=[code]),
        reverse("reporting:dashboard"),
        reverse("reporting:plans"),
        *([reverse("reporting:plan_edit", args=[plan.pk])] if plan and officer else []),
        *([reverse("reporting:plan_allocation", args=[plan.pk])] if plan and officer else []),
        *([reverse("workbook:plan_import_new")] if officer else []),
        *([reverse("workbook:plan_import", args=[plan.pk])] if plan and officer else []),
        *([reverse("reporting:approvals")] if officer else []),
        reverse("reporting:completeness") + "?month=2025-06",
        reverse("reporting:completeness_year") + "?year=2025",
        reverse("clubs:month_unmark", args=[code, 2025, 6]),
        reverse("reporting:reports"),
        reverse("reporting:report_new"),
        reverse("reporting:report_detail", args=[report.pk]),
        reverse("reporting:report_edit", args=[report.pk]),
        reverse("workbook:index"),
        *([reverse("lockouts")] if officer else []),
    ]
    return pages
