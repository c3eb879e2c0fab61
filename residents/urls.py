from django.urls import path

from residents import views

app_name = "residents"

urlpatterns = [
    path("", views.resident_list, name="list"),
    path("export.<str:fmt>", views.resident_export, name="export"),
    path("search/", views.resident_search, name="search"),
    path("admit/", views.resident_admit, name="admit"),
    path("import/", views.resident_import, name="import"),
    path("import/confirm/", views.resident_import_confirm, name="import_confirm"),
    path("import/template.xlsx", views.resident_import_template, name="import_template"),
    path("retention/", views.resident_retention, name="retention"),
    path("<int:pk>/", views.resident_detail, name="detail"),
    path("<int:pk>/edit/", views.resident_edit, name="edit"),
    path("<int:pk>/stage/", views.resident_stage, name="stage"),
    path("<int:pk>/support/", views.resident_support, name="support"),
    path("<int:pk>/departure/", views.resident_depart, name="depart"),
    path("<int:pk>/non-associations/", views.resident_non_association, name="non_association"),
    path("<int:pk>/anonymise/", views.resident_anonymise, name="anonymise"),
    path("<int:pk>/subject-access/", views.resident_subject_access, name="subject_access"),
]
