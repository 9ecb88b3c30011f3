from django import template

register = template.Library()

NO_VALUE = "—"


@register.filter
def share(percent, denominator):
    """{{ row.women_pct|share:row.members_active }}: the percentage, or "—" when it is a share of
    nothing (a commune without clubs has no women's share, not a share of 0,0%)."""
    return percent if denominator else NO_VALUE


@register.filter
def of(count, total):
    """{{ ind.communes_standard|of:ind.communes_total }}: "3/38"; "—" when there is nothing to count in."""
    return f"{count}/{total}" if total else NO_VALUE
