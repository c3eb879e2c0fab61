from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from hamlet.models import Establishment, Houseblock, Organisation, StaffProfile, Wing


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

    def get_readonly_fields(self, request, obj=None):
        # Administrators give people roles (groups); only a superuser may hand out
        # superuser status or one-off permissions, so no one can raise their own powers.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_superuser", "user_permissions", "last_login", "date_joined"]
