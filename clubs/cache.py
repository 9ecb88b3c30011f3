"""The generation of the data the figures are computed from, for caching them (the generation-key
pattern of djangoproject.com's dashboard, `reset_generation_key`).

Cached figures carry the generation in their key. Every write path (clubs and funds services and the
workbook import through clubs.touched.touch, the admin, areas, the demo data) calls bump_on_commit(), so the first page after a
committed write reads a new key and computes fresh figures; a rolled-back write bumps nothing.
The generation lives in one database row, not in the cache itself: with the default per-process
cache, a bump in one worker must still reach the others. Reading it is one primary-key query.
Low in the dependency chain (clubs) so that clubs, funds and workbook bump it and reporting reads it.
"""
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F

from .models import DataGeneration

ROW = 1


def generation():
    return DataGeneration.objects.filter(pk=ROW).values_list("value", flat=True).first() or 0


def bump(using=DEFAULT_DB_ALIAS):
    rows = DataGeneration.objects.using(using)
    if not rows.filter(pk=ROW).update(value=F("value") + 1):
        rows.get_or_create(pk=ROW, defaults={"value": 1})


def bump_on_commit():
    """Bump once the surrounding transaction commits (at once outside a transaction). A bump while
    the write is still open would let a reader cache the old figures under the new generation."""
    transaction.on_commit(bump)
