from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.research_extract, name="index"),
    path("extract.<str:fmt>", views.research_extract_export, name="extract_export"),
    path("periods/", views.periods, name="periods"),
    path("periods/add/", views.period_add, name="period_add"),
    path("periods/<int:pk>/", views.period, name="period"),
    path("periods/<int:pk>/edit/", views.period_edit, name="period_edit"),
    path("periods/<int:pk>/close/", views.period_close, name="period_close"),
    path("periods/<int:pk>/reopen/", views.period_reopen, name="period_reopen"),
    path("periods/<int:pk>/grid/<int:stage>/", views.grid_rate, name="grid_rate"),
    path("periods/<int:pk>/ladder/", views.ladder, name="ladder"),
    path("periods/<int:pk>/ladder/<int:role>/", views.rung_rate, name="rung_rate"),
    path("periods/<int:pk>/mappings/add/", views.mapping_add, name="mapping_add"),
    path("mappings/<int:pk>/", views.mapping, name="mapping"),
    path("mappings/<int:pk>/edit/", views.mapping_edit, name="mapping_edit"),
    path("mappings/compare/", views.mapping_compare, name="mapping_compare"),
    path("climate/", views.climate, name="climate"),
    path("climate/<int:year>/<int:month>/", views.climate_month, name="climate_month"),
    path("periods/<int:pk>/voices/", views.voices, name="voices"),
    path("periods/<int:pk>/voices/add/", views.voice_add, name="voice_add"),
    path("voices/<int:pk>/edit/", views.voice_edit, name="voice_edit"),
    path("voices/<int:pk>/remove/", views.voice_remove, name="voice_remove"),
    path("findings/", views.findings, name="findings"),
    path("periods/<int:pk>/findings/add/", views.finding_add, name="finding_add"),
    path("findings/<int:pk>/", views.finding, name="finding"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("periods/<int:pk>/attributes/", views.attributes, name="attributes"),
    path("periods/<int:pk>/attributes/edit/", views.attributes_edit, name="attributes_edit"),
    path("staff-team/", views.staff_team, name="staff_team"),
    path("staff-team/posts/add/", views.staff_post_add, name="staff_post_add"),
    path("staff-team/posts/<int:pk>/", views.staff_post_edit, name="staff_post_edit"),
    path("staff-team/<int:year>/<int:month>/", views.staff_month, name="staff_month"),
    path("delivery-model/", views.delivery_model, name="delivery_model"),
    path("delivery-model/<int:role>/", views.delivery_note_edit, name="delivery_note_edit"),
    path("grid/compare/", views.grid_compare, name="grid_compare"),
    path("grid/wings/", views.grid_wings, name="grid_wings"),
    path("report/", views.site_report, name="site_report"),
]
