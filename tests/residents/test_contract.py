"""The resident contract: a new app declares one object and its records join every shared
step. ``tests.contract_app`` is that app, installed only by the test settings; nothing else
in Hamlet knows it."""

import json
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from residents import services
from residents.contract import resident_contributions, scrub
from residents.models import DepartureReason, Stage, StageChange
from tests.contract_app.contribution import KeepsakesContribution
from tests.contract_app.models import Attendee, Gathering, Keepsake
from tests.residents.factories import ResidentFactory
from tests.residents.fixtures import subject_access

TODAY = timezone.localdate()


@pytest.fixture
def keepsake(resident):
    return Keepsake.objects.create(resident=resident, kept_on=TODAY - timedelta(days=3), note="A pressed marigold")


def test_contributions_are_found_in_the_order_of_installed_apps():
    names = [type(c).__module__ for c in resident_contributions()]
    assert names == [
        "residents.contribution",
        "mentoring.contribution",
        "programme.contribution",
        "evaluation.contribution",
        "tests.contract_app.contribution",
    ]


def test_a_new_apps_records_appear_on_the_resident_page_and_timeline(client, staff, resident, keepsake):
    client.force_login(staff)
    page = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert '<h2 class="govuk-heading-m">Keepsakes</h2>' in page
    assert page.count("A pressed marigold") == 2  # in its panel and on the timeline
    assert "Kept a keepsake" in page


def test_a_new_apps_figures_appear_on_the_home_page_for_its_wing_only(client, staff, resident, keepsake, other_wing):
    elsewhere = ResidentFactory(wing=other_wing)
    Keepsake.objects.create(resident=elsewhere, kept_on=TODAY, note="Not at Drake Hall")
    Keepsake.objects.create(resident=resident, kept_on=TODAY, note="Second")
    client.force_login(staff)
    page = client.get(reverse("hamlet:home")).content.decode()
    assert "Keepsakes kept" in page
    figure = page[page.index("Keepsakes kept") :][:200]
    assert ">2<" in figure.replace(" ", "").replace("\n", "")


def test_a_new_apps_records_end_at_departure(staff, resident, keepsake):
    services.resident_depart(resident=resident, departed_on=TODAY, reason=DepartureReason.RELEASED, by=staff)
    keepsake.refresh_from_db()
    assert keepsake.returned_on == TODAY


def test_subject_access_covers_a_new_apps_records_but_no_one_else_in_a_shared_one(client, manager, resident, keepsake):
    other = ResidentFactory(wing=resident.wing, pseudonym="Rowan", prison_number="A9999ZZ")
    gathering = Gathering.objects.create(
        wing=resident.wing, held_on=TODAY, minutes="Tamsin and Rowan planned the garden. A9999ZZ to water it."
    )
    Attendee.objects.create(gathering=gathering, resident=resident, comment="Loved it")
    Attendee.objects.create(gathering=gathering, resident=other, comment="Rowan's own words")
    client.force_login(manager)
    data = json.loads(subject_access(client, resident).content)
    assert data["keepsakes"][0]["note"] == "A pressed marigold"
    assert data["gatherings"] == [
        {
            "held on": TODAY.isoformat(),
            "minutes": "Tamsin and another resident planned the garden. another resident to water it.",
            "their comment": "Loved it",
        }
    ]
    records = {entry["record"] for entry in data["audit_trail"]}
    assert f"keepsake {keepsake.pk}" in records
    assert not any(record.startswith("gathering ") for record in records)  # shared: others' changes
    assert "Rowan" not in json.dumps(data)


def test_anonymisation_blanks_a_persons_own_records_and_scrubs_them_from_shared_ones(
    manager, long_gone_resident, hamlet_wing
):
    person, other = long_gone_resident, ResidentFactory(wing=hamlet_wing, pseudonym="Rowan")
    name = person.pseudonym
    keepsake = Keepsake.objects.create(resident=person, kept_on=person.arrived_on, note=f"{name}'s letter")
    gathering = Gathering.objects.create(wing=hamlet_wing, held_on=person.arrived_on, minutes=f"{name} and Rowan met")
    mine = Attendee.objects.create(gathering=gathering, resident=person, comment="Said a lot")
    theirs = Attendee.objects.create(gathering=gathering, resident=other, comment="Rowan spoke too")
    services.resident_anonymise(resident=person, by=manager, today=TODAY)
    for record in (keepsake, gathering, mine, theirs):
        record.refresh_from_db()
    assert keepsake.note == ""
    assert mine.comment == ""
    assert gathering.minutes == "[anonymised] and Rowan met"  # the others' minutes are kept
    assert theirs.comment == "Rowan spoke too"
    history = LogEntry.objects.filter(object_repr__contains=name) | LogEntry.objects.filter(changes__icontains=name)
    assert not history.exists()


