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


def assert_pages_read(client, urls, shown, hidden=None, lang=None):
    """Every page shows its `shown` words and none of its `hidden` ones (in the html `lang`)."""
    for name, url in urls.items():
        page = text(client.get(url))
        if lang:
            assert f'<html lang="{lang}"' in page
        for words in shown[name]:
            assert words in page, (name, words)
        for words in (hidden or {}).get(name, ()):
            assert words not in page, (name, words)
