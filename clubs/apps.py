from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClubsConfig(AppConfig):
    name = "clubs"
    verbose_name = _("Câu lạc bộ")

    def ready(self):
        from . import dependents

        dependents.register_clubs_rows()
