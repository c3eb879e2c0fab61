"""The one site-scoping rule, and the roles."""

import django_tables2 as tables
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.http import Http404
from django.template import Context, Template

from hamlet.access import get_visible_or_404, identity_shown
from hamlet.models import Establishment, Houseblock, Wing
from hamlet.pseudonyms import research_id
from hamlet.roles import Role, role_permissions
from hamlet.tables import PersonColumn


def test_staff_see_only_their_own_establishment(staff, hamlet_wing, other_wing, drake_hall):
    assert list(Establishment.objects.visible_to(staff)) == [drake_hall]
    assert list(Wing.objects.visible_to(staff)) == [hamlet_wing]
    assert {houseblock.wing for houseblock in Houseblock.objects.visible_to(staff)} == {hamlet_wing}


def test_staff_at_another_prison_see_nothing_of_drake_hall(other_staff, hamlet_wing, other_wing):
    assert list(Wing.objects.visible_to(other_staff)) == [other_wing]
    assert not Houseblock.objects.visible_to(other_staff).filter(wing=hamlet_wing).exists()


def test_an_evaluator_covering_both_prisons_sees_both(evaluator, hamlet_wing, other_wing):
    assert set(Wing.objects.visible_to(evaluator)) == {hamlet_wing, other_wing}


@pytest.mark.django_db
def test_anonymous_users_and_users_without_a_profile_see_nothing(hamlet_wing):
    assert not Wing.objects.visible_to(AnonymousUser()).exists()
    without_profile = get_user_model().objects.create_user("no.profile", password="a-long-enough-password")
    assert not Wing.objects.visible_to(without_profile).exists()


def test_a_deactivated_user_sees_nothing(staff, hamlet_wing):
    staff.is_active = False
    assert not Wing.objects.visible_to(staff).exists()


def test_a_record_outside_the_scope_is_not_found(other_staff, hamlet_wing):
    with pytest.raises(Http404):
        get_visible_or_404(Wing.objects, other_staff, pk=hamlet_wing.pk)


def test_a_record_inside_the_scope_is_returned(staff, hamlet_wing):
    assert get_visible_or_404(Wing.objects, staff, pk=hamlet_wing.pk) == hamlet_wing


