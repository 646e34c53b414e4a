from django.contrib import admin

from .models import Actor


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "category", "active"]
    list_filter = ["category", "active"]
    search_fields = ["code", "name", "short_name", "aliases"]
