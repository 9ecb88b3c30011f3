from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ClubsConfig(AppConfig):
    name = "clubs"
    verbose_name = _("Câu lạc bộ")

    def ready(self):
        from django.db.models import fields

        # collation: SQLite's "vi" on every connection; middleware: the idle clock starts at every login,
        # also one made before the first request loads the middlewares (a test's force_login).
        from . import collation, dependents, locks, middleware  # noqa: F401

        # Django's own blank choice ("- Select an option -") on every select of models and forms,
        # the hook Django documents for it.
        fields.BLANK_CHOICE_LABEL = _("— Chọn —")

        from . import cache, touched

        touched.listen(cache.bump_clubs)  # a club's cached page goes stale with its club's writes
        dependents.register_clubs_rows()
        locks.register_clubs_rows()
        post_migrate.connect(_migrated, sender=self)


def _migrated(using, **kwargs):
    """Migrations load the administrative units (clubs/areas.py) and may move data: figures cached
    before them are stale."""
    from django.db import connections

    from . import cache
    from .models import DataGeneration

    if DataGeneration._meta.db_table in connections[using].introspection.table_names():  # not when migrated back
        cache.bump(using=using)
