import collections
import threading

from django import template
from django.utils.translation import get_language

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
    (hashable, immutable: a frozen ClubFigures row, a date string) and language, then repeated. The
    dashboard's matrix renders 100 of its 6,000 rows per page, and after a write one of them changed:
    each row took 0.3 ms to render, most of the page's rendering. Everything the fragment reads must be
    among the values (or be the same for every request: labels in the current language, URLs)."""
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, values)
