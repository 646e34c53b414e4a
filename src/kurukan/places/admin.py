from django.contrib import admin

from .models import AdminUnit, BoundarySet, Crosswalk, Settlement


@admin.register(BoundarySet)
class BoundarySetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "valid_from", "valid_to", "is_current"]


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["pcode", "name", "level", "iso_code", "boundary_set", "valid_from", "valid_to"]
    list_filter = ["level", "boundary_set"]
    search_fields = ["pcode", "name", "name_search"]
    exclude = ["geometry"]
    raw_id_fields = ["parent", "region"]


@admin.register(Settlement)
class SettlementAdmin(admin.ModelAdmin):
    list_display = ["pcode", "name", "commune"]
    search_fields = ["pcode", "name_search"]
    raw_id_fields = ["commune"]


@admin.register(Crosswalk)
class CrosswalkAdmin(admin.ModelAdmin):
    list_display = ["from_unit", "to_code", "to_name", "relation"]
