"""Referrals onto the wing (issue 13, "Coming onto the wing"): a person elsewhere in the
establishment is a resident with no wing; their referral moves on as REFERRAL_MOVES allows;
moving onto the wing admits them to it, and declining or withdrawing closes their record."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Candidate
from programme import services
from programme.models import REFERRAL_MOVES, Referral, ReferralStatus
from residents.models import DepartureReason, Resident, Stage
from residents.services import resident_anonymise
from tests.hamlet.factories import HouseblockFactory
from tests.programme.factories import ReferralFactory
from tests.residents.factories import ResidentFactory

TODAY = timezone.localdate()


def _date(name: str, day) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def _version(client, referral) -> str:
    """The signed version the move form carries, as the page gives it."""
    return client.get(reverse("programme:referral_move", args=[referral.pk])).context["form"]["version"].value()


def _move(client, referral, to: str, *, on=TODAY, version=None, **extra):
    data = {"to": to, "version": version or _version(client, referral), **_date("on", on), **extra}
    return client.post(reverse("programme:referral_move", args=[referral.pk]), data)


def _refer(client, **extra):
    data = {
        "prison_number": "b2345cd",
        "pseudonym": "Rowan",
        "sentence_type": "life",
        "age_band": "40-49",
        "referred_by": "cfo_officer",
        "why": "Interviewed in the main prison; wants a peer role",
        **_date("referred_on", TODAY - timedelta(days=3)),
        **extra,
    }
    return client.post(reverse("programme:referral_add"), data)


# Referring someone.


def test_referring_someone_records_them_on_no_wing_with_their_referral(client, staff, hamlet_wing):
    client.force_login(staff)
    response = _refer(client)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == referral.get_absolute_url()
    person = referral.resident
    assert (person.prison_number, person.establishment, person.wing, person.arrived_on) == (
        "B2345CD",
        hamlet_wing.establishment,
        None,
        None,
    )
    assert person.is_current
    assert person.stage == Stage.NOT_ENGAGED
    assert not person.stage_changes.exists()  # the journey starts when they arrive
    assert (referral.wing, referral.status, referral.recorded_by) == (hamlet_wing, ReferralStatus.REFERRED, staff)
    assert list(referral.history.values_list("to_status", "on")) == [("referred", TODAY - timedelta(days=3))]


def test_a_prison_number_a_current_resident_holds_is_refused_next_to_its_field(client, staff, resident):
    client.force_login(staff)
    response = _refer(client, prison_number=resident.prison_number)
    assert response.status_code == 200
    assert "already has this prison number" in str(response.context["form"].errors["prison_number"])
    assert not Referral.objects.exists()


def test_a_referral_dated_in_the_future_is_refused_next_to_its_field(client, staff, hamlet_wing):
    client.force_login(staff)
    response = _refer(client, **_date("referred_on", TODAY + timedelta(days=1)))
    assert "cannot be in the future" in str(response.context["form"].errors["referred_on"])
    assert not Resident.objects.exists()


# Every move, allowed and refused.

ALLOWED = [(start, to) for start, moves in REFERRAL_MOVES.items() for to in moves]
REFUSED = [(start, to) for start in ReferralStatus for to in ReferralStatus if to not in REFERRAL_MOVES[start]]


@pytest.mark.parametrize(("start", "to"), ALLOWED)
def test_each_allowed_move_is_saved_dated_and_attributed(client, staff, hamlet_wing, start, to):
    referral = ReferralFactory(wing=hamlet_wing, status=start)
    client.force_login(staff)
    response = _move(client, referral, to, reason="Not suitable for the wing now" if to == "declined" else "")
    assert response.status_code == 302, response.context and response.context["form"].errors
    referral.refresh_from_db()
    assert (referral.status, referral.status_on) == (to, TODAY)
    last = referral.history.last()
    assert (last.from_status, last.to_status, last.on, last.by) == (start, to, TODAY, staff)


@pytest.mark.parametrize(("start", "to"), REFUSED)
def test_each_refused_move_is_refused_by_the_service_next_to_the_status(staff, hamlet_wing, start, to):
    referral = ReferralFactory(wing=hamlet_wing, status=start)
    with pytest.raises(ValidationError) as refused:
        services.referral_move(referral=referral, to=to, on=TODAY, reason="Because", by=staff, version=referral.version)
    assert "cannot be moved to that status" in str(refused.value.message_dict["to"])
    referral.refresh_from_db()
    assert referral.status == start


@pytest.mark.parametrize("start", [status for status in ReferralStatus if REFERRAL_MOVES[status]])
def test_a_move_the_page_does_not_offer_is_refused_next_to_the_status(client, staff, hamlet_wing, start):
    referral = ReferralFactory(wing=hamlet_wing, status=start)
    offered = set(REFERRAL_MOVES[start])
    client.force_login(staff)
    for to in set(ReferralStatus) - offered:
        response = _move(client, referral, to)
        assert response.status_code == 200
        assert response.context["form"].errors["to"], to
    referral.refresh_from_db()
    assert referral.status == start


@pytest.mark.parametrize("status", ["moved", "declined", "withdrawn"])
def test_an_ended_referral_offers_no_move(client, staff, hamlet_wing, status):
    referral = ReferralFactory(wing=hamlet_wing, status=status)
    client.force_login(staff)
    response = client.get(reverse("programme:referral_move", args=[referral.pk]), follow=True)
    assert "it cannot move on from here" in response.content.decode()
    assert "this referral has ended" in client.get(referral.get_absolute_url()).content.decode()


def test_declining_needs_a_reason_next_to_its_field(client, staff, referral):
    client.force_login(staff)
    response = _move(client, referral, "declined", reason="  ")
    assert "Give the reason the referral was declined" in str(response.context["form"].errors["reason"])
    referral.refresh_from_db()
    assert referral.status == "referred"
    assert referral.resident.is_current


def test_a_move_dated_before_the_last_change_or_in_the_future_is_refused_next_to_the_date(client, staff, referral):
    client.force_login(staff)
    early = _move(client, referral, "assessed", on=referral.status_on - timedelta(days=1))
    assert "on or after" in str(early.context["form"].errors["on"])
    late = _move(client, referral, "assessed", on=TODAY + timedelta(days=1))
    assert "cannot be in the future" in str(late.context["form"].errors["on"])


def test_two_people_moving_one_referral_do_not_overwrite_each_other(client, staff, manager, referral):
    client.force_login(staff)
    opened = _version(client, referral)
    services.referral_move(referral=referral, to="assessed", on=TODAY, reason="", by=manager, version=referral.version)
    response = _move(client, referral, "withdrawn", version=opened)
    assert "Someone else saved this referral" in str(response.context["form"].non_field_errors())
    referral.refresh_from_db()
    assert referral.status == "assessed"
    assert referral.resident.is_current


# Moving onto the wing, and closing.


@pytest.fixture
def accepted(hamlet_wing):
    return ReferralFactory(
        wing=hamlet_wing, status="accepted", resident__pseudonym="Tansy", resident__prison_number="A4120BK"
    )


def test_moving_onto_the_wing_admits_them_to_it(client, staff, hamlet_wing, accepted):
    houseblock = hamlet_wing.houseblocks.get(name="Houseblock 2")
    client.force_login(staff)
    arrived = TODAY - timedelta(days=1)
    response = _move(client, accepted, "moved", on=arrived, houseblock=houseblock.pk, room=" 04 ")
    assert response.status_code == 302
    person = Resident.objects.get(pk=accepted.resident_id)
    assert (person.wing, person.arrived_on, person.houseblock, person.room) == (hamlet_wing, arrived, houseblock, "4")
    assert list(person.stage_changes.values_list("stage", "changed_on")) == [(Stage.NOT_ENGAGED, arrived)]
    # Now on the wing's residents list, like anyone admitted.
    listing = client.get(reverse("residents:list")).content.decode()
    assert "Tansy" in listing


def test_moving_into_a_full_room_is_refused_next_to_the_room(client, staff, hamlet_wing, accepted):
    single = HouseblockFactory(wing=hamlet_wing, name="Houseblock 3", rooms=10, beds_per_room=1)
    ResidentFactory(wing=hamlet_wing, houseblock=single, room="5")
    client.force_login(staff)
    response = _move(client, accepted, "moved", houseblock=single.pk, room="5")
    assert "Room 5 on Houseblock 3 is full" in str(response.context["form"].errors["room"])
    response = _move(client, accepted, "moved", houseblock=single.pk, room="11")
    assert "from 1 to 10" in str(response.context["form"].errors["room"])
    accepted.refresh_from_db()
    assert accepted.status == "accepted"
    assert accepted.resident.wing is None


def test_an_arrival_before_the_referral_is_refused_next_to_the_date(client, staff, accepted):
    client.force_login(staff)
    response = _move(client, accepted, "moved", on=accepted.referred_on - timedelta(days=1))
    assert response.context["form"].errors["on"]
    assert Resident.objects.get(pk=accepted.resident_id).wing is None


def test_a_namesake_in_the_same_place_is_refused_and_names_no_one(client, staff, hamlet_wing, accepted):
    ResidentFactory(wing=hamlet_wing, pseudonym="Tansy", houseblock=None, room="", limited_access=True)
    client.force_login(staff)
    response = _move(client, accepted, "moved")
    assert "Another resident on the wing has this pseudonym" in str(response.context["form"].non_field_errors())
    assert Resident.objects.get(pk=accepted.resident_id).wing is None


@pytest.mark.parametrize("to", ["declined", "withdrawn"])
def test_declining_or_withdrawing_closes_the_persons_record(client, staff, referral, to):
    client.force_login(staff)
    response = _move(client, referral, to, reason="Moved to another prison")
    assert response.status_code == 302
    person = Resident.objects.get(pk=referral.resident_id)
    assert (person.departed_on, person.departure_reason, person.wing) == (TODAY, DepartureReason.REFERRAL_CLOSED, None)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Record closed" in page
    assert "Referral closed without moving onto the wing" in page


def test_a_closed_referral_is_anonymised_like_anyone_who_left(manager, hamlet_wing):
    long_ago = TODAY.replace(year=TODAY.year - 8)
    referral = ReferralFactory(
        wing=hamlet_wing,
        status="declined",
        reason="Verity had a fight in education",
        why="Verity asked for help",
        referred_on=long_ago,
        status_on=long_ago,
        resident__pseudonym="Verity",
        resident__departed_on=long_ago,
        resident__departure_reason=DepartureReason.REFERRAL_CLOSED,
    )
    resident_anonymise(resident=referral.resident, by=manager, today=TODAY)
    referral.refresh_from_db()
    assert (referral.why, referral.reason) == ("[anonymised]", "")
    assert referral.status == "declined"  # the statistics stay


# Who may see a referral.


def test_a_limited_access_referral_is_not_found_by_staff_not_named(client, staff, manager, referral):
    person = referral.resident
    person.limited_access = True
    person.save()
    person.permitted_staff.set([manager])
    client.force_login(staff)
    for name in ("programme:referral", "programme:referral_move"):
        assert client.get(reverse(name, args=[referral.pk])).status_code == 404
    assert "Yarrow" not in client.get(reverse("programme:referrals")).content.decode()
    client.force_login(manager)
    assert client.get(referral.get_absolute_url()).status_code == 200
    assert "Yarrow" in client.get(reverse("programme:referrals")).content.decode()


def test_another_establishments_referral_is_not_found(client, other_staff, referral):
    client.force_login(other_staff)
    assert client.get(referral.get_absolute_url()).status_code == 404
    assert client.post(reverse("programme:referral_move", args=[referral.pk]), {"to": "assessed"}).status_code == 404
    assert "Yarrow" not in client.get(reverse("programme:referrals")).content.decode()


def test_the_referrals_list_costs_the_same_for_one_referral_or_twenty(client, staff, hamlet_wing):
    client.force_login(staff)
    url = reverse("programme:referrals")
    ReferralFactory(wing=hamlet_wing)

    def queries() -> int:
        client.get(url)  # the first visit chooses the wing and warms the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for status in ["referred", "assessed", "accepted"] * 6 + ["referred"]:
        ReferralFactory(wing=hamlet_wing, status=status)
    assert queries() == one


def test_the_list_shows_days_since_each_open_referral_and_filters_by_status(client, staff, hamlet_wing):
    ReferralFactory(wing=hamlet_wing, resident__pseudonym="Aster", referred_on=TODAY - timedelta(days=12))
    ReferralFactory(wing=hamlet_wing, resident__pseudonym="Clover", status="withdrawn")
    client.force_login(staff)
    page = client.get(reverse("programme:referrals")).content.decode()
    assert "Aster" in page
    assert ">12<" in page.replace(" ", "").replace("\n", "")
    assert "Clover" not in page  # open ones unless asked
    assert "Clover" in client.get(reverse("programme:referrals"), {"status": "withdrawn"}).content.decode()


# A person not on a wing yet, around Hamlet.


def test_a_referred_persons_pages_open_and_say_they_are_not_on_a_wing(client, manager, referral):
    person = referral.resident
    client.force_login(manager)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Not on a wing yet" in page
    assert "has been referred onto a wing" in page
    assert reverse("programme:referral", args=[referral.pk]) in page  # through the programme's panel
    for name in ("residents:stage", "residents:support", "residents:depart", "mentoring:mentor"):
        assert reverse(name, args=[person.pk]) not in page, name
        response = client.get(reverse(name, args=[person.pk]), follow=True)
        assert response.status_code == 200, name
        assert "is not on a wing yet" in response.content.decode(), name
    for name in ("residents:edit", "residents:non_association"):
        assert client.get(reverse(name, args=[person.pk])).status_code == 200, name
    assert client.post(reverse("residents:subject_access", args=[person.pk]), {"reason": "Asked"}).status_code == 200


def test_editing_a_referred_person_does_not_put_them_on_a_wing(client, staff, referral, hamlet_wing):
    person = referral.resident
    client.force_login(staff)
    form = client.get(reverse("residents:edit", args=[person.pk])).context["form"]
    assert {"houseblock", "room", "arrived_on"}.isdisjoint(form.fields)
    data = {
        "prison_number": person.prison_number,
        "pseudonym": "Yarrow Two",
        "sentence_type": "ipp",
        "age_band": "30-39",
        "version": form["version"].value(),
        "houseblock": hamlet_wing.houseblocks.first().pk,  # not on the form: ignored
        "room": "3",
        **_date("arrived_on", TODAY),
    }
    response = client.post(reverse("residents:edit", args=[person.pk]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    person.refresh_from_db()
    assert (person.pseudonym, person.sentence_type) == ("Yarrow Two", "ipp")
    assert (person.wing, person.houseblock, person.room, person.arrived_on) == (None, None, "", None)


def test_the_residents_list_leaves_them_out_but_a_search_for_their_number_finds_them(client, staff, referral):
    client.force_login(staff)
    assert "Yarrow" not in client.get(reverse("residents:list")).content.decode()
    client.post(reverse("residents:search"), {"q": referral.resident.prison_number})
    found = client.get(reverse("residents:list")).content.decode()
    assert "Yarrow" in found
    assert "Not on a wing yet" in found


def test_a_recruitment_round_can_consider_a_referred_person_but_not_appoint_them_yet(
    client, manager, recruitment_round, referral
):
    person = referral.resident
    client.force_login(manager)
    round_url = reverse("mentoring:round", args=[recruitment_round.pk])
    assert str(person.pk) in str(client.get(round_url).context["candidate_form"]["resident"])
    response = client.post(
        reverse("mentoring:candidate_add", args=[recruitment_round.pk]),
        {"candidate-resident": person.pk, "candidate-route": "staff"},
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get(resident=person, round=recruitment_round)
    decide = reverse("mentoring:decide", args=[recruitment_round.pk, candidate.pk])
    response = client.post(decide, {"decision": "appointed", "reason": ""})
    assert "not on the wing yet" in str(response.context["form"].errors["decision"])
    assert not person.role_holdings.exists()
