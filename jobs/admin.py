from django.contrib import admin

from clubs.admin import NoDeleteAdmin

from .models import Job


@admin.register(Job)
class JobAdmin(NoDeleteAdmin, admin.ModelAdmin):
    list_display = ["kind", "owner", "state", "step", "created_at", "finished_at"]
    list_filter = ["kind", "state"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False
