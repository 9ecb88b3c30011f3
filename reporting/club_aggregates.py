"""The aggregate queries behind the per-club rows of reporting.indicators: each a fixed number of
queries grouped by club for the clubs of an area active at D (loans and repayments; health checks; home
care), whatever the number of clubs, and read as plain rows.

Each group is a pair: a function building its querysets, and one turning their rows into figures, so
that `run` can execute the SQL of a set of clubs compiled once (see there)."""
import datetime
from collections import defaultdict

from django.db import connections, router
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value

from care.models import Care, HealthCheck, HealthSession, Visit
from care.reads import care_month_queries, care_months_from, needing_follow_up
from clubs import compiled
from clubs.models import Club, Member, older_q
from funds.ledger import loan_sums, repayment_sums
from funds.models import Loan, Repayment

from .figures import period_start


class ClubSet:
    """The clubs `ids` (within `area` when given) in the place of an area: the live figures' queries
    select clubs through `club_filter`, so they compute these clubs only, by the same rules."""

    level = None

    def __init__(self, ids, area=None):
        self.ids, self.area = list(dict.fromkeys(ids)), area

    def club_filter(self, prefix=""):
        found = Q(**{f"{prefix}id__in" if prefix else "pk__in": self.ids})
        return found & self.area.club_filter(prefix) if self.area is not None else found


