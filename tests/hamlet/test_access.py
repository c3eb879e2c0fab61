"""The one site-scoping rule, and the roles."""

import django_tables2 as tables
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
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