def test_scrub_replaces_whole_names_in_any_case():
    assert scrub("ann met Annabel and ANN", ["Ann"]) == "another resident met Annabel and another resident"
    assert scrub("nothing here", []) == "nothing here"


def test_the_test_app_adds_nothing_it_does_not_override():
    # The base class's defaults add nothing, so an app overrides only what it has.
    assert KeepsakesContribution.__mro__[1].timeline(KeepsakesContribution(), None) == []


# The engagement journey: one service, for every app.


def test_a_later_app_moves_a_resident_into_phase_1(staff, resident):
    change = services.journey_move(resident=resident, stage=Stage.PHASE_1, on=TODAY, by=staff, note="Cohort 4")
    resident.refresh_from_db()
    assert resident.stage == Stage.PHASE_1
    assert change.recorded_by == staff
    assert LogEntry.objects.get_for_object(change).filter(action=LogEntry.Action.CREATE).exists()


def test_a_future_date_is_refused_unless_the_app_allows_it(staff, resident):
    next_month = TODAY + timedelta(days=30)
    with pytest.raises(ValidationError):
        services.journey_move(resident=resident, stage=Stage.PHASE_1, on=next_month, by=staff)
    services.journey_move(resident=resident, stage=Stage.PHASE_1, on=next_month, by=staff, future_allowed=True)
    resident.refresh_from_db()
    assert resident.stage == Stage.NOT_ENGAGED  # not until the cohort starts
    assert services.journey_catch_up(today=next_month) == 1
    resident.refresh_from_db()
    assert resident.stage == Stage.PHASE_1


def test_the_latest_change_by_date_wins(staff, resident):
    services.journey_move(resident=resident, stage=Stage.PHASE_1, on=TODAY - timedelta(days=2), by=staff)
    services.journey_move(resident=resident, stage=Stage.READY, on=TODAY - timedelta(days=10), by=staff)
    resident.refresh_from_db()
    assert resident.stage == Stage.PHASE_1
    assert StageChange.objects.filter(resident=resident).count() == 2


def test_staff_still_cannot_record_a_phase_by_hand(staff, resident):
    with pytest.raises(ValidationError):
        services.resident_change_stage(resident=resident, stage=Stage.PHASE_1, changed_on=TODAY, note="", by=staff)


def test_catch_up_leaves_residents_alone_whose_stage_is_current(staff, resident):
    services.journey_move(resident=resident, stage=Stage.READY, on=TODAY, by=staff)
    assert services.journey_catch_up(today=TODAY) == 0


# A person referred onto the wing: a resident of the establishment on no wing yet.


def test_closing_a_referral_ends_a_new_apps_records_as_a_departure_does(staff, referral):
    person = referral.resident
    keepsake = Keepsake.objects.create(resident=person, kept_on=TODAY - timedelta(days=3), note="A letter")
    services.resident_referral_close(resident=person, on=TODAY, by=staff)
    keepsake.refresh_from_db()
    person.refresh_from_db()
    assert keepsake.returned_on == TODAY
    assert (person.departed_on, person.departure_reason) == (TODAY, DepartureReason.REFERRAL_CLOSED)


def test_the_journey_waits_until_a_referred_person_is_on_the_wing(staff, referral, hamlet_wing):
    person = referral.resident
    with pytest.raises(ValidationError) as refused:
        services.journey_move(resident=person, stage=Stage.PRE_ENGAGEMENT, on=TODAY, by=staff)
    assert "not on a wing yet" in str(refused.value.message_dict["changed_on"])
    services.resident_move_onto_wing(resident=person, wing=hamlet_wing, arrived_on=TODAY - timedelta(days=1), by=staff)
    services.journey_move(resident=person, stage=Stage.PRE_ENGAGEMENT, on=TODAY, by=staff)
    person.refresh_from_db()
    assert person.stage == Stage.PRE_ENGAGEMENT
    # The journey starts the day they arrived, as an admission's does.
    assert list(person.stage_changes.values_list("stage", "changed_on")) == [
        (Stage.NOT_ENGAGED, TODAY - timedelta(days=1)),
        (Stage.PRE_ENGAGEMENT, TODAY),
    ]


def test_the_programme_shows_a_referral_on_the_persons_page_and_timeline(client, staff, referral):
    client.force_login(staff)
    page = client.get(reverse("residents:detail", args=[referral.resident.pk])).content.decode()
    assert "Referrals onto the wing" in page  # the programme's panel
    assert "Referred onto The Hamlet" in page  # its timeline
    assert "is not on one yet" in page
