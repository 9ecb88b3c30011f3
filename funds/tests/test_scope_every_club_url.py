"""Every page under a club's URL, walked from the URL configuration: staff of another district get a
404 for GET and POST, while an officer reaches the same URL (so the 404 comes from scoping, not from
a wrong address). New club pages are covered automatically."""
import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from clubs.models import Meeting
from clubs.tests.factories import BoardMembershipFactory, MemberFactory
from funds.tests.factories import FundEntryFactory, LoanFactory, RepaymentFactory

pytestmark = pytest.mark.django_db


def _club_routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _club_routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if route.startswith("clubs/<str:"):
                yield route, p.name


@pytest.fixture
def club_b_objects(club_b):
    member = MemberFactory(club=club_b)
    loan = LoanFactory(club=club_b, member=member)
    return {
        "member_edit": member.pk,
        "member_leave": member.pk,
        "member_export": member.pk,
        "board_end": BoardMembershipFactory(member=member).pk,
        "meeting_edit": Meeting.objects.create(club=club_b, held_on=datetime.date(2024, 3, 5)).pk,
        "entry_reverse": FundEntryFactory(club=club_b).pk,
        "loan_detail": loan.pk,
        "repayment_reverse": RepaymentFactory(loan=loan).pk,
        **_care_objects(club_b, member),
    }


def _care_objects(club, member):
    # The walk covers every app's club pages; care's are made here since funds' own code never imports care.
    from care.tests.factories import care_for, session_with, visit_of

    volunteer = MemberFactory(club=club, is_homecare_volunteer=True)
    care = care_for(member, datetime.date(2024, 3, 1), volunteers=[volunteer])
    visit = visit_of(care, volunteer, datetime.date(2024, 3, 5))
    return {"session_edit": session_with(club, datetime.date(2024, 3, 5), {member: (120, 80, None)}).pk,
            "member": member.pk, "care_edit": care.pk, "visit_add": care.pk, "visit_edit": visit.pk,
            "visit_remove": visit.pk}


def _url(route, name, club, objects):
    path = re.sub(r"<str:(club_)?code>", club.code, route)
    path = path.replace("<int:year>", "2025").replace("<int:month>", "3").replace("<str:fund>", "income")
    if "<int:pk>" in path:
        path = path.replace("<int:pk>", str(objects[name]))
    assert "<" not in path, f"route {route} needs an example value in this test"
    return "/" + path


def test_other_district_gets_404_on_every_club_page(client, staff_a, officer, club_b, club_b_objects):
    routes = list(_club_routes(get_resolver().url_patterns))
    assert len(routes) > 25
    for route, name in routes:
        url = _url(route, name, club_b, club_b_objects)
        client.force_login(staff_a)
        assert client.get(url).status_code == 404, f"GET {url}"
        assert client.post(url, {}).status_code == 404, f"POST {url}"
        client.force_login(officer)
        assert client.get(url).status_code in (200, 405), f"officer GET {url}"
