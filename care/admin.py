"""Health sessions and checks in the admin: shown with their history, changed only through the pages
(care.services), never deleted — as the clubs registers."""
from django.contrib import admin

from clubs.admin import ReadOnlyHistoryAdmin

from .models import HealthCheck, HealthSession


@admin.register(HealthSession)
class HealthSessionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["club", "date", "kind", "organiser"]
    list_select_related = ["club"]


@admin.register(HealthCheck)
class HealthCheckAdmin(ReadOnlyHistoryAdmin):
    list_display = ["member", "session", "systolic", "diastolic", "weight", "removed"]
    list_select_related = ["member", "session"]
