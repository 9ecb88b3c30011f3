"""Plans, targets and report archives are written by the reporting pages (plan forms, report builds):
the admin shows them with their history and writes none of them."""
from django.contrib import admin

from clubs.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin

from .models import AnnualReport, Plan, ReportVersion, Target


class TargetInline(ReadOnlyAdmin, admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Plan)
class PlanAdmin(ReadOnlyHistoryAdmin):
    inlines = [TargetInline]


admin.site.register(AnnualReport, ReadOnlyHistoryAdmin)


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    pass
