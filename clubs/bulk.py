"""Many rows at once, each with its creation in the history: the workbook import and the demo.

simple_history's bulk_create_with_history builds a second Python object for every row and inserts it
through the ORM, which spends most of its time preparing values one by one: the demo's 60,000 rows
took 20 of the 40 seconds a newcomer waited for `make run`. Here the database copies the rows just
created into the history table (INSERT … SELECT), with the values simple_history would write: type
"+", the acting user, the time, no reason.
"""
from django.db import connections, transaction
from django.utils import timezone

# Rows per INSERT … SELECT: their keys are parameters, and SQLite takes at most 32,766 of them.
KEYS_PER_COPY = 10_000


def bulk_create_with_history(objs, model, *, default_user, batch_size=None):
    """Create `objs` (instances of `model`) in bulk and record each creation as made by
    `default_user`. Returns the created objects, with their keys."""
    manager = model._default_manager
    with transaction.atomic(using=manager.db, savepoint=False):
        created = manager.bulk_create(objs, batch_size=batch_size)
        _copy_to_history(model, [obj.pk for obj in created], default_user)
    return created


def _copy_to_history(model, pks, user):
    history = model.history.model
    tracked = history.tracked_fields
    connection = connections[model._default_manager.db]
    quote = connection.ops.quote_name
    columns = [history._meta.get_field(f.name).column for f in tracked] + [
        history._meta.get_field(name).column
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    ]
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for start in range(0, len(pks), KEYS_PER_COPY):
            rows = model._base_manager.filter(pk__in=pks[start:start + KEYS_PER_COPY]).order_by("pk")
            select, params = rows.values_list(*[f.attname for f in tracked]).query.sql_with_params()
            cursor.execute(
                # Identifiers come from the models' metadata, quoted; every value is a parameter.
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608
                f"SELECT copied.*, %s, %s, %s, %s FROM ({select}) copied",
                (stamp, None, "+", user.pk if user else None, *params),
            )


def insert_links(through, fields, rows):
    """Insert `rows` (tuples of ids, in the order of `fields`) into the many-to-many table `through`.
    A row of two ids needs no conversion and records no history, so the cursor writes them in one
    executemany: the demo's 65,000 attendance rows took 3.3 s as a model object each, 0.5 s this way."""
    connection = connections[through._default_manager.db]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(through._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            # Identifiers come from the model's metadata, quoted; every value is a parameter.
            f"INSERT INTO {quote(through._meta.db_table)} ({columns}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(fields))})",
            rows,
        )
