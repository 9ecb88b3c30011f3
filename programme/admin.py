"""The plan's activities in the admin: shown with their history, changed only through the pages
(programme.services), never deleted — as the clubs registers."""
from django.contrib import admin

from clubs.admin import ReadOnlyHistoryAdmin

from .models import BudgetLine, Communication, ExchangeVisit, SupervisionVisit, Training


@admin.register(Training)
class TrainingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["date", "area", "topic", "organiser", "cadres", "board", "members", "others", "cancelled"]
    list_filter = ["cancelled"]
    list_select_related = ["area"]


@admin.register(Communication)
class CommunicationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["date", "area", "kind", "title", "quantity", "audience", "cancelled"]
    list_filter = ["kind", "cancelled"]
    list_select_related = ["area"]


@admin.register(ExchangeVisit)
class ExchangeVisitAdmin(ReadOnlyHistoryAdmin):
    list_display = ["date", "area", "title", "outside_province", "destination", "participants", "cancelled"]
    list_filter = ["outside_province", "cancelled"]
    list_select_related = ["area"]


@admin.register(SupervisionVisit)
class SupervisionVisitAdmin(ReadOnlyHistoryAdmin):
    list_display = ["date", "club", "by_whom", "follow_up_done", "cancelled"]
    list_filter = ["follow_up_done", "cancelled"]
    list_select_related = ["club"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ReadOnlyHistoryAdmin):
    list_display = ["year", "area", "source", "estimate", "actual", "cancelled"]
    list_filter = ["year", "source", "cancelled"]
    list_select_related = ["area"]
