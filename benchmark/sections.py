"""The benchmark sections of this app: reporting.indicators.compute() against a hand-written SQL
floor, and the dashboard page. Listed in settings.BENCHMARK_SECTIONS; they run on the dataset that
benchmark/dataset.py builds and time with its `measure`."""
import datetime

from django.db import connection, transaction

from clubs.models import Area, Club, older_cutoff

from benchmark.dataset import CONFIG, measure, ms


# ------------------------------------------------------------------ the SQL floor

FLOOR_SQL = """
WITH c AS (
  SELECT id, regulation_on FROM clubs_club
  WHERE founded_on <= %(d)s AND (dissolved_on IS NULL OR dissolved_on > %(d)s)
), am AS (
  SELECT m.id, m.club_id, m.gender, m.household,
         (m.birth_date <= %(cut)s OR (m.birth_date IS NULL AND m.birth_year <= %(cut_year)s)) AS older
  FROM clubs_member m JOIN c ON c.id = m.club_id
  WHERE m.joined_on <= %(d)s AND (m.left_on IS NULL OR m.left_on > %(d)s)
), mm AS (
  SELECT club_id, count(*) n, count(*) FILTER (WHERE gender = 'female') women, count(*) FILTER (WHERE older) older,
         count(*) FILTER (WHERE older AND household IN ('poor', 'near_poor')) poor_older
  FROM am GROUP BY club_id
), a AS (
  SELECT a.club_id, count(DISTINCT a.area) areas FROM clubs_activity a JOIN c ON c.id = a.club_id
  WHERE a.date BETWEEN %(start)s AND %(d)s GROUP BY a.club_id
), f AS (
  SELECT e.club_id, bool_or(e.fund = 'income' AND e.kind = 'in') income_in, bool_or(e.fund = 'activity') activity_any
  FROM funds_fundentry e JOIN c ON c.id = e.club_id
  LEFT JOIN funds_fundentry r ON r.reverses_id = e.id AND r.date <= %(d)s
  WHERE e.date <= %(d)s AND e.reverses_id IS NULL AND r.id IS NULL GROUP BY e.club_id
), rp AS (
  SELECT loan_id, sum(principal) FILTER (WHERE paid_on < %(start)s) before, sum(principal) upto
  FROM funds_repayment WHERE paid_on <= %(d)s GROUP BY loan_id
), l AS (
  SELECT l.id, l.club_id, l.member_id, l.principal, l.disbursed_on, l.due_on,
         coalesce(rp.before, 0) before, coalesce(rp.upto, 0) upto
  FROM funds_loan l JOIN c ON c.id = l.club_id LEFT JOIN rp ON rp.loan_id = l.id
  WHERE l.disbursed_on <= %(d)s
), reopened AS (
  SELECT DISTINCT x.loan_id FROM (
    SELECT loan_id, paid_on, sum(principal) OVER (PARTITION BY loan_id ORDER BY paid_on) repaid
    FROM funds_repayment WHERE paid_on <= %(d)s AND loan_id IN (
      SELECT loan_id FROM funds_repayment WHERE principal < 0 AND paid_on BETWEEN %(start)s AND %(d)s)
  ) x JOIN funds_loan xl ON xl.id = x.loan_id WHERE x.paid_on >= %(start)s AND x.repaid < xl.principal
), b AS (
  SELECT l.club_id, count(DISTINCT l.member_id) borrowers FROM l JOIN am ON am.id = l.member_id
  LEFT JOIN reopened ro ON ro.loan_id = l.id
  WHERE l.before < l.principal OR ro.loan_id IS NOT NULL GROUP BY l.club_id
), lm AS (
  SELECT club_id, count(*) FILTER (WHERE disbursed_on >= %(start)s) dc,
         coalesce(sum(principal) FILTER (WHERE disbursed_on >= %(start)s), 0) da,
         sum(principal - upto) outstanding,
         coalesce(sum(principal - upto) FILTER (WHERE due_on < %(par)s AND upto < principal), 0) par
  FROM l GROUP BY club_id
)
SELECT c.id, coalesce(mm.n, 0), coalesce(mm.women, 0), coalesce(mm.older, 0), coalesce(mm.poor_older, 0),
       coalesce(b.borrowers, 0), coalesce(a.areas, 0), coalesce(f.income_in, false), coalesce(f.activity_any, false),
       c.regulation_on, coalesce(lm.dc, 0), coalesce(lm.da, 0), coalesce(lm.outstanding, 0), coalesce(lm.par, 0)
FROM c LEFT JOIN mm ON mm.club_id = c.id LEFT JOIN a ON a.club_id = c.id LEFT JOIN f ON f.club_id = c.id
LEFT JOIN b ON b.club_id = c.id LEFT JOIN lm ON lm.club_id = c.id
ORDER BY c.id
"""


def floor_rows(as_of):
    from reporting.figures import period_start

    params = {
        "d": as_of,
        "start": period_start(as_of),
        "cut": older_cutoff(as_of),
        "cut_year": as_of.year - 60,
        "par": as_of - datetime.timedelta(days=30),
    }
    # JIT compilation costs this one big statement 0.1–0.7 s on these plans (more than the shape of
    # the query itself at small scales); off for the floor only, so the floor is as low as it gets
    # and compute() is measured with the server's defaults.
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL jit = off")
        cur.execute(FLOOR_SQL, params)
        return cur.fetchall()


# ------------------------------------------------------------------ sections of this app


