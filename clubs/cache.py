"""The generation of the data the figures are computed from, for caching them (the generation-key
pattern of djangoproject.com's dashboard, `reset_generation_key`).

Cached figures carry the generation in their key. Every write path bumps it once committed: clubs and
funds services and the workbook import through clubs.touched.touch, approvals through bump_on_commit(),
migrations and the demo data through bump(); so the first page after a committed write reads a new key
and computes fresh figures, and a rolled-back write bumps nothing.
The generation lives in one database row, not in the cache itself: with the default per-process
cache, a bump in one worker must still reach the others. Reading it is one primary-key query.
Low in the dependency chain (clubs) so that clubs, funds and workbook bump it and reporting reads it.

A page of one club needs less: it changes with that club's rows, not with every write in the country.
It is keyed on the wide generation, which only writes of no one club move (an approval, migrations,
the demo data), and on the club's stamp, drawn anew after each committed write to the club
(`bump_clubs`, a clubs.touched listener). With data entered all day across the country, a club's page
then stays cached until its own club is written to.
"""
import secrets

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models import F, Q, Value

from . import compiled
from .models import Club, ClubStamp, DataGeneration

ROW = 1  # every committed write: the cached figures, and the pages' first key
WIDE = 2  # writes of no one club: with the clubs' stamps, the pages' second key


def _generation_query(keys):
    return {"value": DataGeneration.objects.filter(pk__in=keys).values_list("value")}


def generation(key=ROW):
    """ROW by default; WIDE moves only with writes of no one club, the areas among them.

    Read on every page the cache serves, its SQL compiled once per process (clubs.compiled): building
    and compiling the queryset took longer than the database took to answer it."""
    rows = compiled.rows_for_ids(("clubs.cache.generation",), _generation_query, [key],
                                 alias=router.db_for_read(DataGeneration))["value"]
    return rows[0][0] if rows else 0


def bump(using=DEFAULT_DB_ALIAS, *, wide=True):
    keys = (ROW, WIDE) if wide else (ROW,)
    rows = DataGeneration.objects.using(using)
    if rows.filter(pk__in=keys).update(value=F("value") + 1) < len(keys):
        present = set(rows.filter(pk__in=keys).values_list("pk", flat=True))
        for key in sorted(set(keys) - present):
            rows.get_or_create(pk=key, defaults={"value": 1})


def bump_on_commit():
    """Bump once the surrounding transaction commits (at once outside a transaction). A bump while
    the write is still open would let a reader cache the old figures under the new generation."""
    transaction.on_commit(bump)


def bump_clubs(club_ids, using=DEFAULT_DB_ALIAS):
    """New stamps, after the commit, for the clubs written and for those linked to them by rotation: a
    club's page names the club it was made from and the clubs made from it."""
    linked = (
        Club.objects.using(using).filter(Q(pk__in=club_ids) | Q(source_club__in=club_ids))
        .values_list("pk", "source_club_id")
    )
    ids = sorted({pk for pair in linked for pk in pair if pk is not None})
    # Only a change matters, not an order: a random token needs no read before the write.
    ClubStamp.objects.using(using).bulk_create(
        [ClubStamp(club_id=pk, value=secrets.randbits(62)) for pk in ids],
        update_conflicts=True, unique_fields=["club"], update_fields=["value"],
    )


def clubs_generation(club_ids):
    """What a cached page showing only these clubs is keyed on, in one query: the wide generation and
    the clubs' stamps (either may be absent: a database flushed by a test, a club never written)."""
    wide = DataGeneration.objects.filter(pk=WIDE).annotate(club=Value(0)).values_list("club", "value")
    stamps = ClubStamp.objects.filter(club__in=club_ids).values_list("club_id", "value")
    found = dict(wide.union(stamps, all=True))
    return ".".join(str(found.get(pk, "")) for pk in (0, *club_ids))
