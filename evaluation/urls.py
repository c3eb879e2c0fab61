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
    path("grid/compare/", views.grid_compare, name="grid_compare"),
    path("grid/wings/", views.grid_wings, name="grid_wings"),
]
