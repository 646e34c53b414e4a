from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import choices
from .models import Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "label_en", "vocabulary", "parent", "active", "is_local"]
    list_filter = ["vocabulary", "active", "is_local"]
    search_fields = ["code", "label_fr", "label_en"]
    raw_id_fields = ["parent"]
    actions = ["deactivate"]

    def has_delete_permission(self, request, obj=None):
        return False  # terms are deactivated, never deleted: records point at their codes

    def get_readonly_fields(self, request, obj=None):
        # A released code is stable; only local terms may still be renamed by code.
        return ["code", "vocabulary"] if obj is not None and not obj.is_local else []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.is_local = True
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Désactiver les termes choisis"))
    def deactivate(self, request, queryset):
        queryset.update(active=False)
        choices.bump()  # update() sends no signal: the lists kept per process must still be read again
