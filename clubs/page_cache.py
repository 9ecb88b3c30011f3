"""The body of the busiest pages (the club list, a club's page) kept in the cache until the next
committed write (issue 16 §3: the load a province's staff put on a few servers all day).

A body is rendered once per (data generation, what its viewer may see, what it was asked for) and
then served from the cache: every write path bumps the generation on commit (clubs/cache.py,
clubs/touched.py), so the first request after a write renders afresh, exactly as without the cache.
After a write, a page of clubs (a club's page, a page of the club list) is found again under those
clubs' stamps: a write to another club leaves it cached, as data entry goes on all day across the
country. The club list then asks which clubs its page shows and how many match, so a club created,
moved or renamed into or out of the page renders it again.
What may differ between two viewers is in the key: their scope (an officer sees every club, a district
staff member their district; the access check itself still runs before the cache is read), the
language, the day (the pages count members and activities up to today) and the query string.
A cached body must not hold anything of one user or one request beyond those: no CSRF token, no
message, no name; the views put only GET forms and data there, and the base page around it is rendered
for each request.

Off (0 seconds) in the test settings, where factories write past the write paths; the tests of this
module switch it on.
"""
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import cache as generations
from .models import staff_of


def seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 600)


def scope(user):
    """What Club.objects.visible_to and Area.objects.visible_to decide by: the staff record's role and
    district, taken whole rather than the rule restated, so a change to the rule cannot share a body
    between people who see different clubs."""
    staff = staff_of(user)
    return "none" if staff is None else f"{staff.role}:{staff.district_id}"


def _key(name, *parts):
    return f"page:{name}:" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def body(name, *, user, vary, render, shows):
    """The HTML `render()` returns, from the cache when the same body was rendered for the same scope,
    language and `vary` (the day, the query string...) and nothing it shows was written since.

    `shows()` says what the page shows: (the ids of its clubs in their order, anything else it depends
    on, such as how many clubs match). A body is found under the data generation while no write at all
    has come since it was kept (one query); after a write, under the stamps of its clubs (clubs/cache.py),
    asked only then: a write to a club the page does not show leaves it as kept."""
    keep = seconds()
    if not keep:
        return render()
    common = (connection.settings_dict["NAME"], get_language(), scope(user), *vary)
    latest = _key(name, generations.generation(), *common)
    html = cache.get(latest)
    if html is None:
        club_ids, *others = shows()
        stamped = _key(name, generations.clubs_generation(club_ids), *others, *common)
        html = cache.get(stamped)
        if html is None:
            html = str(render())
            cache.set(stamped, html, keep)
        cache.set(latest, html, keep)
    return mark_safe(html)  # noqa: S308  rendered by our own templates, escaped there
