"""A double click on "Tạo báo cáo" keeps one version; a double click on a new draft saves one draft."""
import pytest
from django.urls import reverse

from clubs.submissions import ALREADY_SENT
from clubs.tests.submission import post_twice, token_from
from reporting.models import AnnualReport
from reporting.tests.test_report import build_world, make_report
from reporting.tests.test_report_views import DRAFT

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_reports(settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


def test_generating_twice_from_one_page_keeps_one_version(officer_client, officer):
    report = make_report(build_world(), officer)
    detail = reverse("reporting:report_detail", args=[report.pk])
    generate = reverse("reporting:report_generate", args=[report.pk])
    token = token_from(officer_client.get(detail), form_action=generate)
    first, second = post_twice(officer_client, generate, {}, token)
    assert first["Location"] == detail and second.redirect_chain == [(detail, 302)]
    assert [v.number for v in report.versions.all()] == [1]
    assert str(ALREADY_SENT) in second.content.decode()
    # A new click on the page that came back is a new version, as before.
    officer_client.post(generate, {"submission_token": token_from(second, form_action=generate)})
    assert report.versions.count() == 2


def test_a_new_draft_sent_twice_is_saved_once(officer_client):
    world = build_world()
    new = reverse("reporting:report_new")
    first, _second = post_twice(officer_client, new, {**DRAFT, "area": world.pk}, token_from(officer_client.get(new)))
    report = AnnualReport.objects.get()
    assert first["Location"] == reverse("reporting:report_detail", args=[report.pk])
