from django.contrib import admin

from clubs.admin import NoDeleteAdmin

from .models import Upload


@admin.register(Upload)
class UploadAdmin(NoDeleteAdmin, admin.ModelAdmin):
    list_display = ["original_name", "user", "uploaded_at", "imported_at", "size"]
    list_filter = ["imported_at"]
    readonly_fields = ["id", "user", "file", "original_name", "size", "uploaded_at", "imported_at", "summary"]

    def has_add_permission(self, request):
        return False
