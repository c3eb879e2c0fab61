from django.contrib import admin

from mentoring.models import MentoringSettings, PeerRole, Qualification


@admin.register(PeerRole)
class PeerRoleAdmin(admin.ModelAdmin):
    list_display = ["title", "establishment", "pay", "induction", "single_issue", "bridging", "representation",
                    "is_cfo_role", "places", "pathway_step", "order"]  # fmt: skip
    list_filter = ["establishment", "pay", "is_cfo_role", "representation", "retired"]
    search_fields = ["title"]
    list_editable = ["order", "pathway_step", "places"]


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["name", "awarding_body", "level", "accredited", "retired"]
    list_filter = ["accredited", "awarding_body", "retired"]
    search_fields = ["name"]


@admin.register(MentoringSettings)
class MentoringSettingsAdmin(admin.ModelAdmin):
    list_display = ["wing", "supervision_interval_days", "quiet_days", "overload_contacts_per_week",
                    "overload_out_of_hours_percent"]  # fmt: skip
    list_select_related = ["wing__establishment"]
