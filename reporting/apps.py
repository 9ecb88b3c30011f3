from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Báo cáo")

    def ready(self):
        from clubs import touched

        from . import figure_rows

        touched.listen(figure_rows.clubs_written)
        post_migrate.connect(_migrated, sender=self)


def _migrated(using, **kwargs):
    """A migration may move data past the write paths: the kept figure rows are no longer known to be
    current until `refresh_figures` rebuilds them (the pages compute live meanwhile)."""
    from django.db import connections

    from .models import FigureDate

    if FigureDate._meta.db_table in connections[using].introspection.table_names():
        FigureDate.objects.using(using).all().delete()
