import collections
import threading

from django import template
from django.utils.translation import get_language

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


# ------------------------------------------------------------------ {% memo %}

MEMO_SIZE = 20_000  # rendered fragments per process: every club's matrix row at a few dates
_memo = collections.OrderedDict()
_memo_lock = threading.Lock()


class MemoNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist, self.values = nodelist, values

    def render(self, context):
        key = (self.origin.name, self.token.position, get_language(), context.use_l10n, context.autoescape,
               *(value.resolve(context) for value in self.values))
        with _memo_lock:
            html = _memo.get(key)
            if html is not None:
                _memo.move_to_end(key)
                return html
        html = self.nodelist.render(context)
        with _memo_lock:
            _memo[key] = html
            while len(_memo) > MEMO_SIZE:
                _memo.popitem(last=False)
        return html


@register.tag
def memo(parser, token):
    """{% memo club day %}...{% endmemo %}: the fragment rendered once per process for the same values
    (hashable, immutable: a frozen ClubFigures row, a tuple of a club's columns, a date string) and
    language, then repeated. The dashboard's matrix renders 100 of its 6,000 rows per page and the club
    list 50, and after a write one of them changed: each row took 0.2-0.3 ms to render, most of those
    pages' rendering. Everything the fragment reads must be among the values (or be the same for every
    request: labels in the current language, URLs)."""
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, values)
