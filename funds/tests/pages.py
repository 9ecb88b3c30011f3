"""What the funds tests read off a page: the address of a club's funds page, and an amount as shown."""
import re

from django.urls import reverse


def url(name, club, *args):
    return reverse(f"funds:{name}", args=[club.code, *args])


def money(text):
    """'1.025.000 đ' -> 1025000; '-5.000 đ' -> -5000."""
    text = text.strip().replace("−", "-")
    sign = -1 if text.startswith("-") else 1
    return sign * int(re.sub(r"\D", "", text) or 0)