def indicators_section(*, stdout):
    """compute() for the whole province against the hand-written SQL floor, and the figures compared."""
    from reporting.indicators import compute

    as_of = CONFIG["as_of"]
    province = Area.objects.resolve()
    t_floor, rows = measure(lambda: floor_rows(as_of))
    t_compute, result = measure(lambda: compute(area=province, as_of=as_of))
    by_code = dict(Club.objects.values_list("id", "code"))
    floor = {
        by_code[r[0]]: (
            r[1], r[2], r[3], r[4], r[5], r[10], r[11], r[12], r[13],
            r[1] > 0 and r[6] == 8,
            r[1] > 0 and r[7] and r[8] and r[9] is not None and r[9] <= as_of,
        )
        for r in rows
    }
    mine = {
        c.code: (c.n, c.women, c.older, c.poor_older, c.borrowers, c.loans_disbursed_count,
                 c.loans_disbursed_amount, c.outstanding_principal, c.par30_principal, c.areas_ok, c.funds_ok)
        for c in result.clubs
    }
    same = floor == mine
    CONFIG["floor_seconds"] = t_floor
    ratio = t_compute / t_floor if t_floor else float("nan")
    stdout.write(f"indicators: compute {ms(t_compute)}, SQL floor {ms(t_floor)}, ratio {ratio:.2f}, same figures: {same}\n")
    return "\n".join([
        "## Indicators (province-wide, `reporting.indicators.compute`)",
        "",
        f"Reference date {as_of:%d/%m/%Y}; median of {CONFIG['runs']} runs after one warm-up.",
        "",
        "| measurement | median | ratio to floor |",
        "|---|---:|---:|",
        f"| one hand-written SQL query, club-level figures (floor, JIT off) | {ms(t_floor)} | 1.00 |",
        f"| `compute()` (6 queries: 4 aggregates grouped by club, the clubs, the communes count; roll-up in Python) "
        f"| {ms(t_compute)} | {ratio:.2f} |",
        "",
        f"Active clubs at D: {result.clubs_active:,}; active members {result.members_active:,}; "
        f"outstanding principal {result.outstanding_principal:,} đ; PAR30 {result.par30}%. ".replace(",", "."),
        f"Club-level figures of `compute()` identical to the floor query's: **{'yes' if same else 'NO'}**.",
        "",
        "The floor is one statement joining every per-club aggregate (members, activities, ledger, loans",
        "with their repayment sums); `compute()` sends narrower ORM statements grouped by club, the same",
        "on SQLite and PostgreSQL, and rolls up in Python. The loans figures are one `UNION ALL` of three",
        "plain aggregates: loans by club, repayments (joined to their loan) by club — outstanding",
        "principal and PAR30 are linear, `funds.ledger.loan_sums` minus `repayment_sums` — and the",
        "borrowers, active members whose loan is in the one grouped pass of",
        "`LoanQuerySet.borrowers` (not fully repaid before 1 January, or reopened by a reversal).",
        "A ratio at or below 1 means `compute()` is at the floor, not that the floor is slow by design.",
        "Both run on the same indexes (repayments by loan, date and principal serve both sums).",
        "",
    ])


def dashboard_section(*, stdout):
    """The dashboard page through the test client, as an officer (province) and as district staff."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from clubs.models import Staff

    as_of = CONFIG["as_of"]
    User = get_user_model()
    user, _ = User.objects.get_or_create(username="bench.officer")
    Staff.objects.get_or_create(user=user, defaults={"role": Staff.Role.OFFICER})
    district = Area.objects.districts().order_by("code").first()
    staff_user, _ = User.objects.get_or_create(username="bench.district")
    Staff.objects.get_or_create(user=staff_user, defaults={"role": Staff.Role.DISTRICT, "district": district})
    lines = [
        "## Dashboard page (`/reporting/`, Django test client, full HTML with SVG charts)",
        "",
        "Cold: the cache is emptied before every request, so the club rows and chart series are",
        "aggregated again (what the first visitor after any change sees). Warm: the figures come from",
        "the cache keyed on the data generation of `clubs/cache.py` (what everyone else sees until the next",
        "committed write); the page still reads the generation, rolls up the tables and renders. A cold page aggregates",
        "once: `indicators.dashboard_figures` takes the chart series (clubs founded per year, members by",
        "sex and age band, loans disbursed and outstanding per year) from the same queries as the club rows",
        "(the loans one also sums per year end), not three more passes over members, loans and repayments.",
        "The floor is the",
        f"province-wide SQL query of the section above ({ms(CONFIG.get('floor_seconds', 0)) if 'floor_seconds' in CONFIG else 'measured here'}).",
        "",
        "| page | cold median | cold / floor | warm median | warm / floor | size |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    if "floor_seconds" not in CONFIG:
        CONFIG["floor_seconds"], _rows = measure(lambda: floor_rows(as_of))
    t_floor = CONFIG["floor_seconds"]
    url = reverse("reporting:dashboard") + f"?on={as_of.isoformat()}"
    for label, who, extra in (
        ("province, officer", user, ""),
        (f"former district {district.code}, district staff", staff_user, ""),
        ("province, matrix sorted by members", user, "&sort=-n"),
    ):
        client = Client(HTTP_HOST="localhost")
        client.force_login(who)

        def get():
            response = client.get(url + extra)
            assert response.status_code == 200, response.status_code  # noqa: S101  a benchmark's sanity check, not app logic
            return response

        def cold():
            cache.clear()
            return get()

        cold_s, _r = measure(cold)
        warm_s, response = measure(get)
        stdout.write(f"dashboard {label}: cold {ms(cold_s)}, warm {ms(warm_s)}\n")
        lines.append(
            f"| {label} | {ms(cold_s)} | {cold_s / t_floor:.2f} | {ms(warm_s)} | {warm_s / t_floor:.2f} "
            f"| {len(response.content) // 1024:,} KiB |"
        )
    lines.append("")
    return "\n".join(lines)

