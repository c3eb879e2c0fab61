from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from hamlet.access import visible_establishment_ids
from hamlet.models import Establishment, Houseblock, Organisation, StaffProfile, Wing
from hamlet.roles import Role
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


# Issue 10, item 1: no one raises their own powers or acts on an account with more than theirs.
# Roles that open every resident page of a site or the accounts of others: only a superuser grants them.
GRANTED_BY_SUPERUSERS_ONLY = [Role.CUSTODY_MANAGER.value, Role.ADMINISTRATOR.value]


def power(user) -> int:
    """How far an account reaches: 2 a superuser; 1 someone who can change accounts (an
    administrator); 0 everyone else, whose roles reach only residents' records."""
    if user.is_superuser:
        return 2
    return 1 if user.has_perm("auth.change_user") else 0


def outranks(user, acting) -> bool:
    """Whether ``user`` has more power than ``acting``: then ``acting`` may look, not change."""
    return power(user) > power(acting)


class PowersGuard:
    """For the admins of users and staff profiles: an account with more power than the acting
    administrator's is read-only to them, and their own roles and establishments are read-only
    to everyone, superusers included (a superuser changes another superuser's)."""

    def account(self, obj):
        return obj

    def has_change_permission(self, request, obj=None):
        account = self.account(obj) if obj is not None else None
        if account is not None and account.pk != request.user.pk and outranks(account, request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        account = self.account(obj) if obj is not None else None
        if account is not None and (account.pk == request.user.pk or outranks(account, request.user)):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(StaffProfile)
class StaffProfileAdmin(PowersGuard, admin.ModelAdmin):
    list_display = ["user", "job_title", "organisation"]
    list_filter = ["job_title", "organisation", "establishments"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "organisation"]
    filter_horizontal = ["establishments"]
    autocomplete_fields = ["user"]

    def account(self, obj):
        return obj.user

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.user_id == request.user.pk:
            return ["user", "establishments"]
        return super().get_readonly_fields(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _establishments_field(super().formfield_for_manytomany(db_field, request, **kwargs), db_field, request)


def _establishments_field(field, db_field, request):
    # A non-superuser grants only the establishments they may see themselves.
    if field is not None and db_field.name == "establishments" and not request.user.is_superuser:
        field.queryset = field.queryset.filter(pk__in=visible_establishment_ids(request.user))
    return field


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    filter_horizontal = ["establishments"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:  # obj is the user being changed
            return ["organisation", "job_title", "establishments"]
        return super().get_readonly_fields(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _establishments_field(super().formfield_for_manytomany(db_field, request, **kwargs), db_field, request)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class HamletUserAdmin(PowersGuard, UserAdmin):
    inlines = [StaffProfileInline]
    list_filter = [*UserAdmin.list_filter, "staff_profile__establishments"]
    actions = ["end_sessions", "reset_two_factor", "lift_sign_in_limit"]
    change_form_template = "admin/hamlet/user_change_form.html"

    @admin.action(description="End sessions (sign out everywhere)", permissions=["change"])
    def end_sessions(self, request, queryset):
        if self._refuse_if_outranked(request, queryset):
            return
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
        if self._refuse_if_outranked(request, queryset):
            return
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
        if self._refuse_if_outranked(request, queryset):
            return
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
        # superuser status or one-off permissions, and no one changes their own.
        readonly = [*super().get_readonly_fields(request, obj)]
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        if obj is not None and obj.pk == request.user.pk:
            readonly += ["is_superuser", "is_staff", "is_active", "groups", "user_permissions"]
        return list(dict.fromkeys(readonly))

    def get_form(self, request, obj=None, **kwargs):
        request._hamlet_account = obj  # for formfield_for_manytomany, which is not told
        return super().get_form(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None and not request.user.is_superuser:
            # The roles they have stay on offer, so saving keeps (or removes) them; none is added.
            account = getattr(request, "_hamlet_account", None)
            held = account.groups.values("pk") if account is not None else Group.objects.none().values("pk")
            field.queryset = field.queryset.exclude(Q(name__in=GRANTED_BY_SUPERUSERS_ONLY) & ~Q(pk__in=held))
            field.help_text = "Only a superuser can make someone a Custody manager or an Administrator."
        return field

    def _refuse_if_outranked(self, request, queryset) -> bool:
        """The user-list actions act only on accounts with no more power than the administrator's."""
        above = [user for user in queryset if user.pk != request.user.pk and outranks(user, request.user)]
        if above:
            self.message_user(
                request,
                "Nothing was done: you cannot act on an account with more powers than your own.",
                level=messages.ERROR,
            )
        return bool(above)
