"""The grading pages in real Chromium: nothing scrolls sideways on a 390 px phone and axe finds nothing
serious, for the grading, the candidates, the scorecard and its form."""
import pytest
from django.urls import reverse

from laichau_clb.tests.test_browser_field_ready import _walk
from reporting.tests.builders import default_scorecard
from reporting.tests.test_report import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grading_pages_fit_a_phone_and_pass_axe(browser, officer, live_server):
    card = default_scorecard()
    build_world()
    pages = [reverse("reporting:grading") + "?year=2025", reverse("reporting:grading_candidates") + "?year=2025",
             reverse("reporting:scorecard"), reverse("reporting:scorecard_edit", args=[card.pk])]
    problems = _walk(browser, live_server, officer, pages)
    assert problems == [], "\n".join(problems)
