from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["sequence", "at", "username", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_id"]

    def has_add_permission(self, request):  # the log is written by Kurukan only
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
