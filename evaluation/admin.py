from django.contrib import admin

from evaluation.models import ClimateIndicator


@admin.register(ClimateIndicator)
class ClimateIndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "retired"]
    list_editable = ["order", "retired"]
    list_filter = ["retired"]
