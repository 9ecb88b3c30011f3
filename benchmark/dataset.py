"""Benchmark framework: a national-scale dataset on PostgreSQL and timed sections.

`python manage.py benchmark` points the default connection at a separate database
(BENCHMARK_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/laichau_clb_bench), migrates
it, builds the dataset once with set-based INSERT … SELECT (reused while its sentinel row says
the same scale), then runs every callable listed in settings.BENCHMARK_SECTIONS:

    def section(*, stdout) -> str      # returns a markdown fragment

Sections time their work with `measure(fn)` (median of CONFIG["runs"] runs after one warm-up)
and read the reference date from CONFIG["as_of"].
"""
import datetime
import statistics
import time

from django.db import connection, transaction
from django.db.models import NOT_PROVIDED

from clubs.models import Activity, Area, Club, Member, older_cutoff
from funds.models import FundEntry, Loan, Repayment

FULL = {"clubs": 6_000, "members": 300_000, "loans": 500_000, "activities": 400_000}
SENTINEL_TABLE = "bench_dataset_sentinel"
DATASET_VERSION = 1
CONFIG = {"runs": 5, "as_of": datetime.date(2025, 12, 31), "scale": 1.0}


# ------------------------------------------------------------------ timing


def measure(fn, runs=None):
    """Median wall time in seconds over `runs` runs (after one untimed warm-up), and the last result."""
    runs = runs or CONFIG["runs"]
    result = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def ms(seconds):
    return f"{seconds:.3f} s"


# ------------------------------------------------------------------ dataset


def sizes(scale):
    return {k: max(1, int(round(v * scale))) for k, v in FULL.items()}


def _table(model):
    return model._meta.db_table


def _other_columns(model, known):
    """Columns the generator does not set (fields other apps may add later): their Python default
    as a bound parameter, so a new NOT NULL column does not break the benchmark."""
    cols, params = [], []
    for f in model._meta.concrete_fields:
        if f.column in known or f.primary_key or getattr(f, "generated", False):
            continue
        if f.null:
            continue
        if f.has_default() and f.default is not NOT_PROVIDED:
            value = f.get_default()
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = datetime.datetime.now(datetime.UTC)
        else:
            value = f.get_default()
        cols.append(connection.ops.quote_name(f.column))
        params.append(f.get_db_prep_save(value, connection))
    return cols, params


def _insert(model, columns_sql, select_sql, params=()):
    """INSERT INTO model (known columns + defaults of the others) SELECT …"""
    known = [c.strip() for c in columns_sql.split(",")]
    extra_cols, extra_params = _other_columns(model, set(known))
    cols = ", ".join([*known, *extra_cols])
    extra_select = "".join(", %s" for _ in extra_cols)
    sql = f"INSERT INTO {_table(model)} ({cols}) SELECT q.*{extra_select} FROM ({select_sql}) q"  # noqa: S608  table and column names come from the models; values are parameters
    with connection.cursor() as cur:
        cur.execute(sql, [*extra_params, *params])  # the defaults come first in the statement
        return cur.rowcount


def dataset_present(scale):
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {SENTINEL_TABLE} (scale numeric, version int, built_at timestamptz)")
        cur.execute(f"SELECT scale, version FROM {SENTINEL_TABLE}")  # noqa: S608  a constant table name
        row = cur.fetchone()
    return row is not None and float(row[0]) == float(scale) and row[1] == DATASET_VERSION


