"""What the funds tests read off a page: the address of a club's funds page, an amount as shown, the
page's text and how many queries it took."""
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def url(name, club, *args):
    return reverse(f"funds:{name}", args=[club.code, *args])


def money(text):
    """'1.025.000 đ' -> 1025000; '-5.000 đ' -> -5000."""
    text = text.strip().replace("−", "-")
    sign = -1 if text.startswith("-") else 1
    return sign * int(re.sub(r"\D", "", text) or 0)


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def queries_of(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)
