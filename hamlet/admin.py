from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from hamlet.models import Establishment, Houseblock, Organisation, StaffProfile, Wing
from hamlet.sessions import user_sessions_end
from hamlet.sign_in_limit import sign_in_limit_lift
from hamlet.two_factor import two_factor_reset


class HouseblockInline(admin.TabularInline):
    model = Houseblock
    extra = 0


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ["name", "nomis_code", "estate", "region", "approximate_population"]
    list_filter = ["estate", "region"]
    search_fields = ["name", "nomis_code", "region"]


@admin.register(Wing)
class WingAdmin(admin.ModelAdmin):
    list_display = ["name", "establishment", "capacity", "pilot_start", "funded_until"]
    list_filter = ["establishment", "establishment__region"]
    search_fields = ["name", "establishment__name"]
    list_select_related = ["establishment"]
    inlines = [HouseblockInline]


@admin.register(Houseblock)
class HouseblockAdmin(admin.ModelAdmin):
    list_display = ["name", "wing", "rooms"]
    list_filter = ["wing__establishment"]
    search_fields = ["name", "wing__name"]
    list_select_related = ["wing__establishment"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "job_title", "organisation"]
    list_filter = ["job_title", "organisation", "establishments"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "organisation"]
    filter_horizontal = ["establishments"]
    autocomplete_fields = ["user"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    filter_horizontal = ["establishments"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class HamletUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_filter = [*UserAdmin.list_filter, "staff_profile__establishments"]
    actions = ["end_sessions", "reset_two_factor", "lift_sign_in_limit"]
    change_form_template = "admin/hamlet/user_change_form.html"

    @admin.action(description="End sessions (sign out everywhere)", permissions=["change"])
    def end_sessions(self, request, queryset):
        ended = sum(
            user_sessions_end(user=user, reason="ended by an administrator", by=request.user) for user in queryset
        )
        if ended:
            self.message_user(request, f"Ended {ended} session{'s' if ended != 1 else ''}: they must sign in again.")
        else:
            self.message_user(request, "No sessions to end: no one was signed in.")

    @admin.action(description="Reset two-factor sign-in (signs them out; they set it up again)", permissions=["change"])
    def reset_two_factor(self, request, queryset):
        # For someone who lost their phone and backup codes: they are signed out everywhere, and
        # set up a new app after their password at the next sign-in.
        reset = two_factor_reset(users=queryset, by=request.user)
        for user in queryset:
            self.log_change(request, user, "Reset two-factor sign-in.")
        self.message_user(
            request, f"Reset two-factor sign-in for {reset} user{'s' if reset != 1 else ''}. They have been signed out."
        )

    @admin.action(
        description="Let them sign in now (clears waits and locks after wrong passwords)", permissions=["change"]
    )
    def lift_sign_in_limit(self, request, queryset):
        for user in queryset:
            sign_in_limit_lift(username=user.get_username())
            self.log_change(request, user, "Let them sign in now after wrong passwords.")
        self.message_user(request, f"{len(queryset)} user{'s' if len(queryset) != 1 else ''} may sign in now.")

    def get_urls(self):
        end_sessions = self.admin_site.admin_view(require_POST(self.end_sessions_view))
        return [path("<object_id>/end-sessions/", end_sessions, name="auth_user_end_sessions"), *super().get_urls()]

    def end_sessions_view(self, request, object_id):
        user = self.get_object(request, unquote(object_id))
        if user is None or not self.has_change_permission(request, user):
            raise PermissionDenied
        self.end_sessions(request, self.get_queryset(request).filter(pk=user.pk))
        return redirect("admin:auth_user_change", user.pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["open_sessions"] = obj.signed_in_sessions.count() if obj else 0
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_readonly_fields(self, request, obj=None):
        # Administrators give people roles (groups); only a superuser may hand out
        # superuser status or one-off permissions, so no one can raise their own powers.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_superuser", "user_permissions", "last_login", "date_joined"]
