from django.urls import path

from programme import views

app_name = "programme"

urlpatterns = [
    path("", views.index, name="index"),
    path("phases/<int:number>/", views.phase_edit, name="phase_edit"),
    path("waiting-list/", views.waiting_list, name="waiting_list"),
    path("waiting-list/add/", views.waiting_add, name="waiting_add"),
    path("waiting-list/<int:pk>/", views.waiting_move, name="waiting_move"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/new/", views.referral_add, name="referral_add"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/move/", views.referral_move, name="referral_move"),
    path("cohorts/new/", views.cohort_add, name="cohort_add"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/enrol/", views.cohort_enrol, name="cohort_enrol"),
    path("cohorts/<int:pk>/start/", views.cohort_start, name="cohort_start"),
    path("cohorts/<int:pk>/finish/", views.cohort_finish, name="cohort_finish"),
    path("cohorts/<int:pk>/sessions/plan/", views.sessions_plan, name="sessions_plan"),
    path("cohorts/<int:pk>/sessions/new/", views.session_add, name="session_add"),
    path("enrolments/<int:pk>/end/", views.enrolment_end, name="enrolment_end"),
    path("enrolments/<int:pk>/move/", views.enrolment_move, name="enrolment_move"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/reinstate/", views.session_reinstate, name="session_reinstate"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_add, name="meeting_add"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/change/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/", views.action_review, name="action_review"),
    path("suggestions/", views.suggestion_list, name="suggestions"),
    path("suggestions/new/", views.suggestion_add, name="suggestion_add"),
    path("suggestions/<int:pk>/answer/", views.suggestion_answer, name="suggestion_answer"),
    path("you-said-we-did/", views.you_said_we_did, name="you_said_we_did"),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_add, name="project_add"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/change/", views.project_edit, name="project_edit"),
    path("hours/<int:pk>/remove/", views.hours_remove, name="hours_remove"),
]
