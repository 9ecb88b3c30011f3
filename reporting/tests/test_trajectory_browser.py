"""The trajectory chart on a 390 px phone: nothing scrolls sideways, its text stays readable, axe passes."""
import pytest

from clubs.models import Area
from clubs.tests.factories import ensure_areas
from laichau_clb.tests.test_browser_field_ready import CHART_TEXT, PHONE, STICKING_OUT, WIDTH, _axe, _context, _open

from .test_trajectory import D, _clubs, _plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trajectory_fits_a_phone_and_passes_axe(browser, officer, live_server):
    ensure_areas()  # an earlier transactional test may have flushed them
    _clubs()
    _plan(Area.objects.get(level=Area.Level.PROVINCE), clubs_founded=50, members_joined=400)
    context = _context(browser, live_server, officer, PHONE)
    page = context.new_page()
    assert _open(page, live_server, f"/reporting/?on={D.isoformat()}") == 200
    assert page.locator("#trajectories svg.chart").count() == 2
    assert page.locator("svg#chart-trajectory-clubs_founded").is_visible()
    assert page.evaluate(WIDTH) <= PHONE["width"], page.evaluate(STICKING_OUT)
    small = [t for t in page.evaluate(CHART_TEXT) if t["px"] < 11]
    assert small == []
    assert _axe(page) == []
    context.close()
