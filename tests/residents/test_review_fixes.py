"""Behaviour found by trying the pages as a new user would."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from residents import services
from residents.models import Resident, Stage, SupportContact
from residents.resources import check_import
from tests.factories import ResidentFactory

TODAY = timezone.localdate()
HEADER = "prison_number,pseudonym,houseblock,sentence_type,age_band,arrived_on\n"


def test_a_limited_access_resident_is_not_named_on_a_non_association(client, staff, manager, resident, hamlet_wing):
    hidden = ResidentFactory(wing=hamlet_wing, pseudonym="Hidden Person", limited_access=True)
    hidden.permitted_staff.set([manager])
    services.non_association_add(resident=resident, other=hidden, reason="kept apart", by=manager)
    client.force_login(staff)
    assert "Hidden Person" not in client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    client.force_login(manager)
    assert "Hidden Person" in client.get(reverse("residents:detail", args=[resident.pk])).content.decode()


def test_subject_access_does_not_name_the_other_resident_in_a_non_association(client, manager, resident, hamlet_wing):
    other = ResidentFactory(wing=hamlet_wing, pseudonym="Third Party")
    services.non_association_add(resident=resident, other=other, reason="", by=manager)
    client.force_login(manager)
    assert "Third Party" not in client.get(reverse("residents:subject_access", args=[resident.pk])).content.decode()


def test_a_stage_change_in_the_future_is_refused(resident, staff):
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.resident_change_stage(resident=resident, stage=Stage.READY, changed_on=tomorrow, note="", by=staff)


def test_a_departure_in_the_future_is_refused(resident, staff):
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.resident_depart(resident=resident, departed_on=tomorrow, reason="released", by=staff)


def test_support_before_arrival_is_refused(resident, staff):
    contact = SupportContact(
        resident=resident, staff=staff, contact_type="room_visit", contact_on=resident.arrived_on - timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        services.support_log(contact=contact)


def test_a_late_record_of_an_earlier_stage_does_not_rewind_the_journey(resident, staff):
    services.resident_change_stage(resident=resident, stage=Stage.READY, changed_on=TODAY, note="", by=staff)
    services.resident_change_stage(
        resident=resident, stage=Stage.PRE_ENGAGEMENT, changed_on=TODAY - timedelta(days=10), note="", by=staff
    )
    assert Resident.objects.get(pk=resident.pk).stage == Stage.READY


def test_after_leaving_no_support_or_stage_can_be_recorded(client, staff, resident):
    services.resident_depart(resident=resident, departed_on=TODAY, reason="released", by=staff)
    client.force_login(staff)
    response = client.get(reverse("residents:support", args=[resident.pk]), follow=True)
    assert "has left the wing" in response.content.decode()


def test_a_departure_stops_a_colleagues_older_edit(client, staff, resident):
    client.force_login(staff)
    form = client.get(reverse("residents:edit", args=[resident.pk])).context["form"]
    services.resident_depart(resident=resident, departed_on=TODAY, reason="released", by=staff)
    data = {k: v for k, v in form.initial.items() if v is not None and k != "permitted_staff"}
    data["version"] = form["version"].value()  # worked out when the form is shown
    data.update(
        arrived_on_0=str(TODAY.day),
        arrived_on_1=str(TODAY.month),
        arrived_on_2=str(TODAY.year),
        houseblock=resident.houseblock_id,
    )
    response = client.post(reverse("residents:edit", args=[resident.pk]), data)
    assert "Someone else saved this resident" in response.content.decode()
    assert Resident.objects.get(pk=resident.pk).departed_on == TODAY


def test_limited_access_must_include_the_person_saving_it(client, staff, manager, resident):
    client.force_login(staff)
    url = reverse("residents:edit", args=[resident.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "permitted_staff"}
    data["version"] = form["version"].value()  # worked out when the form is shown
    data.update(
        arrived_on_0=str(resident.arrived_on.day),
        arrived_on_1=str(resident.arrived_on.month),
        arrived_on_2=str(resident.arrived_on.year),
        houseblock=resident.houseblock_id,
        limited_access="on",
        permitted_staff=[manager.pk],
    )
    response = client.post(url, data)
    assert "Include yourself" in " ".join(response.context["form"].errors["permitted_staff"])


def test_the_page_size_cannot_be_changed_from_the_address_bar(client, staff, resident):
    client.force_login(staff)
    assert client.get(reverse("residents:list"), {"per_page": "-1"}).status_code == 200


def test_the_menu_offers_residents_only_to_those_who_may_open_them(client, evaluator, staff, hamlet_wing):
    client.force_login(evaluator)
    assert 'href="/residents/"' not in client.get("/").content.decode()
    client.force_login(staff)
    assert 'href="/residents/"' in client.get("/").content.decode()


def test_a_csv_export_starts_with_a_byte_order_mark_for_excel(client, staff, resident):
    client.force_login(staff)
    assert client.get(reverse("residents:export", args=["csv"])).content.startswith("\ufeff".encode())


def test_anonymising_asks_first(client, manager, long_gone_resident):
    client.force_login(manager)
    response = client.get(reverse("residents:anonymise", args=[long_gone_resident.pk]))
    assert "cannot be undone" in response.content.decode()
    assert Resident.objects.get(pk=long_gone_resident.pk).anonymised_on is None


def test_an_import_ignores_empty_rows_and_houseblock_case(hamlet_wing):
    content = HEADER + "E1111AA,Sorrel,houseblock 1,Short,30 to 39,01/10/2026\n,,,,,\n\n"
    check = check_import(wing=hamlet_wing, name="r.csv", content=content.encode())
    assert check.ok, check.problems
    assert check.rows == 1


def test_an_import_explains_semicolons_and_too_many_rows(hamlet_wing):
    semicolons = HEADER.replace(",", ";") + "E1111AA;Sorrel;;Short;30 to 39;01/10/2026\n"
    check = check_import(wing=hamlet_wing, name="r.csv", content=semicolons.encode())
    assert "semicolons" in check.problems[0][1]
    many = HEADER + "".join(f"E{n:04d}AA,P{n},,Short,30 to 39,01/10/2026\n" for n in range(1001))
    check = check_import(wing=hamlet_wing, name="r.csv", content=many.encode())
    assert "at most 1000" in check.problems[0][1]


def test_an_import_says_a_value_is_missing_in_plain_words(hamlet_wing):
    check = check_import(
        wing=hamlet_wing, name="r.csv", content=(HEADER + "E1111AA,,,Short,30 to 39,01/10/2026\n").encode()
    )
    assert any("pseudonym: is missing" in message for _, message in check.problems), check.problems
