from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AnnualReport, Plan, ReportVersion, Target


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    inlines = [TargetInline]


admin.site.register(AnnualReport, SimpleHistoryAdmin)
admin.site.register(ReportVersion)
