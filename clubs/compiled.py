"""Queries of a set of clubs, compiled once per process and shape, and run for any clubs of that size.

Django builds and compiles a queryset anew on every call: for the annotated queries of a set of clubs
(their members, loans, checks…) that took most of the time, not the database. The SQL of a set of clubs
depends on how many they are, never on which: it is compiled once for stand-in ids, and each call puts
its own ids in their place. On PostgreSQL each statement is also prepared once per connection, the ids
its only parameters: planning took most of what was left. Used by the kept figure rows
(reporting.club_aggregates), the rows of the club list and a club's page (clubs.page_rows), and the
data generation every cached page reads (clubs.cache.generation: its key is the one id, also positive)."""
import itertools
import threading
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.db.backends.postgresql.psycopg_any import is_psycopg3
from django.db.backends.signals import connection_created
from django.dispatch import receiver

# Per process: the statements of each shape (`rows_for_ids`), with the stand-in ids they hold.
_COMPILED = {}
_COMPILED_SHAPES = 128
_COMPILED_LOCK = threading.Lock()
STAND_IN = -(2 ** 53)  # no club's id: ids are positive
_NAMES = itertools.count(1)


@dataclass(frozen=True)
class Statement:
    sql: str
    params: tuple  # the stand-in ids among them
    name: str = ""  # on PostgreSQL: the prepared statement's name, and its text with the ids as $1…$n
    text: str = ""
    columns: tuple = ()  # the selected expressions, when their values are to be converted (dates on SQLite)


def stand_ins(n):
    return [STAND_IN - i for i in range(n)]


def rows_for_ids(shape, build, ids, *, alias, converted=False):
    """{name: rows} of the querysets `build(ids)` returns by name, run on `alias` for these `ids`.

    `shape` names everything the SQL depends on but the ids (the function, the date, the area…): the
    querysets are built and compiled once per process for a shape and a number of ids. Every id must
    reach the SQL as a parameter, each as often as the others (checked when compiling). `converted`:
    the values as the queryset itself gives them (the database's raw values otherwise: SQLite gives
    a date as text), at the cost of a pass over the rows."""
    ids = list(ids)
    if not ids:
        return {name: [] for name in build(stand_ins(1))}
    key = (connections[alias].vendor, settings.PREPARED_STATEMENTS, shape, len(ids), converted)
    statements = _COMPILED.get(key)
    standing = stand_ins(len(ids))
    if statements is None:
        statements = {name: _statement(queryset, alias, standing, converted)
                      for name, queryset in build(standing).items()}
        with _COMPILED_LOCK:
            if len(_COMPILED) >= _COMPILED_SHAPES:
                _COMPILED.pop(next(iter(_COMPILED)), None)
            _COMPILED[key] = statements
    given = dict(zip(standing, ids))
    return {name: _converted(alias, statement.columns, _execute_prepared(alias, statement, ids) if statement.name else
                             execute(alias, statement.sql,
                                     [given.get(p, p) if type(p) is int else p for p in statement.params]))
            for name, statement in statements.items()}


def compiled(queryset, alias):
    sql, params = queryset.query.get_compiler(using=alias).as_sql()
    return sql, tuple(params)


def _converted(alias, columns, rows):
    """The rows through the converters Django's compiler applies to these columns, on this thread's
    connection (the columns are shared by every thread; a connection is not)."""
    connection = connections[alias]
    converters = [(i, convs, column) for i, column in enumerate(columns)
                  if (convs := connection.ops.get_db_converters(column) + column.get_db_converters(connection))]
    if not converters:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for i, convs, column in converters:
            for convert in convs:
                row[i] = convert(row[i], column, connection)
        out.append(tuple(row))
    return out


def _statement(queryset, alias, standing, converted=False):
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    params = tuple(params)
    columns = tuple(column for column, _sql, _alias in compiler.select[:compiler.col_count]) if converted else ()
    # Each stand-in must reach the database as a parameter, each as often as the others (every arm and
    # subquery filters on them all): else the SQL would not be the same for other ids.
    wanted = set(standing)
    counts = Counter(p for p in params if type(p) is int and p in wanted)
    if len(set(counts[i] for i in standing)) != 1 or not counts[standing[0]] or any(str(i) in sql for i in standing):
        raise RuntimeError(f"the ids of a set of clubs are not all parameters of {sql[:200]}")
    connection = connections[alias]
    if connection.vendor != "postgresql" or is_psycopg3 or not settings.PREPARED_STATEMENTS:
        return Statement(sql, params, columns=columns)
    from psycopg2.extensions import AsIs

    # The text psycopg2 sends for these parameters (it binds them on the client), the ids left as $k.
    position = {stand_in: f"${k}" for k, stand_in in enumerate(standing, 1)}
    text = connection.ops.compose_sql(sql, [AsIs(position[p]) if type(p) is int and p in wanted else p
                                            for p in params])
    return Statement(sql, params, f"clb_ids_{next(_NAMES)}", text, columns)


def execute(alias, sql, params):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _execute_prepared(alias, statement, ids):
    connection = connections[alias]
    with connection.cursor() as cursor:  # connected now: a new connection has prepared nothing yet
        prepared = connection.__dict__.setdefault("_clubs_prepared", set())
        if statement.name not in prepared:
            if not prepared:
                # Only this module prepares statements: a generic plan, made once, for any ids (else the
                # server plans each of the first five executions again, and at times later ones too).
                cursor.execute("SET plan_cache_mode = force_generic_plan")
            types = ", ".join(["bigint"] * len(ids))
            cursor.execute(f"PREPARE {statement.name} ({types}) AS {statement.text}")
            prepared.add(statement.name)
        cursor.execute(f"EXECUTE {statement.name} ({', '.join(['%s'] * len(ids))})", list(ids))
        return cursor.fetchall()


@receiver(connection_created)
def _nothing_prepared(sender, connection, **kwargs):
    connection.__dict__.pop("_clubs_prepared", None)
