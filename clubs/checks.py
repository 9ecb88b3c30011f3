"""The per-club quality rules of indicators.md §3, in integer arithmetic.

Pages (the club's composition panel) and reporting/indicators.py both call these, so a club is
judged the same way everywhere. Inputs are counts of active members at the reference date.
"""
import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import ActivityArea

MIN_MEMBERS = 40
SHARE_MIN_PCT = 60  # women, and older people, are each 60–70% of the members (§3)
SHARE_MAX_PCT = 70


def size_ok(n):
    return n >= MIN_MEMBERS


def share_ok(part, n):
    """60–70% of n, both ends included, in integers: 60n ≤ 100·part ≤ 70n. A club with n = 0 fails."""
    return n > 0 and SHARE_MIN_PCT * n <= 100 * part <= SHARE_MAX_PCT * n


def borrowers_ok(borrowers, n):
    return n > 0 and 2 * borrowers >= n


AREAS = len(ActivityArea)  # the 8 activity areas of indicators.md §4


def areas_ok(areas_done, n):
    """An activity in each of the 8 areas within the period, in a club with members (§3).
    `areas_done`: how many different areas (1-8) have an activity dated in the period."""
    return n > 0 and areas_done >= AREAS


def required_months(founded_on, as_of):
    """The months of D's year a club must have met in (indicators.md §8): each calendar month of the
    period that begins on or after the founding date and ends on or before D, as month numbers."""
    return tuple(
        month for month in range(1, as_of.month + 1)
        if datetime.date(as_of.year, month, 1) >= founded_on
        and datetime.date(as_of.year, month, calendar.monthrange(as_of.year, month)[1]) <= as_of
    )


def month_due(*, founded_on, dissolved_on, year, month):
    """A club reports for each month it is active on at least one day of (Club.is_active): a club founded
    on 20 March is due for March, not February; one dissolved on 10 May is due for May, not June."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return founded_on <= last and (dissolved_on is None or dissolved_on > first)


def meetings_ok(months_met, required, n):
    """A meeting in each required month (§8); a club with no members fails, as every §3 check does.
    `months_met`: month numbers of D's year with a meeting dated in the period."""
    return n > 0 and set(required) <= set(months_met)


@dataclass(frozen=True)
class Composition:
    n: int
    women: int
    older: int

    @property
    def size_ok(self):
        return size_ok(self.n)

    @property
    def women_ok(self):
        return share_ok(self.women, self.n)

    @property
    def older_ok(self):
        return share_ok(self.older, self.n)

    @property
    def composition_ok(self):
        return self.size_ok and self.women_ok and self.older_ok

    def shortfalls(self):
        """What is missing, in words a club chair understands ("cần thêm 3 thành viên nữ")."""
        out = []
        n, w, e = self.n, self.women, self.older
        if n < MIN_MEMBERS:
            out.append(ngettext("cần thêm %(k)d thành viên", "cần thêm %(k)d thành viên", MIN_MEMBERS - n)
                       % {"k": MIN_MEMBERS - n})
        for part, label_more, label_other in (
            (w, _("thành viên nữ"), _("thành viên nam")),
            (e, _("người cao tuổi (từ 60 tuổi)"), _("người dưới 60 tuổi")),
        ):
            if n == 0:
                continue
            if 10 * part < 6 * n:
                # smallest k with 10(part + k) >= 6(n + k)  ->  k >= (6n - 10part) / 4
                k = -(-(6 * n - 10 * part) // 4)
                out.append(_("cần thêm %(k)d %(who)s") % {"k": k, "who": label_more})
            elif 10 * part > 7 * n:
                # smallest k of the other group with 10·part <= 7(n + k)  ->  k >= (10part - 7n) / 7
                k = -(-(10 * part - 7 * n) // 7)
                out.append(_("cần thêm %(k)d %(who)s") % {"k": k, "who": label_other})
        return out
