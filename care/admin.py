"""Health sessions and checks, care periods and visits in the admin: shown with their history, changed
only through the pages (care.services, care.home_services), never deleted — as the clubs registers."""
from django.contrib import admin

from clubs.admin import ReadOnlyHistoryAdmin

from .models import Care, HealthCheck, HealthSession, Visit


@admin.register(HealthSession)
class HealthSessionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["club", "date", "kind", "organiser"]
    list_select_related = ["club"]


@admin.register(HealthCheck)
class HealthCheckAdmin(ReadOnlyHistoryAdmin):
    list_display = ["member", "session", "systolic", "diastolic", "weight", "removed"]
    list_select_related = ["member", "session"]


@admin.register(Care)
class CareAdmin(ReadOnlyHistoryAdmin):
    list_display = ["member", "started_on", "ended_on", "reason"]
    list_filter = ["reason"]
    list_select_related = ["member"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyHistoryAdmin):
    list_display = ["date", "volunteer", "care", "minutes", "removed"]
    list_filter = ["removed"]
    list_select_related = ["volunteer", "care__member"]
