"""Issue 18: no input makes a server error. Every URL pattern is walked from the URL configuration (as
funds/tests/test_scope_every_club_url.py does) as district staff; each page gets GETs with generated
query parameters and POSTs of generated values for every field of its forms (read from the page
itself), hostile values mixed with plausible ones. Seeded, so a failure replays: FUZZ_SEED=n to vary.
"""
import datetime
import os
import random
import re
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from care.tests.factories import care_for, session_with, visit_of
from clubs.models import Meeting
from clubs.tests.factories import ActivityFactory, BoardMembershipFactory, MemberFactory
from funds.tests.factories import FundEntryFactory, LoanFactory, RepaymentFactory

pytestmark = pytest.mark.django_db

SEED = int(os.environ.get("FUZZ_SEED", "18"))
ROUNDS = 3  # GETs and POSTs per URL: about 600 requests; 15 s on SQLite, 8 s on PostgreSQL (load 2.6 on 2 CPUs)
HOSTILE = [
    "", " ", "\x00", "A\x00B", "01/01/0001", "31/12/9999", "00/00/0000", "29/02/2023", "2025-13-01", "1/1/60",
    "0", "-1", "99999999999999999999", str(2**63), "9.223.372.036.854.775.807", "1e309", "NaN", "abc",
    "SLASH/1", "😀", "<script>alert(1)</script>", '=HYPERLINK("http://x","Bấm vào")', "' OR 1=1 --", "%", "x" * 3000,
    "105", "district:105", "commune:03388", "province:12", "area:99999999999999999999", "income", "activity", "in",
]
PARAMS = ["on", "start", "end", "q", "club", "area", "page", "year", "status", "sort", "plan", "fund", "kind",
          "district", "commune", "track", "failing", "next", "month"]
SKIP = {"logout", "set_language"}  # would end the session or only redirect: nothing to fuzz


def _routes(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            if str(p.pattern) == settings.ADMIN_URL:
                continue  # Django's own admin: district staff are not admins and get the login page
            yield from _routes(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), namespace + p.name


@pytest.fixture
def world(club_a):
    member = MemberFactory(club=club_a, joined_on=datetime.date(2023, 3, 1))
    loan = LoanFactory(club=club_a, member=member)
    FundEntryFactory(club=club_a, amount=50_000_000, date=datetime.date(2023, 3, 2))
    ActivityFactory(club=club_a)
    return {
        "member_edit": member.pk, "member_leave": member.pk,
        "board_end": BoardMembershipFactory(member=member).pk,
        "meeting_edit": Meeting.objects.create(club=club_a, held_on=datetime.date(2024, 3, 5)).pk,
        "entry_reverse": FundEntryFactory(club=club_a).pk,
        "loan_detail": loan.pk, "repayment_reverse": RepaymentFactory(loan=loan).pk,
        "session_edit": session_with(club_a, datetime.date(2024, 3, 5), {member: (150, 95, None)}).pk,
        "member": member.pk, **_home_care(member),
    }


def _home_care(member):
    volunteer = MemberFactory(club=member.club, is_homecare_volunteer=True)
    care = care_for(member, datetime.date(2024, 3, 1), volunteers=[volunteer])
    visit = visit_of(care, volunteer, datetime.date(2024, 3, 5))
    return {"care_edit": care.pk, "visit_add": care.pk, "visit_edit": visit.pk, "visit_remove": visit.pk}


def _url(route, name, club, objects):
    short = name.split(":")[-1]
    path = re.sub(r"<str:(club_)?code>", club.code, route)
    path = (path.replace("<int:year>", "2025").replace("<int:month>", "3").replace("<str:fund>", "income")
            .replace("<int:number>", "1").replace("<slug:key>", "members").replace("<str:kind>", "pdf").replace("<uuid:pk>", str(uuid.uuid4())).replace("<plan_id>", "1"))
    path = path.replace("<int:pk>", str(objects.get(short, 1)))
    assert "<" not in path, f"route {route} needs an example value in this test"
    return "/" + path


def _fields(html):
    """{name: [plausible values]} of the page's POST forms: inputs with their value, selects with their options."""
    fields = {}
    for form in re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, re.S | re.I):
        for tag, name, rest in re.findall(r'<(input|select|textarea)\b[^>]*?name="([^"]+)"([^>]*>)', form, re.S):
            if name == "csrfmiddlewaretoken":
                continue
            values = fields.setdefault(name, [])
            value = re.search(r'value="([^"]*)"', rest)
            if value:
                values.append(value.group(1))
        for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
            fields.setdefault(name, []).extend(re.findall(r'<option value="([^"]*)"', body))
    return fields


def _value(rng, plausible):
    if plausible and rng.random() < 0.5:
        return rng.choice(plausible)
    return rng.choice(HOSTILE)


def _check(client, method, url, data, failures):
    try:
        response = getattr(client, method)(url, data)
    except Exception as exc:  # the test client re-raises what would have been a 500
        failures.append(f"{method.upper()} {url} {data!r}: {exc.__class__.__name__}: {str(exc)[:200]}")
        return None
    if response.status_code >= 500:
        failures.append(f"{method.upper()} {url} {data!r}: status {response.status_code}")
    return response


def test_no_generated_input_gives_a_server_error(staff_a, club_a, world):
    rng = random.Random(SEED)
    client = Client()
    routes = [(r, n) for r, n in _routes(get_resolver().url_patterns) if n.split(":")[-1] not in SKIP]
    assert len(routes) > 40
    failures = []
    for route, name in routes:
        url = _url(route, name, club_a, world)
        client.force_login(staff_a)
        page = _check(client, "get", url, {}, failures)
        fields = _fields(page.content.decode(errors="replace")) if page is not None and page.status_code == 200 else {}
        for _ in range(ROUNDS):
            params = {key: rng.choice(HOSTILE) for key in rng.sample(PARAMS, 3)}
            _check(client, "get", url, params, failures)
            data = {name: _value(rng, plausible) for name, plausible in fields.items()}
            for name, plausible in fields.items():
                if plausible and rng.random() < 0.3:  # a multiple choice sends several values
                    data[name] = [_value(rng, plausible) for _ in range(3)]
            _check(client, "post", url, data, failures)
            client.force_login(staff_a)
    assert not failures, "\n".join(failures[:30])
