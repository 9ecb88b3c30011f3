"""Helpers for tests that read pages in another interface language."""
import re

from django.urls import reverse


def switch(client, language, next_url="/"):
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    return response


def text(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())