def build_dataset(scale, *, stdout=None):
    """Wipe the benchmark tables and build the dataset. Deterministic (setseed)."""
    n = sizes(scale)
    say = (lambda msg: stdout.write(msg + "\n")) if stdout else (lambda msg: None)
    tables = [_table(m) for m in (Repayment, Loan, FundEntry, Activity, Member, Club)]
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {SENTINEL_TABLE} (scale numeric, version int, built_at timestamptz)")
        cur.execute(f"DELETE FROM {SENTINEL_TABLE}")  # noqa: S608  a constant table name
        # Board seats, meetings and history rows point at these tables; the benchmark database holds nothing else.
        cur.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cur.execute("SELECT setseed(0.2025)")
    commune_ids = list(Area.objects.communes().order_by("code").values_list("id", flat=True))
    t0 = time.perf_counter()

    per_club_members = max(1, n["members"] // n["clubs"])
    _insert(
        Club,
        "code, name, commune_id, village, founded_on, decision_number, track, regulation_on, meeting_frequency, "
        "dissolved_on, dissolution_reason",
        """
        SELECT 'B' || lpad(i::text, 6, '0'), 'CLB liên thế hệ ' || i, (%s::bigint[])[1 + i %% %s], 'Bản ' || (i %% 40),
               f, '', (ARRAY['existing','new_budget','new_budget','new_rotation','other'])[1 + i %% 5],
               CASE WHEN i %% 12 = 0 THEN NULL ELSE f + 20 END, 'monthly',
               CASE WHEN i %% 60 = 0 THEN f + 900 END, ''
        FROM (SELECT i, date '2017-01-01' + (i * 7919 %% 3200)::int AS f FROM generate_series(1, %s) i) s
        """,
        [commune_ids, len(commune_ids), n["clubs"]],
    )
    say(f"  clubs {n['clubs']:,} ({time.perf_counter() - t0:.1f}s)")

    _insert(
        Member,
        "club_id, code, full_name, gender, birth_year, birth_date, ethnicity, household, village, phone, "
        "is_homecare_volunteer, joined_on, left_on, leave_reason",
        """
        SELECT c.id, 'TV' || k, 'Thành viên ' || c.id || '-' || k,
               CASE WHEN r1 < 0.65 THEN 'female' ELSE 'male' END, by,
               CASE WHEN r2 < 0.5 THEN make_date(by, 1 + (k %% 12), 1 + (k %% 28)) END,
               'Thái', CASE WHEN r3 < 0.15 THEN 'poor' WHEN r3 < 0.25 THEN 'near_poor' ELSE '' END, '', '',
               false, c.founded_on + (k %% 90),
               CASE WHEN r3 > 0.95 THEN c.founded_on + (400 + (k * 13 %% 900))::int END, ''
        FROM clubs_club c
        CROSS JOIN generate_series(1, %s) k
        CROSS JOIN LATERAL (SELECT random() r1, random() r2, random() r3, random() r4) r
        CROSS JOIN LATERAL (SELECT CASE WHEN r4 < 0.65 THEN 1940 + (k * 7 %% 25) ELSE 1966 + (k * 11 %% 30) END AS by) b
        """,
        [per_club_members],
    )
    say(f"  members {n['clubs'] * per_club_members:,} ({time.perf_counter() - t0:.1f}s)")

    # About 1.67 loans per member; every loan of a member a year apart, the latest up to 2025.
    loans_per_member = n["loans"] / max(1, n["clubs"] * per_club_members)
    _insert(
        Loan,
        "club_id, code, member_id, disbursed_on, principal, due_on, purpose, rate_percent_month",
        """
        SELECT m.club_id, 'KV' || m.id || '-' || j, m.id, d, 1000000 * (2 + (m.id * 31 + j) %% 19), d + 365,
               'Chăn nuôi', 0.5
        FROM clubs_member m
        CROSS JOIN generate_series(0, 3) j
        CROSS JOIN LATERAL (SELECT LEAST(m.joined_on + (30 + j * 380 + (m.id %% 200))::int, date '2025-12-20') AS d) dd
        WHERE j < floor(%s + ((m.id * 2654435761) %% 1000) / 1000.0)
        """,
        [loans_per_member],
    )
    say(f"  loans {Loan.objects.count():,} ({time.perf_counter() - t0:.1f}s)")

    # Half after six months; the rest around the due date (early, on time or late), if that day has come.
    _insert(
        Repayment,
        "loan_id, paid_on, principal, interest",
        """
        SELECT l.id, l.disbursed_on + 180, l.principal / 2, l.principal / 100 FROM funds_loan l
        WHERE l.disbursed_on + 180 <= date '2026-06-30'
        UNION ALL
        SELECT l.id, p, l.principal - l.principal / 2, l.principal / 100 FROM funds_loan l
        CROSS JOIN LATERAL (SELECT l.due_on + (-20 + (l.id * 7 %% 90))::int AS p) pp
        WHERE p <= date '2026-06-30' AND l.id %% 9 <> 0
        """,
    )
    say(f"  repayments {Repayment.objects.count():,} ({time.perf_counter() - t0:.1f}s)")

    per_club_activities = max(1, n["activities"] // n["clubs"])
    _insert(
        Activity,
        "club_id, date, area, content, participants",
        """
        SELECT c.id, date '2021-01-01' + ((g * 53 + c.id * 17) %% 1826)::int, 1 + ((g + c.id %% 3) %% 8),
               'Hoạt động số ' || g, 20 + g %% 30
        FROM clubs_club c CROSS JOIN generate_series(1, %s) g
        """,
        [per_club_activities],
    )
    say(f"  activities {Activity.objects.count():,} ({time.perf_counter() - t0:.1f}s)")

    _insert(
        FundEntry,
        "club_id, fund, voucher_no, date, kind, source, amount, description",
        """
        SELECT c.id, 'income', 'PT01', c.founded_on + 10, 'in', 'province_budget', 50000000, 'Vốn ban đầu'
        FROM clubs_club c WHERE c.id %% 10 <> 0
        UNION ALL
        SELECT c.id, 'activity', 'PT01', c.founded_on + 15, 'in', 'members', 2000000, 'Đóng góp'
        FROM clubs_club c WHERE c.id %% 7 <> 0
        UNION ALL
        SELECT c.id, 'activity', 'PC01', c.founded_on + 60, 'out', '', 500000, 'Chi sinh hoạt'
        FROM clubs_club c
        """,
    )
    vacuum()
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {SENTINEL_TABLE} VALUES (%s, %s, now())", [scale, DATASET_VERSION])  # noqa: S608  a constant table name; values are parameters
    say(f"  done in {time.perf_counter() - t0:.1f}s")
    return counts()


def vacuum():
    """VACUUM ANALYZE the benchmark tables: what autovacuum does after a bulk load on any production
    server (this one runs with autovacuum off). Besides statistics, it sets the visibility map, without
    which the index-only scans the indicators are planned with (repayments by loan, activities by date)
    read every heap page anyway. Run after a build and before every run on a reused dataset, whose
    tables the other sections (workbook imports rolled back) may have touched."""
    # VACUUM cannot run in a transaction (the benchmark's own test runs in one): statistics only there.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cur:
        for model in (Club, Member, Loan, Repayment, Activity, FundEntry):
            cur.execute(f"{command} {_table(model)}")


def counts():
    return {
        "clubs": Club.objects.count(),
        "members": Member.objects.count(),
        "loans": Loan.objects.count(),
        "repayments": Repayment.objects.count(),
        "activities": Activity.objects.count(),
        "fund entries": FundEntry.objects.count(),
    }


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
    from reporting.indicators import period_start

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
    from reporting.indicators import compute, resolve_area

    as_of = CONFIG["as_of"]
    province = resolve_area()
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

