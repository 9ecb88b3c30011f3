from django import template

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
