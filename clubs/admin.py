"""The Django admin shows the registers and their history; it writes none of them.

Clubs, members, boards, activities, meetings and areas change only through the pages (clubs.services,
which apply clubs.rules and keep the history with who and when), the workbook import and the demo
data; nothing is ever hard-deleted, here included. Staff accounts are the one thing managed here.
"""
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, Area, BoardMembership, Club, Meeting, Member, MemberDataExport, MonthReport, Staff
from .search import matching

# No bulk "delete selected" on any list, whatever the model.
admin.site.disable_action("delete_selected")


class NoDeleteAdmin:
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoDeleteAdmin):
    """Shown with its history, never added to, changed or deleted from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """simple_history's "revert to this version" page would save the old row: shown, never posted."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class FoldedSearchMixin:
    """Admin search that ignores diacritics too ("nguyen" finds "Nguyễn"), on the search_text column."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(matching(search_term)), False


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


# Accounts are deactivated, not deleted: their name stays on every history row they wrote.
User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(NoDeleteAdmin, BaseUserAdmin):
    pass


@admin.register(Staff)
class StaffAdmin(NoDeleteAdmin, SimpleHistoryAdmin):
    list_display = ["user", "role", "district"]
    list_filter = ["role", "district"]


@admin.register(Club)
class ClubAdmin(FoldedSearchMixin, ReadOnlyHistoryAdmin):
    list_display = ["code", "name", "commune", "track", "founded_on", "dissolved_on"]
    list_filter = ["track", "commune__parent"]
    search_fields = ["search_text"]
    list_select_related = ["commune"]
    raw_id_fields = ["source_club"]


@admin.register(Member)
class MemberAdmin(FoldedSearchMixin, ReadOnlyHistoryAdmin):
    list_display = ["code", "full_name", "club", "gender", "birth_year", "joined_on", "left_on"]
    list_filter = ["gender", "household", "club__commune__parent"]
    search_fields = ["search_text"]
    list_select_related = ["club"]
    raw_id_fields = ["club"]


@admin.register(BoardMembership)
class BoardMembershipAdmin(ReadOnlyHistoryAdmin):
    list_select_related = ["member"]  # __str__ names the member


@admin.register(Activity)
class ActivityAdmin(ReadOnlyHistoryAdmin):
    pass


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyHistoryAdmin):
    list_select_related = ["club"]  # __str__ starts with the club's code


@admin.register(MonthReport)
class MonthReportAdmin(ReadOnlyHistoryAdmin):
    list_display = ["club", "year", "month", "reported", "marked_by", "marked_at"]
    list_filter = ["year", "month", "reported"]
    list_select_related = ["club", "marked_by"]


@admin.register(MemberDataExport)
class MemberDataExportAdmin(admin.ModelAdmin):
    """Subject-access exports, listed only: they are a record, never edited or deleted."""

    list_display = ["member", "exported_by", "exported_at"]
    list_select_related = ["member", "exported_by"]
    raw_id_fields = ["member"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
