from django import template

from clubs.formatting import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """{{ 15000000|vnd }} -> 15.000.000 đ"""
    return format_vnd(amount)


@register.filter
def vnd_plain(amount):
    return format_vnd(amount, unit=False)
