from django import template

from clubs import checks
from clubs.formatting import format_vnd
from clubs.submissions import token_input

register = template.Library()


@register.filter
def vnd(amount):
    """{{ 15000000|vnd }} -> 15.000.000 đ"""
    return format_vnd(amount)


@register.filter
def vnd_plain(amount):
    return format_vnd(amount, unit=False)


@register.simple_tag
def submission_token():
    """{% submission_token %} inside a form whose view is wrapped in once_per_submission."""
    return token_input()


@register.simple_tag
def model_rules():
    """{% model_rules as rules %}: the §3 thresholds pages quote, read from clubs/checks.py so a
    page's legend cannot drift from the rule that colours its numbers."""
    return {"members": checks.MIN_MEMBERS, "share_min": checks.SHARE_MIN_PCT,
            "share_max": checks.SHARE_MAX_PCT, "areas": checks.AREAS}
