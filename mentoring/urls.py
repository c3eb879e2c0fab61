from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.role_catalogue, name="index"),
    path("workload/", views.workload, name="workload"),
    path("mentors/<int:pk>/", views.mentor_detail, name="mentor"),
    path("mentors/<int:pk>/supervision/", views.supervision_add, name="supervision_add"),
    path("mentors/<int:pk>/training/", views.training_add, name="training_add"),
    path("mentors/<int:pk>/roles/", views.holding_start, name="holding_start"),
    path("mentors/<int:pk>/roles/<int:holding_pk>/end/", views.holding_end, name="holding_end"),
]
