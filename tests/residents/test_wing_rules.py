"""Issue 11: the data that must not get in through the admit and edit forms and the import."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from hamlet.models import Houseblock
from residents.models import DepartureReason, Resident
from residents.resources import check_import
from tests.editing import form_data
from tests.residents.factories import ResidentFactory

TODAY = timezone.localdate()
HEADER = "prison_number,pseudonym,houseblock,room,sentence_type,age_band,arrived_on,cats_id\n"


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _admit(client, follow=False, **overrides):
    data = {
        "prison_number": "B2345CD",
        "pseudonym": "Saffron",
        "sentence_type": "short",
        "age_band": "30-39",
        **_date("arrived_on", TODAY),
        **overrides,
    }
    return client.post(reverse("residents:admit"), data, follow=follow)


def _errors(response, field: str) -> str:
    return " ".join(response.context["form"].errors.get(field, []))


def _block(wing, name="Houseblock 1") -> Houseblock:
    return wing.houseblocks.get(name=name)


# Rooms


def test_a_room_beyond_the_houseblocks_rooms_is_refused(client, staff, hamlet_wing):
    client.force_login(staff)
    response = _admit(client, houseblock=_block(hamlet_wing).pk, room="21")
    assert "Room must be a number from 1 to 20 on Houseblock 1" in _errors(response, "room")
    assert not Resident.objects.exists()


def test_a_room_that_is_not_a_number_is_refused(client, staff, hamlet_wing):
    client.force_login(staff)
    response = _admit(client, houseblock=_block(hamlet_wing).pk, room="0")
    assert "from 1 to 20" in _errors(response, "room")


def test_a_room_without_a_houseblock_is_refused_but_no_room_is_fine(client, staff, hamlet_wing):
    client.force_login(staff)
    response = _admit(client, room="4")
    assert "Select the houseblock" in _errors(response, "room")
    assert _admit(client).status_code == 302


def test_a_full_room_is_refused_without_naming_who_is_in_it(client, staff, manager, hamlet_wing):
    hidden = ResidentFactory(wing=hamlet_wing, houseblock=_block(hamlet_wing), room="5", pseudonym="Ottoline",
                             limited_access=True)  # fmt: skip
    hidden.permitted_staff.set([manager])
    client.force_login(staff)
    response = _admit(client, houseblock=_block(hamlet_wing).pk, room="5")
    assert "Room 5 on Houseblock 1 is full: it has 1 bed" in _errors(response, "room")
    assert "Ottoline" not in response.content.decode()
    assert not Resident.objects.filter(prison_number="B2345CD").exists()


def test_a_double_cell_takes_two_residents(client, staff, hamlet_wing):
    block = _block(hamlet_wing)
    Houseblock.objects.filter(pk=block.pk).update(beds_per_room=2)
    ResidentFactory(wing=hamlet_wing, houseblock=block, room="5")
    client.force_login(staff)
    assert _admit(client, houseblock=block.pk, room="5").status_code == 302
    response = _admit(client, prison_number="C3456DE", pseudonym="Juniper", houseblock=block.pk, room="5")
    assert "is full: it has 2 beds" in _errors(response, "room")


def test_a_resident_who_leaves_frees_their_place(client, staff, hamlet_wing):
    block = _block(hamlet_wing)
    ResidentFactory(wing=hamlet_wing, houseblock=block, room="5", departed_on=TODAY,
                    departure_reason=DepartureReason.RELEASED)  # fmt: skip
    client.force_login(staff)
    assert _admit(client, houseblock=block.pk, room="5").status_code == 302


def _check(wing, *rows: str):
    """Check an import of these rows (prison number to age band), all arriving three days ago."""
    day = f"{TODAY - timedelta(days=3):%d/%m/%Y}"
    content = HEADER + "".join(f"{row},{day},\n" for row in rows)
    return check_import(wing=wing, name="r.csv", content=content.encode())


def test_the_import_refuses_a_room_that_does_not_exist_or_is_full(hamlet_wing):
    ResidentFactory(wing=hamlet_wing, houseblock=_block(hamlet_wing), room="5")
    check = _check(
        hamlet_wing,
        "A1111AA,Saffron,Houseblock 1,5,Short,30 to 39",
        "A2222BB,Marigold,Houseblock 1,99,Short,30 to 39",
        "A3333CC,Juniper,,7,Short,30 to 39",
    )
    problems = [message for _, message in check.problems]
    assert any("Room 5 on Houseblock 1 is full" in message for message in problems)
    assert any("from 1 to 20" in message for message in problems)
    assert any("Select the houseblock" in message for message in problems)


def test_two_rows_of_one_import_cannot_fill_a_single_room_twice(hamlet_wing):
    check = _check(
        hamlet_wing, "A1111AA,Saffron,Houseblock 1,5,Short,30 to 39", "A2222BB,Marigold,Houseblock 1,5,Short,30 to 39"
    )
    assert [line for line, _ in check.problems] == [3]


def test_editing_something_else_about_a_resident_in_a_shared_room_is_not_refused(client, staff, hamlet_wing):
    block = _block(hamlet_wing)
    first = ResidentFactory(wing=hamlet_wing, houseblock=block, room="5")
    ResidentFactory(wing=hamlet_wing, houseblock=block, room="5")  # from before rooms were checked
    client.force_login(staff)
    url = reverse("residents:edit", args=[first.pk])
    data = form_data(client.get(url))
    data["cats_id"] = ["CATS-9"]
    assert client.post(url, data).status_code == 302


# Dates


def test_the_import_refuses_an_arrival_in_the_future_or_before_1990(hamlet_wing):
    content = HEADER + (
        f"A1111AA,Saffron,,,Short,30 to 39,{TODAY + timedelta(days=1):%d/%m/%Y},\n"
        "A2222BB,Marigold,,,Short,30 to 39,31/12/1989,\n"
    )
    check = check_import(wing=hamlet_wing, name="r.csv", content=content.encode())
    assert check.problems == [
        (2, "arrived on: The date they arrived on the wing cannot be in the future"),
        (3, "arrived on: The date they arrived on the wing must be after 1 January 1990"),
    ]


def test_the_admit_form_refuses_an_arrival_before_1990(client, staff, hamlet_wing):
    client.force_login(staff)
    response = _admit(client, arrived_on_0="31", arrived_on_1="12", arrived_on_2="1989")
    assert "must be after 1 January 1990" in _errors(response, "arrived_on")


def _edit_arrival(client, resident, day):
    url = reverse("residents:edit", args=[resident.pk])
    data = form_data(client.get(url))
    data.update({key: [value] for key, value in _date("arrived_on", day).items()})
    return client.post(url, data)


def test_an_arrival_cannot_move_after_the_first_support_contact(client, staff, resident):
    first_support = resident.arrived_on + timedelta(days=10)
    resident.support_contacts.create(contact_on=first_support, staff=staff, contact_type="room_visit")
    client.force_login(staff)
    response = _edit_arrival(client, resident, first_support + timedelta(days=1))
    assert f"on or before {first_support:%-d %B %Y}" in _errors(response, "arrived_on")
    assert _edit_arrival(client, resident, first_support).status_code == 302


def test_an_arrival_cannot_move_after_a_later_stage_change_or_a_role(client, staff, resident, peer_mentor_role):
    from mentoring.models import RoleHolding
    from residents.services import journey_move

    resident.stage_changes.create(stage="not_engaged", changed_on=resident.arrived_on, recorded_by=staff)
    journey_move(resident=resident, stage="ready", on=resident.arrived_on + timedelta(days=20), by=staff)
    client.force_login(staff)
    arrived = resident.arrived_on
    assert "on or before" in _errors(_edit_arrival(client, resident, arrived + timedelta(days=21)), "arrived_on")
    RoleHolding.objects.create(resident=resident, role=peer_mentor_role, started_on=arrived + timedelta(days=5))
    assert "on or before" in _errors(_edit_arrival(client, resident, arrived + timedelta(days=6)), "arrived_on")


def test_the_stage_recorded_at_admission_moves_with_the_arrival(client, staff, hamlet_wing):
    client.force_login(staff)
    _admit(client)
    resident = Resident.objects.get(prison_number="B2345CD")
    earlier = TODAY - timedelta(days=30)
    assert _edit_arrival(client, resident, earlier).status_code == 302
    assert list(resident.stage_changes.values_list("changed_on", flat=True)) == [earlier]


# Stage changes


def test_recording_the_stage_the_resident_is_already_at_is_refused(client, staff, resident):
    client.force_login(staff)
    data = {"stage": resident.stage, **_date("changed_on", TODAY)}
    response = client.post(reverse("residents:stage", args=[resident.pk]), data)
    assert "already at: Not engaged" in _errors(response, "stage")
    assert not resident.stage_changes.exists()


# Consent


def test_a_consent_date_or_witness_without_consent_is_an_error_on_the_field(client, staff, hamlet_wing):
    client.force_login(staff)
    response = _admit(client, **_date("consent_date", TODAY), consent_witnessed_by=staff.pk)
    assert "tick that they consent" in _errors(response, "consent_date")
    assert "tick that they consent" in _errors(response, "consent_witnessed_by")
    assert not Resident.objects.exists()


def test_a_new_consent_date_typed_while_consent_is_withdrawn_is_an_error(client, staff, resident):
    given = TODAY - timedelta(days=10)
    Resident.objects.filter(pk=resident.pk).update(evaluation_consent=True, consent_date=given,
                                                   consent_witnessed_by=staff)  # fmt: skip
    client.force_login(staff)
    url = reverse("residents:edit", args=[resident.pk])
    data = form_data(client.get(url))
    del data["evaluation_consent"]
    data["consent_date_0"] = [str((given - timedelta(days=1)).day)]
    data["consent_date_1"] = [str((given - timedelta(days=1)).month)]
    data["consent_date_2"] = [str((given - timedelta(days=1)).year)]
    response = client.post(url, data)
    assert "tick that they consent" in _errors(response, "consent_date")


# Look-alike people


def test_two_current_residents_may_share_a_pseudonym_only_in_different_places(client, staff, hamlet_wing):
    ResidentFactory(wing=hamlet_wing, pseudonym="Saffron", houseblock=None, room="")
    client.force_login(staff)
    response = _admit(client, pseudonym="saffron")
    assert "Another resident on the wing has this pseudonym" in _errors(response, "pseudonym")
    response = _admit(client, houseblock=_block(hamlet_wing).pk, room="6", follow=True)
    assert "The pseudonym Saffron is already in use on The Hamlet" in response.content.decode()


def test_the_namesake_warning_names_no_one_hidden(client, staff, manager, hamlet_wing):
    hidden = ResidentFactory(wing=hamlet_wing, pseudonym="Saffron", houseblock=_block(hamlet_wing), room="9",
                             limited_access=True)  # fmt: skip
    hidden.permitted_staff.set([manager])
    client.force_login(staff)
    response = client.post(
        reverse("residents:admit"),
        {"prison_number": "B2345CD", "pseudonym": "Saffron", "sentence_type": "short", "age_band": "30-39",
         "houseblock": _block(hamlet_wing, "Houseblock 2").pk, "room": "3", **_date("arrived_on", TODAY)},
        follow=True,
    )  # fmt: skip
    content = response.content.decode()
    assert "already in use on The Hamlet" in content
    assert "room 9" not in content
    assert hidden.prison_number not in content


def test_every_picker_tells_namesakes_apart_by_houseblock_and_room(hamlet_wing, staff, holding):
    from mentoring.forms import ContactForm

    ResidentFactory(wing=hamlet_wing, pseudonym="Saffron", houseblock=_block(hamlet_wing), room="3")
    ResidentFactory(wing=hamlet_wing, pseudonym="Saffron", houseblock=_block(hamlet_wing, "Houseblock 2"), room="3")
    ResidentFactory(wing=hamlet_wing, pseudonym="Juniper", room="4")
    labels = [label for _, label in ContactForm(mentor=holding.resident, user=staff).fields["mentee"].choices]
    assert "Saffron (Houseblock 1, room 3)" in labels
    assert "Saffron (Houseblock 2, room 3)" in labels
    assert "Juniper" in labels


def test_the_import_warns_of_a_pseudonym_already_in_use_on_the_wing(hamlet_wing):
    ResidentFactory(wing=hamlet_wing, pseudonym="Saffron", room="3")
    check = _check(
        hamlet_wing,
        "A1111AA,saffron,Houseblock 2,5,Short,30 to 39",
        "A2222BB,Juniper,Houseblock 2,6,Short,30 to 39",
        "A3333CC,Juniper,Houseblock 2,7,Short,30 to 39",
    )
    assert check.ok
    assert check.warnings == [
        (2, "The pseudonym ‘saffron’ is already in use on The Hamlet"),
        (4, "The pseudonym ‘Juniper’ is already in use on The Hamlet"),
    ]


def test_the_import_refuses_two_rows_of_one_name_in_one_place_as_it_refuses_a_resident_there(hamlet_wing):
    ResidentFactory(wing=hamlet_wing, pseudonym="Saffron", houseblock=_block(hamlet_wing), room="")
    check = _check(
        hamlet_wing,
        "A1111AA,SAFFRON,Houseblock 1,,Short,30 to 39",  # the same place as the resident already here
        "A2222BB,Juniper,Houseblock 2,,Short,30 to 39",
        "A3333CC,juniper,Houseblock 2,,Short,30 to 39",  # the same place as the row before
        "A4444DD,Juniper,Houseblock 1,,Short,30 to 39",
    )
    assert [line for line, message in check.problems if "has this pseudonym" in message] == [2, 4]


# Whitespace-only text


def test_a_pseudonym_of_only_spaces_in_an_import_is_missing(hamlet_wing):
    content = HEADER + f"A1111AA,   ,,,Short,30 to 39,{TODAY - timedelta(days=3):%d/%m/%Y},  \n"
    check = check_import(wing=hamlet_wing, name="r.csv", content=content.encode())
    assert check.problems == [(2, "pseudonym: is missing")]


def test_spaces_around_an_imported_pseudonym_are_not_kept(client, staff, hamlet_wing):
    content = HEADER + f"A1111AA,  Saffron ,,,Short,30 to 39,{TODAY - timedelta(days=3):%d/%m/%Y},\n"
    check_import(wing=hamlet_wing, name="r.csv", content=content.encode(), commit=True, by=staff)
    assert Resident.objects.get().pseudonym == "Saffron"


# Staff pickers


def test_the_staff_pickers_list_only_the_wings_own_staff(staff, manager, evaluator, administrator, hamlet_wing):
    from residents.forms import ResidentForm

    form = ResidentForm(wing=hamlet_wing, user=staff)
    for name in ("consent_witnessed_by", "permitted_staff"):
        assert set(form.fields[name].queryset) == {staff, manager}


# The import's preview


def test_the_import_preview_shows_labels_not_stored_values(hamlet_wing):
    day = f"{TODAY - timedelta(days=3):%d/%m/%Y}"
    content = HEADER + f"A1111AA,Saffron,houseblock 1,3,short,40-49,{day},\n"
    check = check_import(wing=hamlet_wing, name="r.csv", content=content.encode())
    assert check.preview == [["A1111AA", "Saffron", "Houseblock 1", "3", "Short", "40 to 49", day, ""]]


def test_the_import_offers_a_template_that_the_import_itself_accepts(client, staff, hamlet_wing):
    import io

    import openpyxl

    client.force_login(staff)
    assert reverse("residents:import_template") in client.get(reverse("residents:import")).content.decode()
    response = client.get(reverse("residents:import_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    residents, notes = book["Residents"], book["Notes"]
    header, example = list(residents.iter_rows(values_only=True))
    assert list(header) == HEADER.strip().split(",")
    assert example[header.index("sentence_type")] == "Short"
    allowed = " ".join(str(cell) for row in notes.iter_rows(values_only=True) for cell in row)
    assert "Houseblock 1, Houseblock 2" in allowed
    assert "Intermediate" in allowed
    assert "Houseblock 1: 1 to 20" in allowed
    assert check_import(wing=hamlet_wing, name="template.xlsx", content=response.content).ok
