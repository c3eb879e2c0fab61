from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from hamlet.models import Wing
from tests.editing import opened
from tests.hamlet.factories import HouseblockFactory, WingFactory


def test_the_home_page_shows_the_wing_profile(client, staff, hamlet_wing):
    client.force_login(staff)
    response = client.get(reverse("hamlet:home"))
    content = response.content.decode()
    assert "The Hamlet" in content
    assert "Adult female and YOI training and resettlement prison" in content
    assert "39 bedrooms" in content
    assert "Houseblock 2: 19 bedrooms" in content


def test_the_home_page_shows_nothing_from_another_prison(client, other_staff, hamlet_wing, other_wing):
    client.force_login(other_staff)
    content = client.get(reverse("hamlet:home")).content.decode()
    assert "Beacon Wing" in content
    assert "Drake Hall" not in content
    assert "The Hamlet" not in content


@pytest.mark.django_db
def test_a_user_with_no_establishment_is_told_what_to_ask_for(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("new.starter"))
    assert "Ask your Hamlet administrator" in client.get(reverse("hamlet:home")).content.decode()


def test_the_wing_switcher_shows_only_for_several_wings(client, staff, administrator, hamlet_wing, other_wing):
    # Someone who sees both prisons' wings (an evaluator's home is the regional dashboard instead).
    client.force_login(staff)
    assert "Switch wing" not in client.get(reverse("hamlet:home")).content.decode()
    client.force_login(administrator)
    assert "Switch wing" in client.get(reverse("hamlet:home")).content.decode()


def test_switching_wing_changes_the_dashboard(client, administrator, hamlet_wing, other_wing):
    client.force_login(administrator)
    response = client.post(reverse("hamlet:wing_switch"), {"wing": other_wing.pk, "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("hamlet:home")).context["wing"] == other_wing


def test_a_user_cannot_switch_to_a_wing_outside_their_scope(client, other_staff, hamlet_wing, other_wing):
    client.force_login(other_staff)
    client.post(reverse("hamlet:wing_switch"), {"wing": hamlet_wing.pk})
    assert client.get(reverse("hamlet:home")).context["wing"] == other_wing


def test_switching_wing_never_redirects_off_the_site(client, evaluator, other_wing):
    client.force_login(evaluator)
    response = client.post(reverse("hamlet:wing_switch"), {"wing": other_wing.pk, "next": "https://evil.example/"})
    assert response.url == reverse("hamlet:home")


def _wing_form(**overrides):
    data = {
        "resident_profile": "Mixed: short and intermediate sentences, and lifers",
        "capacity": "39",
        "pilot_start_0": "1",
        "pilot_start_1": "9",
        "pilot_start_2": "2025",
        "funded_until_0": "28",
        "funded_until_1": "2",
        "funded_until_2": "2027",
        "aims": "A community wing\nGive back",
    }
    return {**data, **overrides}


def test_a_custody_manager_can_change_the_wing(client, manager, hamlet_wing):
    client.force_login(manager)
    url = reverse("hamlet:wing_edit", args=[hamlet_wing.pk])
    response = client.post(url, {**_wing_form(capacity="41"), **opened(client, url)})
    assert response.status_code == 302
    hamlet_wing.refresh_from_db()
    assert hamlet_wing.capacity == 41
    assert hamlet_wing.funded_until == date(2027, 2, 28)
    assert hamlet_wing.aim_list == ["A community wing", "Give back"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"capacity": "lots"}, "capacity", "Enter the number of bedrooms as a whole number"),
        ({"capacity": "0"}, "capacity", "at least one bedroom"),
        ({"capacity": ""}, "capacity", "Enter the number of bedrooms on the wing"),
        ({"funded_until_2": "2024"}, "funded_until", "must be on or after the pilot start"),
        ({"capacity": "1000000"}, "capacity", "at most 2,000 bedrooms"),
        ({"pilot_start_1": "13"}, "pilot_start", "must be a real date"),
        ({"pilot_start_0": "31", "pilot_start_1": "2"}, "pilot_start", "must be a real date"),
        ({"pilot_start_2": "25"}, "pilot_start", "Enter the year as 4 numbers"),
        ({"pilot_start_0": "9" * 30}, "pilot_start", ""),
        ({"funded_until_2": "99999"}, "funded_until", ""),
        ({"pilot_start_1": ""}, "pilot_start", "must include a month"),
    ],
)
def test_bad_wing_details_are_explained_next_to_the_field_and_nothing_is_saved(
    client, manager, hamlet_wing, overrides, field, message
):
    client.force_login(manager)
    url = reverse("hamlet:wing_edit", args=[hamlet_wing.pk])
    response = client.post(url, {**_wing_form(**overrides), **opened(client, url)})
    assert response.status_code == 200
    assert "This form is out of date" not in response.content.decode()  # refused for the bad field alone
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert Wing.objects.get(pk=hamlet_wing.pk).capacity == 39


