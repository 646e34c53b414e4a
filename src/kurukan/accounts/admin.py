from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "un_entity", "public_figures_include_confidential"]
    list_filter = ["un_entity"]
    search_fields = ["code", "name"]


@admin.register(User)
class KurukanUserAdmin(UserAdmin):
    list_display = ["username", "email", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    fieldsets = [*(UserAdmin.fieldsets or ()), ("Kurukan", {"fields": ["organisation", "role"]})]
