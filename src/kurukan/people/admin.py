from django.contrib import admin

from .models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "years", "active")
    list_filter = ("kind", "active", "organisation")
