from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, Area, BoardMembership, Club, Meeting, Member, MemberDataExport, Staff
from .search import matching


class FoldedSearchMixin:
    """Admin search that ignores diacritics too ("nguyen" finds "Nguyễn"), on the search_text column."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(matching(search_term)), False


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(Staff)
class StaffAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "district"]
    list_filter = ["role", "district"]


@admin.register(Club)
class ClubAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "commune", "track", "founded_on", "dissolved_on"]
    list_filter = ["track", "commune__parent"]
    search_fields = ["search_text"]
    list_select_related = ["commune"]
    raw_id_fields = ["source_club"]


@admin.register(Member)
class MemberAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["code", "full_name", "club", "gender", "birth_year", "joined_on", "left_on"]
    list_filter = ["gender", "household", "club__commune__parent"]
    search_fields = ["search_text"]
    list_select_related = ["club"]
    raw_id_fields = ["club"]


@admin.register(BoardMembership)
class BoardMembershipAdmin(SimpleHistoryAdmin):
    list_select_related = ["member"]  # __str__ names the member


admin.site.register(Activity, SimpleHistoryAdmin)


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_select_related = ["club"]  # __str__ starts with the club's code


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
