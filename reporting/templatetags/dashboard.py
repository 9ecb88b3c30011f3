from django import template

register = template.Library()

NO_VALUE = "—"


@register.filter
def share(percent, denominator):
    """{{ row.women_pct|share:row.members_active }}: the percentage, or "—" when it is a share of
    nothing (a commune without clubs has no women's share, not a share of 0,0%)."""
    return percent if denominator else NO_VALUE
