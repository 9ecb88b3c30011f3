"""The app's main pages, with data behind each, for the header test and the browser's CSP journey."""
from django.urls import reverse

from funds.models import Loan
from reporting.tests.test_report import build_world, make_report


def main_pages(officer):
    """Builds two clubs, the plan and a report; returns the paths of the pages an officer uses."""
    province = build_world()
    report = make_report(province, officer)
    loan = Loan.objects.select_related("member__club").filter(member__club__code="CLB-A1").first()
    member, code = loan.member, "CLB-A1"
    pages = [
        reverse("home"),
        reverse("clubs:list"),
        reverse("clubs:create"),
        reverse("clubs:member_search") + "?q=a",
        reverse("clubs:detail", args=[code]),
        reverse("clubs:edit", args=[code]),
        reverse("clubs:members", args=[code]),
        reverse("clubs:member_add", args=[code]),
        reverse("clubs:member_edit", args=[code, member.pk]),
        reverse("clubs:board", args=[code]),
        reverse("clubs:activities", args=[code]),
        reverse("clubs:activity_sheet", args=[code, 2025, 6]),
        reverse("clubs:meetings", args=[code]),
        reverse("clubs:meeting_add", args=[code]),
        reverse("clubs:history", args=[code]),
        reverse("funds:overview", args=[code]),
        reverse("funds:loan_list", args=[code]),
        reverse("funds:loan_add", args=[code]),
        reverse("funds:loan_detail", args=[code, loan.pk]),
        reverse("funds:collection", args=[code]),
        reverse("funds:statement", args=[code]),
        reverse("funds:log", args=[code]),
        reverse("reporting:dashboard"),
        reverse("reporting:plans"),
        reverse("reporting:reports"),
        reverse("reporting:report_detail", args=[report.pk]),
        reverse("reporting:report_edit", args=[report.pk]),
        reverse("workbook:index"),
        reverse("lockouts"),
    ]
    return pages
