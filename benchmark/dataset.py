"""Benchmark framework: a national-scale dataset on PostgreSQL and timed sections.

`python manage.py benchmark` points the default connection at a separate database
(BENCHMARK_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/laichau_clb_bench), migrates
it, builds the dataset once with set-based INSERT … SELECT (reused while its sentinel row says
the same scale), then runs every callable listed in settings.BENCHMARK_SECTIONS (this app's own
are in benchmark/sections.py):

    def section(*, stdout) -> str      # returns a markdown fragment

Sections time their work with `measure(fn)` (median of CONFIG["runs"] runs after one warm-up)
and read the reference date from CONFIG["as_of"].
"""
import datetime
import statistics
import time

from django.db import connection
from django.db.models import NOT_PROVIDED

from clubs.models import Activity, Area, Club, Member
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
