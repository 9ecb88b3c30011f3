"""{% load funds_tags %}{% capital_links club %}: where a club's capital came from and which clubs
its capital founded (luân chuyển vốn), for the club page and the funds tab."""
from django import template

from funds.models import EntryKind, Fund, FundEntry, Source

register = template.Library()


def capital_links(club):
    """(came_from, founded): live rotation entries into and out of the club's income fund (a
    reversed rotation is left out), plus clubs naming this one as source without an entry yet."""
    rows = (
        FundEntry.objects.filter(club=club, fund=Fund.INCOME, counterpart_club__isnull=False,
                                 reverses__isnull=True, reversed_by__isnull=True)
        .select_related("counterpart_club").order_by("date", "pk")
    )
    came_from = [e for e in rows if e.kind == EntryKind.IN and e.source == Source.ROTATION]
    founded = [e for e in rows if e.kind == EntryKind.OUT]
    written = {e.counterpart_club_id for e in founded}
    pending = [c for c in club.rotated_clubs.order_by("founded_on", "code") if c.pk not in written]
    return came_from, founded, pending


@register.inclusion_tag("funds/_capital_links.html")
def capital_links_panel(club):
    came_from, founded, pending = capital_links(club)
    return {"club": club, "came_from": came_from, "founded": founded, "pending": pending}
