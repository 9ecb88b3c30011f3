"""Issue 12: Django's English blank choice never shows on a Vietnamese screen."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_selects_offer_a_vietnamese_blank_choice(officer_client, club_a):
    for url in (reverse("clubs:create"), reverse("clubs:board", args=[club_a.code]), reverse("reporting:report_new")):
        html = officer_client.get(url).content.decode()
        assert "Select an option" not in html and "---------" not in html, url
    assert "— Chọn —" in officer_client.get(reverse("clubs:create")).content.decode()


def test_report_form_labels_the_plan_in_vietnamese(officer_client):
    from reporting.demo import seed_plan

    seed_plan()
    html = officer_client.get(reverse("reporting:report_new")).content.decode()
    assert 'name="plan"' in html
    assert "Kế hoạch" in html.split('name="plan"')[0][-400:] and "Plan" not in html
