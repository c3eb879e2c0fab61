from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.research_extract, name="index"),
    path("extract.<str:fmt>", views.research_extract_export, name="extract_export"),
]
