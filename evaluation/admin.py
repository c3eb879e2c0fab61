from django.contrib import admin

from evaluation.models import Attribute, ClimateIndicator


@admin.register(ClimateIndicator)
class ClimateIndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "retired"]
    list_editable = ["order", "retired"]
    list_filter = ["retired"]


@admin.register(Attribute)
class AttributeAdmin(admin.ModelAdmin):
    list_display = ["name", "core", "order", "retired"]
    list_editable = ["order", "retired"]
    list_filter = ["core", "retired"]