def test_the_scope_is_one_query_however_many_establishments(staff, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(Wing.objects.visible_to(staff))


@pytest.mark.django_db
def test_the_migration_creates_the_four_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_exactly_its_permissions(role):
    group = Group.objects.get(name=role.value)
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
    assert granted == role_permissions()[role]


def test_a_users_permissions_are_their_own_and_their_roles_read_in_one_query(staff, django_assert_num_queries):
    own = Permission.objects.get(codename="view_identities")
    staff.user_permissions.add(Permission.objects.get(codename="anonymise_resident"))
    fresh = get_user_model().objects.get(pk=staff.pk)
    with django_assert_num_queries(1):
        permissions = fresh.get_all_permissions()
        assert fresh.has_perm("residents.anonymise_resident")  # given to this user alone
        assert fresh.has_perm(f"hamlet.{own.codename}")  # through their role
    assert permissions == {*role_permissions()[Role.CFO_STAFF], "residents.anonymise_resident"}
    fresh.is_active = False
    assert not fresh.has_perm("residents.anonymise_resident")


def test_evaluators_see_a_research_id_where_staff_see_a_name(evaluator, staff, manager, resident):
    assert identity_shown(evaluator, resident) == research_id("resident", resident.pk)
    assert identity_shown(evaluator, resident, "prison_number") == research_id("resident", resident.pk)
    assert identity_shown(staff, resident) == "Tamsin"
    assert identity_shown(manager, resident, "prison_number") == "A4101BK"


def test_the_person_tag_names_a_resident_by_the_one_rule(rf, evaluator, staff, resident):
    template = Template('{% load people %}{% person resident %} / {% person resident "prison_number" %}')
    hidden = research_id("resident", resident.pk)
    for user, expected in [(staff, "Tamsin / A4101BK"), (evaluator, f"{hidden} / {hidden}")]:
        request = rf.get("/")
        request.user = user
        assert template.render(Context({"request": request, "resident": resident})) == expected


def test_a_person_column_names_a_resident_by_the_one_rule(rf, evaluator, staff, resident):
    class Names(tables.Table):
        pseudonym = PersonColumn()

    for user, expected in [(staff, "Tamsin"), (evaluator, research_id("resident", resident.pk))]:
        request = rf.get("/")
        request.user = user
        table = Names([resident], request=request)
        assert table.rows[0].get_cell("pseudonym") == expected


# No one raises their own powers, nor acts on an account with more than theirs.


@pytest.fixture
def superuser(drake_hall, other_prison):
    from tests.hamlet.factories import UserFactory

    return UserFactory(username="root", is_staff=True, is_superuser=True, establishments=[drake_hall, other_prison])


def _change_page_data(client, user) -> dict:
    from tests.editing import form_data

    return form_data(client.get(f"/admin/auth/user/{user.pk}/change/"), having="username")


def test_an_administrator_cannot_give_themselves_a_role_or_an_establishment(client, administrator, drake_hall):
    lone = Establishment.objects.create(nomis_code="LON", name="HMP Lone", category="x", estate="male", region="X")
    administrator.staff_profile.establishments.set([drake_hall])
    client.force_login(administrator)
    data = _change_page_data(client, administrator)
    roles = Group.objects.filter(name__in=[Role.CUSTODY_MANAGER, Role.CFO_STAFF])
    data.update({"groups": [str(group.pk) for group in roles], "staff_profile-0-establishments": [str(lone.pk)]})
    client.post(f"/admin/auth/user/{administrator.pk}/change/", data)
    administrator.refresh_from_db()
    assert set(administrator.groups.values_list("name", flat=True)) == {Role.ADMINISTRATOR}
    assert list(administrator.staff_profile.establishments.all()) == [drake_hall]


def test_a_superuser_cannot_change_their_own_roles_either(client, superuser):
    client.force_login(superuser)
    data = _change_page_data(client, superuser)
    data["groups"] = [str(Group.objects.get(name=Role.CUSTODY_MANAGER).pk)]
    client.post(f"/admin/auth/user/{superuser.pk}/change/", data)
    assert not superuser.groups.exists()


def test_only_a_superuser_makes_someone_a_custody_manager_or_an_administrator(client, administrator, superuser, staff):
    for role in (Role.CUSTODY_MANAGER, Role.ADMINISTRATOR):
        client.force_login(administrator)
        data = {**_change_page_data(client, staff), "groups": [str(Group.objects.get(name=role).pk)]}
        response = client.post(f"/admin/auth/user/{staff.pk}/change/", data)
        assert response.status_code == 200  # not one of the choices offered
        assert not staff.groups.filter(name=role).exists()
        client.force_login(superuser)
        data = {**_change_page_data(client, staff), "groups": [str(Group.objects.get(name=role).pk)]}
        assert client.post(f"/admin/auth/user/{staff.pk}/change/", data).status_code == 302
        assert staff.groups.filter(name=role).exists()
        staff.groups.set([Group.objects.get(name=Role.CFO_STAFF)])


def test_an_administrator_changing_a_custody_manager_keeps_their_role(client, administrator, manager):
    client.force_login(administrator)
    data = {**_change_page_data(client, manager), "first_name": "Morgana"}
    assert client.post(f"/admin/auth/user/{manager.pk}/change/", data).status_code == 302
    assert manager.groups.filter(name=Role.CUSTODY_MANAGER).exists()


def test_an_administrator_cannot_act_on_a_superusers_account(client, administrator, superuser):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    client.force_login(administrator)
    # Their page is shown read-only: nothing to submit, and a forged submission is refused.
    data = {"username": superuser.username, "first_name": "Mallory"}
    assert client.post(f"/admin/auth/user/{superuser.pk}/change/", data).status_code == 403
    for action in ("reset_two_factor", "end_sessions", "lift_sign_in_limit"):
        client.post("/admin/auth/user/", {"action": action, "_selected_action": [superuser.pk]})
    assert TOTPDevice.objects.filter(user=superuser).exists()
    assert client.post(f"/admin/auth/user/{superuser.pk}/end-sessions/").status_code == 403
    superuser.refresh_from_db()
    assert superuser.first_name != "Mallory"


def test_every_grant_of_a_role_or_establishment_is_in_the_audit_trail(client, superuser, staff, other_prison):
    from auditlog.models import LogEntry

    client.force_login(superuser)
    data = _change_page_data(client, staff)
    data["groups"] = [str(Group.objects.get(name=Role.CUSTODY_MANAGER).pk)]
    data["staff_profile-0-establishments"] = [*data["staff_profile-0-establishments"], str(other_prison.pk)]
    assert client.post(f"/admin/auth/user/{staff.pk}/change/", data).status_code == 302
    changes = [entry.changes for entry in LogEntry.objects.filter(actor=superuser)]
    assert {"type": "m2m", "operation": "add", "objects": [Role.CUSTODY_MANAGER]} in [c.get("groups") for c in changes]
    assert any((c.get("establishments") or {}).get("objects") == [other_prison.name] for c in changes)


def test_the_custody_manager_sees_who_was_given_access_when_and_by_whom(client, manager, superuser, drake_hall):
    from tests.hamlet.factories import UserFactory

    newcomer = UserFactory(username="new.officer", first_name="Nia", last_name="Owusu", role=Role.CFO_STAFF)
    client.force_login(superuser)
    data = {**_change_page_data(client, newcomer), "staff_profile-0-establishments": [str(drake_hall.pk)]}
    assert client.post(f"/admin/auth/user/{newcomer.pk}/change/", data).status_code == 302
    client.force_login(manager)
    page = client.get(f"/establishments/{drake_hall.pk}/staff/").content.decode()
    assert "Nia Owusu" in page
    assert "Given access" in page
    assert superuser.get_full_name() in page


def test_the_staff_with_access_page_is_a_fixed_number_of_queries(
    client, manager, drake_hall, django_assert_num_queries
):
    from tests.hamlet.factories import UserFactory

    for n in range(5):
        UserFactory(username=f"officer{n}", role=Role.CFO_STAFF, establishments=[drake_hall])
    client.force_login(manager)
    client.get(f"/establishments/{drake_hall.pk}/staff/")  # the session and the user, once
    # To prevent an n+1: the session, the user and their permissions (one query), the wing chosen and the
    # navigation (base.html) and, with no wing to show, whether the account has an establishment
    # at all, then the establishment in scope, the staff with their organisations and users,
    # their groups (one prefetch), and the audit entries with their actors.
    with django_assert_num_queries(12) as counted:
        client.get(f"/establishments/{drake_hall.pk}/staff/")
    many = len(counted.captured_queries)
    for n in range(5, 15):
        UserFactory(username=f"officer{n}", role=Role.CFO_STAFF, establishments=[drake_hall])
    with django_assert_num_queries(many):
        client.get(f"/establishments/{drake_hall.pk}/staff/")