def test_saving_an_unchanged_wing_records_no_change(client, manager, hamlet_wing):
    client.force_login(manager)
    url = reverse("hamlet:wing_edit", args=[hamlet_wing.pk])
    client.post(url, {**_wing_form(aims="A community wing\r\nGive back"), **opened(client, url)}, follow=True)
    before = LogEntry.objects.get_for_object(hamlet_wing).count()
    unchanged = {**_wing_form(aims="A community wing\r\nGive back"), **opened(client, url)}
    response = client.post(url, unchanged, follow=True)
    assert response.redirect_chain  # accepted, not refused as out of date
    assert LogEntry.objects.get_for_object(hamlet_wing).count() == before
    assert "has been updated" not in response.content.decode()


def test_switching_wing_from_a_record_page_goes_to_the_new_wings_dashboard(client, evaluator, hamlet_wing, other_wing):
    client.force_login(evaluator)
    next_url = reverse("hamlet:wing_detail", args=[hamlet_wing.pk])
    response = client.post(reverse("hamlet:wing_switch"), {"wing": other_wing.pk, "next": next_url})
    assert response.url == reverse("hamlet:home")


def test_opening_a_wing_page_makes_it_the_current_wing(client, administrator, hamlet_wing, other_wing):
    client.force_login(administrator)
    client.get(reverse("hamlet:wing_detail", args=[other_wing.pk]))
    assert client.get(reverse("hamlet:home")).context["wing"] == other_wing


def test_a_typed_sign_out_address_asks_before_signing_out(client, staff, hamlet_wing):
    client.force_login(staff)
    response = client.get(reverse("hamlet:sign_out"))
    assert response.status_code == 200
    assert "Sign out of Hamlet" in response.content.decode()
    assert client.get(reverse("hamlet:home")).status_code == 200


def test_the_audit_trail_shows_who_changed_a_wing(client, manager, hamlet_wing):
    client.force_login(manager)
    url = reverse("hamlet:wing_edit", args=[hamlet_wing.pk])
    client.post(url, {**_wing_form(capacity="41"), **opened(client, url)})
    entry = LogEntry.objects.get_for_object(hamlet_wing).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == manager
    history = client.get(reverse("hamlet:wing_history", args=[hamlet_wing.pk])).content.decode()
    assert "Morgan Hale" in history
    assert "39 → 41" in history
    assert "hamlet.Houseblock.None" not in history


def test_the_history_page_shows_houseblock_changes_but_not_another_wings(client, manager, hamlet_wing, other_wing):
    HouseblockFactory(wing=other_wing, name="Landing 9")
    client.force_login(manager)
    history = client.get(reverse("hamlet:wing_history", args=[hamlet_wing.pk])).content.decode()
    assert "Houseblock 1" in history
    assert "Landing 9" not in history


def test_the_history_page_does_not_grow_its_queries_with_entries(
    client, manager, hamlet_wing, django_assert_max_num_queries
):
    client.force_login(manager)
    for capacity in range(40, 70):
        hamlet_wing.capacity = capacity
        hamlet_wing.save()
    # session, user, the user's and group permissions, the wing, houseblock ids, the
    # count, the page of entries with actors and content types, one lookup per related
    # model named in a change (wings, establishments), the wings in scope for the
    # header, and the session save (savepoint, update, release): 15, for 30 entries as
    # for 60.
    with django_assert_max_num_queries(15) as captured:
        client.get(reverse("hamlet:wing_history", args=[hamlet_wing.pk]))
    with_thirty = len(captured.captured_queries)
    for capacity in range(70, 100):
        hamlet_wing.capacity = capacity
        hamlet_wing.save()
    with django_assert_max_num_queries(with_thirty):
        client.get(reverse("hamlet:wing_history", args=[hamlet_wing.pk]))


def test_the_home_page_does_not_grow_its_queries_with_wings(
    client, administrator, drake_hall, hamlet_wing, django_assert_max_num_queries
):
    client.force_login(administrator)
    # A grouped query for each kind of record the dashboard counts, and the page's own.
    with django_assert_max_num_queries(40) as captured:
        client.get(reverse("hamlet:home"))
    few = len(captured.captured_queries)
    WingFactory.create_batch(10, establishment=drake_hall)
    with django_assert_max_num_queries(few):
        client.get(reverse("hamlet:home"))


@pytest.mark.django_db
def test_healthz_answers_without_a_sign_in_and_shows_no_data(client, hamlet_wing):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_the_history_page_shows_changes_by_default_and_views_when_asked(client, manager, hamlet_wing, resident):
    client.force_login(manager)
    url = reverse("hamlet:wing_edit", args=[hamlet_wing.pk])
    client.post(url, {**_wing_form(capacity="41"), **opened(client, url)})
    client.get(reverse("residents:export", args=["csv"]))  # an access entry on the establishment
    history = reverse("hamlet:wing_history", args=[hamlet_wing.pk])
    changes = client.get(history).content.decode()
    assert "39 → 41" in changes
    assert "export csv" not in changes
    views = client.get(history, {"kind": "views"}).content.decode()
    assert "export csv" in views
    assert "39 → 41" not in views
