"""Every main page sends the Content-Security-Policy, and no template has an inline script or handler."""
import re
from pathlib import Path

import pytest
from django.urls import reverse

from .main_pages import main_pages

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_main_page_sends_the_policy(officer, officer_client, client):
    pages = main_pages(officer)
    for path in pages:
        response = officer_client.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "default-src 'self'" in policy, path
        assert "unsafe-eval" not in policy and "frame-ancestors 'none'" in policy, path
    client.logout()
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_event_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\shx-on[:-]|javascript:", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in ROOT.glob("*/templates/**/*.html") if "node_modules" not in path.parts
        for match in inline.finditer(path.read_text())
    ] + [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").glob("**/*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert offenders == []
