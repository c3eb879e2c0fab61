from django.urls import path

from mentoring import recruitment, views

app_name = "mentoring"

urlpatterns = [
    path("", views.role_catalogue, name="index"),
    path("workload/", views.workload, name="workload"),
    path("settings/", views.settings_edit, name="settings"),
    path("training.<str:fmt>", views.training_export, name="training_export"),
    path("mentors/<int:pk>/next-step/", views.next_step_add, name="next_step"),
    path("mentors/<int:pk>/", views.mentor_detail, name="mentor"),
    path("mentors/<int:pk>/contacts/<int:contact_pk>/", views.contact_edit, name="contact_edit"),
    path("mentors/<int:pk>/contacts/<int:contact_pk>/remove/", views.contact_remove, name="contact_remove"),
    path("mentors/<int:pk>/supervision/", views.supervision_add, name="supervision_add"),
    path("mentors/<int:pk>/supervision/<int:session_pk>/", views.supervision_edit, name="supervision_edit"),
    path(
        "mentors/<int:pk>/supervision/<int:session_pk>/dealt-with/",
        views.hand_back_dealt_with,
        name="hand_back_dealt_with",
    ),
    path("mentors/<int:pk>/training/", views.training_add, name="training_add"),
    path("mentors/<int:pk>/roles/", views.holding_start, name="holding_start"),
    path("mentors/<int:pk>/roles/<int:holding_pk>/end/", views.holding_end, name="holding_end"),
    path("recruitment/", recruitment.round_list, name="rounds"),
    path("recruitment/open/", recruitment.round_add, name="round_add"),
    path("recruitment/<int:pk>/", recruitment.round_detail, name="round"),
    path("recruitment/<int:pk>/candidates/", recruitment.candidate_add, name="candidate_add"),
    path("recruitment/<int:pk>/nominations/", recruitment.nomination_add, name="nomination_add"),
    path("recruitment/<int:pk>/close/", recruitment.round_close, name="round_close"),
    path("recruitment/<int:pk>/candidates/<int:candidate_pk>/interview/", recruitment.interview, name="interview"),
    path("recruitment/<int:pk>/candidates/<int:candidate_pk>/decision/", recruitment.decide, name="decide"),
]
