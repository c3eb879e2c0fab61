import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from residents import services
from residents.models import Resident, Stage, SupportContact
from tests.residents.factories import ResidentFactory, SupportContactFactory
from tests.residents.fixtures import subject_access

TODAY = timezone.localdate()


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _admission(**overrides) -> dict:
    return {
        "prison_number": "b 2345cd",
        "pseudonym": "Saffron",
        "sentence_type": "short",
        "age_band": "30-39",
        **_date("arrived_on", TODAY),
        **overrides,
    }


def test_a_member_of_staff_admits_a_resident_to_their_wing(client, staff, hamlet_wing):
    client.force_login(staff)
    response = client.post(reverse("residents:admit"), _admission())
    resident = Resident.objects.get(prison_number="B2345CD")
    assert response.url == resident.get_absolute_url()
    assert (resident.wing, resident.establishment) == (hamlet_wing, hamlet_wing.establishment)
    assert LogEntry.objects.get_for_object(resident).get(action=LogEntry.Action.CREATE).actor == staff


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"prison_number": "12345"}, "prison_number", "one letter, four numbers, two letters"),
        ({"pseudonym": ""}, "pseudonym", "Enter a pseudonym"),
        ({"sentence_type": ""}, "sentence_type", "Select the sentence type"),
        ({"arrived_on_1": "14"}, "arrived_on", "must be a real date"),
        ({"evaluation_consent": "on"}, "consent_date", "Enter the date consent was given"),
        ({"limited_access": "on"}, "permitted_staff", "Name at least one member of staff"),
    ],
)
def test_a_bad_admission_is_explained_and_saves_nothing(client, staff, hamlet_wing, overrides, field, message):
    client.force_login(staff)
    response = client.post(reverse("residents:admit"), _admission(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Resident.objects.exists()


def test_a_duplicate_prison_number_is_refused_next_to_the_field(client, staff, resident):
    client.force_login(staff)
    response = client.post(reverse("residents:admit"), _admission(prison_number=resident.prison_number))
    assert "already has this prison number" in " ".join(response.context["form"].errors["prison_number"])


def test_opening_a_resident_is_recorded_as_an_access(client, staff, resident):
    client.force_login(staff)
    client.get(reverse("residents:detail", args=[resident.pk]))
    access = LogEntry.objects.get_for_object(resident).get(action=LogEntry.Action.ACCESS)
    assert access.actor == staff
    assert access.additional_data["establishment"] == resident.establishment_id


def test_a_limited_access_record_is_not_found_except_by_the_named_staff(client, staff, manager, resident):
    resident.limited_access = True
    resident.save()
    resident.permitted_staff.set([manager])
    url = reverse("residents:detail", args=[resident.pk])
    client.force_login(staff)
    assert client.get(url).status_code == 404
    assert resident.pseudonym not in client.get(reverse("residents:list")).content.decode()
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_two_people_editing_the_same_resident_do_not_overwrite_each_other(client, staff, manager, resident):
    from django.test import Client

    other = Client()
    client.force_login(staff)
    other.force_login(manager)
    url = reverse("residents:edit", args=[resident.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "permitted_staff"}
    data["version"] = form["version"].value()  # worked out when the form is shown
    data.update(_date("arrived_on", resident.arrived_on), houseblock=resident.houseblock_id)
    assert other.post(url, {**data, "room": "7"}).status_code == 302
    response = client.post(url, {**data, "room": "9"})
    assert response.status_code == 200
    assert "Someone else saved this resident" in response.content.decode()
    assert Resident.objects.get(pk=resident.pk).room == "7"


def test_a_stage_change_through_the_page(client, staff, resident):
    client.force_login(staff)
    response = client.post(
        reverse("residents:stage", args=[resident.pk]), {"stage": Stage.READY, **_date("changed_on", TODAY)}
    )
    assert response.status_code == 302
    assert Resident.objects.get(pk=resident.pk).stage == Stage.READY


def test_support_is_logged_against_the_member_of_staff(client, staff, resident):
    client.force_login(staff)
    client.post(
        reverse("residents:support", args=[resident.pk]),
        {"contact_type": "room_visit", "notes": "Talked about the course", **_date("contact_on", TODAY)},
    )
    contact = SupportContact.objects.get(resident=resident)
    assert contact.staff == staff
    page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert "Talked about the course" in page


def test_a_departure_through_the_page_ends_the_stay(client, staff, resident):
    client.force_login(staff)
    client.post(reverse("residents:depart", args=[resident.pk]), {"reason": "released", **_date("departed_on", TODAY)})
    resident.refresh_from_db()
    assert resident.departed_on == TODAY
    assert resident.departure_reason == "released"


def test_a_departure_before_arrival_is_explained(client, staff, resident):
    client.force_login(staff)
    response = client.post(
        reverse("residents:depart", args=[resident.pk]),
        {"reason": "released", **_date("departed_on", resident.arrived_on - timedelta(days=3))},
    )
    assert "on or after the resident arrived" in " ".join(response.context["form"].errors["departed_on"])
    assert Resident.objects.get(pk=resident.pk).is_current


def test_a_non_association_needs_a_resident_at_the_same_prison(client, staff, resident, other_wing):
    stranger = ResidentFactory(wing=other_wing, prison_number="Z9999ZZ")
    client.force_login(staff)
    response = client.post(reverse("residents:non_association", args=[resident.pk]), {"other": stranger.prison_number})
    assert "no resident with this prison number" in " ".join(response.context["form"].errors["other"])


def test_the_list_shows_only_the_users_establishment(client, other_staff, resident, other_wing):
    ResidentFactory(wing=other_wing, pseudonym="Alfie")
    client.force_login(other_staff)
    content = client.get(reverse("residents:list")).content.decode()
    assert "Alfie" in content
    assert "Tamsin" not in content
    assert "A4101BK" not in content


def test_the_list_searches_by_prison_number_in_any_case(client, staff, resident, hamlet_wing):
    ResidentFactory(wing=hamlet_wing, pseudonym="Orla")
    client.force_login(staff)
    response = client.post(reverse("residents:search"), {"q": " a4101bk ", "filters": "status=current"})
    assert response.url == reverse("residents:list") + "?status=current"
    content = client.get(response.url).content.decode()
    assert "Tamsin" in content
    assert "Orla" not in content
    assert "a4101bk" not in response.url.lower()


def test_a_search_in_the_address_is_ignored_and_clearing_the_search_shows_everyone(
    client, staff, resident, hamlet_wing
):
    ResidentFactory(wing=hamlet_wing, pseudonym="Orla")
    client.force_login(staff)
    assert "Orla" in client.get(reverse("residents:list"), {"q": "Tamsin"}).content.decode()
    client.post(reverse("residents:search"), {"q": "Tamsin"})
    page = client.get(reverse("residents:list")).content.decode()
    assert "Orla" not in page
    assert 'value="Tamsin"' in page  # the box shows what was searched for, with a way to clear it
    assert "Clear search" in page
    client.post(reverse("residents:search"), {"q": "Tamsin", "clear": "Clear search"})
    assert "Orla" in client.get(reverse("residents:list")).content.decode()


def test_the_list_shows_people_living_on_the_wing_unless_asked(client, staff, resident, long_gone_resident):
    client.force_login(staff)
    assert "Verity" not in client.get(reverse("residents:list")).content.decode()
    assert "Verity" in client.get(reverse("residents:list"), {"status": "left"}).content.decode()


def test_the_csv_export_is_scoped_audited_and_neutralises_formulae(client, staff, resident, other_wing):
    resident.pseudonym = '=HYPERLINK("http://evil")'
    resident.save()
    ResidentFactory(wing=other_wing, pseudonym="Alfie")
    client.force_login(staff)
    response = client.get(reverse("residents:export", args=["csv"]))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in text
    assert "Alfie" not in text
    export = LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=staff)
    assert export.additional_data == {"how": "export csv", "residents": [resident.pk]}


def test_the_excel_export_is_a_workbook(client, staff, resident):
    client.force_login(staff)
    response = client.get(reverse("residents:export", args=["xlsx"]))
    assert response.content[:2] == b"PK"


def test_subject_access_gives_everything_with_the_audit_trail(client, manager, resident):
    client.force_login(manager)
    client.get(reverse("residents:detail", args=[resident.pk]))
    client.get(reverse("residents:export", args=["csv"]))
    response = subject_access(client, resident)
    data = json.loads(response.content)
    assert data["resident"]["prison number"] == resident.prison_number
    assert {entry["action"] for entry in data["audit_trail"]} >= {"create", "access"}
    assert "export csv" in {(entry["details"] or {}).get("how") for entry in data["audit_trail"]}
    assert resident.prison_number not in response["Content-Disposition"]


def test_the_retention_page_lists_only_long_departed_residents(client, manager, resident, long_gone_resident):
    client.force_login(manager)
    content = client.get(reverse("residents:retention")).content.decode()
    assert "Verity" in content
    assert "Tamsin" not in content


def test_anonymising_through_the_page_is_audited(client, manager, long_gone_resident):
    client.force_login(manager)
    client.post(reverse("residents:anonymise", args=[long_gone_resident.pk]))
    long_gone_resident.refresh_from_db()
    assert long_gone_resident.anonymised_on == TODAY
    assert LogEntry.objects.get_for_object(long_gone_resident).filter(actor=manager).exists()


def test_a_resident_still_on_the_wing_cannot_be_anonymised_through_the_page(client, manager, resident):
    client.force_login(manager)
    assert client.post(reverse("residents:anonymise", args=[resident.pk])).status_code == 404


def _residents(wing, count):
    houseblock = wing.houseblocks.first()
    Resident.objects.bulk_create(
        Resident(
            prison_number=f"C{n:04d}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}",
            pseudonym=f"Resident {n}",
            establishment=wing.establishment,
            wing=wing,
            houseblock=houseblock,
            sentence_type="short",
            age_band="30-39",
            arrived_on=TODAY,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("name", ["residents:list", "residents:export"])
def test_list_pages_do_not_grow_their_queries_with_residents(
    client, staff, hamlet_wing, name, django_assert_max_num_queries
):
    client.force_login(staff)
    args = ["csv"] if name == "residents:export" else []
    _residents(hamlet_wing, 40)
    with django_assert_max_num_queries(30) as forty:
        client.get(reverse(name, args=args))
    Resident.objects.all().delete()
    _residents(hamlet_wing, 2000)
    # session, user, permissions, wings in scope, filter choices, count, one page (or,
    # for the export, all rows in one query and one access event per establishment).
    with django_assert_max_num_queries(len(forty.captured_queries)):
        client.get(reverse(name, args=args))


def test_the_resident_page_does_not_grow_its_queries_with_history(
    client, staff, resident, django_assert_max_num_queries
):
    client.force_login(staff)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("residents:detail", args=[resident.pk]))
    for day in range(40):
        SupportContactFactory(resident=resident, staff=staff, contact_on=TODAY - timedelta(days=day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("residents:detail", args=[resident.pk]))


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
    assert "Third Party" not in subject_access(client, resident).content.decode()
    assert "Third Party" not in subject_access(client, resident, fmt="html").content.decode()


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
