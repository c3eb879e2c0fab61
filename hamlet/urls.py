from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from hamlet import views
from hamlet.forms import HamletPasswordChangeForm, SignInForm

hamlet_patterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("regional/", views.regional, name="regional"),
    path("regional/export.<str:fmt>", views.regional_export, name="regional_export"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="registration/sign_in.html", authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="sign_in",
    ),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/password_change.html",
            form_class=HamletPasswordChangeForm,
            success_url=reverse_lazy("hamlet:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_changed.html"),
        name="password_change_done",
    ),
    path("account/two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("wings/switch/", views.wing_switch, name="wing_switch"),
    path("wings/<int:pk>/", views.wing_detail, name="wing_detail"),
    path("wings/<int:pk>/edit/", views.wing_edit, name="wing_edit"),
    path("wings/<int:pk>/history/", views.wing_history, name="wing_history"),
    path("establishments/<int:pk>/staff/", views.establishment_staff, name="establishment_staff"),
]

urlpatterns = [
    path("", include((hamlet_patterns, "hamlet"))),
    path("residents/", include("residents.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("programme/", include("programme.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "hamlet.views.bad_request"

admin.site.site_header = "Hamlet administration"
admin.site.site_title = "Hamlet administration"
admin.site.index_title = "Sites, staff and catalogues"
