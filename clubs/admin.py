from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Activity, Area, BoardMembership, Club, Meeting, Member, Staff


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
class ClubAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "commune", "track", "founded_on", "dissolved_on"]
    list_filter = ["track", "commune__parent"]
    search_fields = ["code", "name"]


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["code", "full_name", "club", "gender", "birth_year", "joined_on", "left_on"]
    search_fields = ["code", "full_name", "club__code"]


admin.site.register(BoardMembership, SimpleHistoryAdmin)
admin.site.register(Activity, SimpleHistoryAdmin)
admin.site.register(Meeting, SimpleHistoryAdmin)