def club_scope(area, as_of, prefix):
    """Clubs active at D whose commune lies in `area`, reached from another model through `prefix`."""
    return (
        Q(**{f"{prefix}founded_on__lte": as_of})
        & (Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": as_of}))
        & area.club_filter(prefix)
    )


NO_LOANS = {"disbursed_count": 0, "disbursed_amount": 0, "outstanding": 0, "par30": 0, "borrowers": 0, "years": ()}
_LENT, _REPAID, _BORROWERS = range(3)


def loan_query(area, as_of, *, ends=()):
    """The query of loan_figures: one, the same on every database, plain aggregates grouped by club of
    the loans, of the repayments (joined to their loan) and of the borrowers, in one UNION ALL (Django's
    union) whose rows are (club id, kind, a, b, c, d, then y and z of each past end).

    - loans disbursed in the period (count, amount);
    - outstanding and par30 at D: funds.ledger.loan_sums minus funds.ledger.repayment_sums, the
      definition of the club portfolio (linear, so per-club sums are exact);
    - borrowers: LoanQuerySet.borrowers, active members with a loan outstanding at some time in the
      period, the reopen clause included (one grouped pass over the loans and their repayments);
    - years: for each date `e` of `ends` (each on or before D), (principal disbursed from 1 January of
      e's year to e, outstanding principal at e).

    Rows of clubs the caller does not list (not active at D, or founded after it) are simply not read.
    """
    start = period_start(as_of)
    past = [end for end in ends if end != as_of]  # D itself is the disbursed and outstanding columns
    zero = Value(0, output_field=IntegerField())
    loans = Loan.objects.filter(area.club_filter("club__"), disbursed_on__lte=as_of)
    lent_cols = {
        "kind": Value(_LENT, output_field=IntegerField()),
        "a": Count("pk", filter=Q(disbursed_on__gte=start)),
        "b": Sum("principal", filter=Q(disbursed_on__gte=start), default=0),
        "c": loan_sums(as_of)["lent"],
        "d": loan_sums(as_of)["lent_late"],
    }
    repaid_cols = {"kind": Value(_REPAID, output_field=IntegerField()), "a": zero, "b": zero,
                   "c": repayment_sums(as_of)["repaid"], "d": repayment_sums(as_of)["repaid_late"]}
    borrower_cols = {"kind": Value(_BORROWERS, output_field=IntegerField()), "a": Count("pk"), "b": zero,
                     "c": zero, "d": zero}
    for i, end in enumerate(past):
        lent_cols[f"y{i}"] = Sum("principal", filter=Q(disbursed_on__gte=datetime.date(end.year, 1, 1),
                                                        disbursed_on__lte=end), default=0)
        lent_cols[f"z{i}"] = loan_sums(end)["lent"]
        repaid_cols[f"y{i}"], repaid_cols[f"z{i}"] = zero, repayment_sums(end)["repaid"]
        borrower_cols[f"y{i}"] = borrower_cols[f"z{i}"] = zero
    names = list(lent_cols)
    lent = loans.order_by().values("club_id").annotate(**lent_cols).values_list("club_id", *names)
    repaid = (
        Repayment.objects.filter(area.club_filter("loan__club__"), loan__disbursed_on__lte=as_of, paid_on__lte=as_of)
        .order_by().values("loan__club_id").annotate(**repaid_cols).values_list("loan__club_id", *names)
    )
    # By the member's club, which is the loan's (services.loan_disburse and the importer see to it).
    borrowers = (loans.borrowers(start, as_of).order_by().values("club_id").annotate(**borrower_cols)
                 .values_list("club_id", *names))
    return lent.union(repaid, borrowers, all=True).order_by()


def loan_figures(rows, as_of, *, ends=()):
    """{club id: money figures and borrowers} from the rows of loan_query(area, as_of, ends=ends)."""
    past = [end for end in ends if end != as_of]
    figures = defaultdict(lambda: [0] * (5 + 2 * len(past)))
    for club_id, kind, a, b, c, d, *years in rows:
        row = figures[club_id]
        if kind == _BORROWERS:
            row[4] = a
            continue
        sign = 1 if kind == _LENT else -1
        row[0] += a
        row[1] += int(b)
        row[2] += sign * int(c)
        row[3] += sign * int(d)
        for i in range(len(past)):
            row[5 + 2 * i] += int(years[2 * i])
            row[6 + 2 * i] += sign * int(years[2 * i + 1])
    out = {}
    for club_id, row in figures.items():
        money = {"disbursed_count": row[0], "disbursed_amount": row[1], "outstanding": row[2], "par30": row[3],
                 "borrowers": row[4]}
        years = iter((row[5 + 2 * i], row[6 + 2 * i]) for i in range(len(past)))
        money["years"] = tuple(
            (money["disbursed_amount"], money["outstanding"]) if end == as_of else next(years) for end in ends
        )
        out[club_id] = money
    return out


NO_HEALTH = {"health_sessions": 0, "members_checked": 0, "older_checked": 0, "members_high": 0}
_SESSIONS, _CHECKED, _HIGH = range(3)


def health_query(area, as_of):
    """The query of health_figures, for the clubs of `area` active at D: three arms grouped by club in
    one UNION ALL, tagged by kind, as loan_query.

    - health_sessions: sessions dated in the period;
    - members_checked, older_checked: distinct members active at D with a kept check dated in the
      period at a session of the club they are active in (older: age at D ≥ 60, §1);
    - members_high: care.reads.needing_follow_up, the "Cần theo dõi" list of the club page.
    """
    start = period_start(as_of)
    zero = Value(0, output_field=IntegerField())
    sessions = (
        HealthSession.objects.filter(club_scope(area, as_of, "club__"), date__gte=start, date__lte=as_of)
        .order_by().values("club_id")
        .annotate(kind=Value(_SESSIONS, output_field=IntegerField()), a=Count("pk"), b=zero)
        .values_list("club_id", "kind", "a", "b")
    )
    checked = (
        HealthCheck.objects.kept()
        .filter(
            member__in=Member.objects.active(on=as_of).filter(club_scope(area, as_of, "club__")),
            session__club_id=F("member__club_id"),
            session__date__gte=start,
            session__date__lte=as_of,
        )
        .order_by().values("member__club_id")
        .annotate(kind=Value(_CHECKED, output_field=IntegerField()), a=Count("member_id", distinct=True),
                  b=Count("member_id", distinct=True, filter=older_q(as_of, "member__")))
        .values_list("member__club_id", "kind", "a", "b")
    )
    high = (
        needing_follow_up(Member.objects.active(on=as_of).filter(area.club_filter("club__")), on=as_of)
        .order_by().values("club_id")
        .annotate(kind=Value(_HIGH, output_field=IntegerField()), a=Count("pk"), b=zero)
        .values_list("club_id", "kind", "a", "b")
    )
    return sessions.union(checked, high, all=True).order_by()


def health_figures(rows):
    """{club id: health figures} of docs/indicators-care.md §1 from the rows of health_query."""
    out = defaultdict(lambda: dict(NO_HEALTH))
    for club_id, kind, a, b in rows:
        row = out[club_id]
        if kind == _SESSIONS:
            row["health_sessions"] = a
        elif kind == _CHECKED:
            row["members_checked"], row["older_checked"] = a, b
        else:
            row["members_high"] = a
    return out


NO_HOMECARE = {"volunteers_active": 0, "recipients_active": 0, "recipients_visited_ok": 0, "visits": 0}
_VOLUNTEERS, _RECIPIENT, _VISITS = range(3)


def homecare_queries(area, as_of):
    """The three queries of homecare_figures, for the clubs of `area` active at D: one UNION ALL tagged
    by kind as health_query, and care.reads.care_month_queries (two) for the months rule of
    recipients_visited_ok.

    - volunteers_active: members active at D flagged as home-care volunteers;
    - recipients_active: members active at D with a care period covering D, one row each (the
      visited-every-month test is per recipient);
    - visits: kept visits dated in the period to members active at D, counted by the club the member
      is active in at D (a member's row belongs to one club, so do its care periods and visits).
    """
    start = period_start(as_of)
    members = Member.objects.active(on=as_of).filter(club_scope(area, as_of, "club__"))
    recipients = members.filter(Exists(Care.objects.covering(as_of).filter(member=OuterRef("pk"))))
    volunteers = (
        members.filter(is_homecare_volunteer=True)
        .order_by().values("club_id")
        .annotate(kind=Value(_VOLUNTEERS, output_field=IntegerField()), a=Count("pk"))
        .values_list("club_id", "kind", "a")
    )
    recipient_rows = (
        recipients.order_by()
        .annotate(kind=Value(_RECIPIENT, output_field=IntegerField()), a=F("pk"))
        .values_list("club_id", "kind", "a")
    )
    visits = (
        Visit.objects.kept().between(start, as_of).filter(care__member__in=members)
        .order_by().values("care__member__club_id")
        .annotate(kind=Value(_VISITS, output_field=IntegerField()), a=Count("pk"))
        .values_list("care__member__club_id", "kind", "a")
    )
    # Every care period of those recipients: a recipient's months are those of all their periods.
    periods, visited = care_month_queries(Care.objects.filter(member__in=recipients), start=start, end=as_of)
    return volunteers.union(recipient_rows, visits, all=True).order_by(), periods, visited


def homecare_figures(rows, periods, visited, as_of):
    """{club id: home-care figures} of docs/indicators-care.md §2 from the rows of homecare_queries."""
    months = care_months_from(periods, visited, start=period_start(as_of), end=as_of)
    out = defaultdict(lambda: dict(NO_HOMECARE))
    for club_id, kind, a in rows:
        row = out[club_id]
        if kind == _VOLUNTEERS:
            row["volunteers_active"] = a
        elif kind == _VISITS:
            row["visits"] = a
        else:
            row["recipients_active"] += 1
            status = months.get(a)
            row["recipients_visited_ok"] += bool(status and status.visited_every_month)
    return out


def run(build, area, *args):
    """{name: rows} of the querysets build(area, *args) returns by name, as fetch_rows reads them.

    For a ClubSet the SQL is compiled once per process and shape (clubs.compiled): which function, how
    many clubs, within which area, for which arguments (the date among them). Building and compiling the
    nine queries took two thirds of a club's recomputation (about 30 of 45 ms per date at national
    scale); on PostgreSQL, planning them took most of what was left (5 of 8 ms)."""
    alias = router.db_for_read(Club)
    if not isinstance(area, ClubSet):
        return {name: compiled.execute(alias, *compiled.compiled(queryset, alias))
                for name, queryset in build(area, *args).items()}
    shape = (build.__module__, build.__qualname__, area.area and (area.area.level, area.area.pk), args)
    return compiled.rows_for_ids(shape, lambda ids: build(ClubSet(ids, area.area), *args), area.ids, alias=alias)


def fetch_rows(queryset):
    # On the queryset's own database: the replica inside laichau_clb.routers.replica_reads().
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_dicts(queryset, names):
    return [dict(zip(names, row)) for row in fetch_rows(queryset)]
