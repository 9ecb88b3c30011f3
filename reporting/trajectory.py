"""The path of a cumulative target (indicators.md §9) to its year: actual so far, a straight-line
projection at the founding (or joining) pace of the last 24 months, and the pace still needed.

The dashboard and the annual report both call trajectory() and draw charts.trajectory_chart() of it.
"""
import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clubs.formatting import format_vnd
from clubs.models import Track

from .indicators import members_joined_counts
from .models import Target
from .plans import CUMULATIVE, clubs_founded_between

DAYS_PER_YEAR = Decimal("365.25")
WINDOW_MONTHS = 24


def months_back(day, months):
    """The same day `months` earlier; the month's last day when it has no such day (29/2 → 28/2)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError(day)


@dataclass(frozen=True)
class Trajectory:
    indicator: str
    track: str
    track_label: str
    start_year: int
    target_year: int
    target: int
    as_of: datetime.date
    points: tuple  # ((date, cumulative count), ...): 31/12 of each plan year before D, then D
    actual: int  # at D, or at 31/12 of the target year once that is past
    window_count: int  # founded (joined) in (D − 24 months, D]
    pace: Decimal  # window_count / 2, per year
    projected: Decimal  # actual + pace × (days from D to 31/12 of the target year) / 365.25
    years_left: int  # whole calendar years left, D's year included unless D is 31/12
    needed: int  # ceil(shortfall / years_left); 0 when met or over
    over: bool  # D on or after 31/12 of the target year: the result is final

    @property
    def end(self):
        return datetime.date(self.target_year, 12, 31)

    @property
    def met(self):
        return self.actual >= self.target

    @property
    def on_track(self):
        return self.met or (not self.over and self.projected >= self.target)

    @property
    def gap(self):
        return max(self.target - self.actual, 0)

    @property
    def chart_id(self):
        return "trajectory-" + self.indicator + (f"-{self.track}" if self.track else "")

    @property
    def clubs(self):
        return self.indicator == "clubs_founded"

    @property
    def unit(self):
        return pgettext("trajectory", "CLB") if self.clubs else pgettext("trajectory", "người")

    @property
    def words(self):
        """What the chart says, in a sentence or two, with whole numbers (the pace may be a half)."""
        n = {"year": self.target_year, "actual": _int(self.actual), "target": _int(self.target),
             "gap": _int(self.gap), "unit": self.unit}
        if self.met:
            return _("Đã đạt chỉ tiêu %(year)s (%(actual)s/%(target)s %(unit)s).") % n
        if self.over:
            return _("Không đạt chỉ tiêu %(year)s: đến 31/12/%(year)s có %(actual)s/%(target)s %(unit)s "
                     "(thiếu %(gap)s %(unit)s).") % n
        first = self.target_year - self.years_left + 1
        n["span"] = (_("năm %(year)s") % {"year": first} if self.years_left == 1
                     else _("%(n)s năm %(first)s–%(last)s") % {"n": self.years_left, "first": first,
                                                               "last": self.target_year})
        n["needed"] = _int(self.needed)
        need = (_("Cần thành lập thêm %(needed)s CLB/năm trong %(span)s để đạt chỉ tiêu %(year)s "
                  "(còn thiếu %(gap)s CLB).") if self.clubs else
                _("Cần thêm %(needed)s người tham gia/năm trong %(span)s để đạt chỉ tiêu %(year)s "
                  "(còn thiếu %(gap)s người).")) % n
        pace = _("Nhịp 24 tháng qua: %(pace)s %(unit)s/năm, dự báo %(projected)s %(unit)s đến 31/12/%(year)s") % {
            **n, "pace": _pace(self.pace), "projected": _int(int(self.projected))}
        verdict = _("đúng tiến độ") if self.on_track else _("chưa đúng tiến độ")
        return f"{need} {pace} — {verdict}."


def _int(value):
    return format_vnd(value, unit=False)


def _pace(value):
    whole = int(value)
    return _int(whole) if value == whole else f"{_int(whole)},{int((value - whole) * 10)}"


def trajectory(plan, target, ind, area):
    """The Trajectory of a cumulative count target (a Target or a plans.Progress) of `plan` for
    `area`, at ind.as_of; None for any other target, or before the plan's first day.

    Counted as plans._cumulative counts the progress figure, so the line ends on the progress bar's
    number: clubs_founded are the clubs active at D (ind.clubs) by founding date, members_joined the
    members active at D by joining date. The 24-month window is (D − 24 months, D]: a club founded
    exactly 24 months before D is outside it, and the window may reach before the plan's start (a
    pace, not a part of the cumulative figure). Clubs cost no query, members one.
    """
    kind = getattr(target, "kind", None)
    value = getattr(target, "value", getattr(target, "target", None))
    if (kind != Target.Kind.CUMULATIVE or target.indicator not in CUMULATIVE
            or value is None or getattr(target, "unit", Target.Unit.COUNT) != Target.Unit.COUNT):
        return None
    on = ind.as_of
    start = datetime.date(plan.start_year, 1, 1)
    if on < start:
        return None
    year = target.year or plan.end_year
    end = datetime.date(year, 12, 31)
    over = on >= end
    last = min(on, end)
    dates = [datetime.date(y, 12, 31) for y in range(plan.start_year, last.year)] + [last]
    window_first = months_back(on, WINDOW_MONTHS) + datetime.timedelta(days=1)
    track = target.track
    if target.indicator == "clubs_founded":
        counts = [clubs_founded_between(ind, start, d, track) for d in dates]
        window = clubs_founded_between(ind, window_first, on, track)
    else:
        *counts, window = members_joined_counts(
            area, on, [(start, d) for d in dates] + [(window_first, on)], track)
    actual = counts[-1]
    pace = Decimal(window) / 2
    years_left = 0 if over else year - on.year + (0 if (on.month, on.day) == (12, 31) else 1)
    projected = Decimal(actual) if over else actual + pace * Decimal((end - on).days) / DAYS_PER_YEAR
    needed = math.ceil(max(value - actual, 0) / years_left) if years_left else 0
    return Trajectory(
        indicator=target.indicator, track=track, track_label=str(Track(track).label) if track else "",
        start_year=plan.start_year, target_year=year, target=value, as_of=on,
        points=tuple(zip(dates, counts)), actual=actual, window_count=window, pace=pace,
        projected=projected, years_left=years_left, needed=needed, over=over,
    )


def trajectories(plan, rows, ind, area):
    """The trajectories of the cumulative rows among `rows` (plans.progress of the same plan and area)."""
    return [t for t in (trajectory(plan, p, ind, area) for p in rows) if t is not None]
