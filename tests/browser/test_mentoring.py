"""Mentoring through the real pages: the catalogue, a mentor's page, the workload."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.models import MentorContact, SupervisionSession
from tests.browser.conftest import assert_accessible, sign_in
from tests.mentoring.factories import MentorContactFactory, SupervisionSessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_logs_a_contact_and_records_supervision(page, manager, holding):
    today = timezone.localdate()
    sign_in(page, manager)
    page.get_by_role("link", name="Mentoring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer involvement roles")
    assert_accessible(page)

    page.get_by_role("link", name="Mentors' workload and wellbeing").click()
    expect(page.get_by_role("table")).to_contain_text("Tamsin")
    assert_accessible(page)

    page.get_by_role("link", name="Tamsin").click()
    assert_accessible(page)
    page.get_by_label("Bridging into engagement").check()
    page.get_by_label("Classroom").check()
    page.get_by_label("Minutes").fill("twenty")
    page.get_by_role("button", name="Log contact").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the minutes as a whole number")
    assert_accessible(page)
    page.get_by_label("Minutes").fill("20")
    page.get_by_role("button", name="Log contact").click()
    expect(page.get_by_role("alert")).to_contain_text("Contact logged for Tamsin")
    assert MentorContact.objects.get().minutes == 20

    page.get_by_role("link", name="Record supervision").click()
    assert_accessible(page)
    page.get_by_role("group", name="Has enough down time?").get_by_label("No").check()
    page.get_by_role("group", name="Asked for help out of hours?").get_by_label("Yes").check()
    page.get_by_label("Anything to hand back to staff").fill("Asked to be woken at night twice")
    page.get_by_role("button", name="Record supervision").click()
    expect(page.get_by_role("alert")).to_contain_text("Supervision recorded for Tamsin")
    session = SupervisionSession.objects.get()
    assert (session.held_on, session.enough_down_time, session.out_of_hours_demands) == (today, False, True)

    for link in ("Record training", "Start a peer role", "End Peer mentors", "Record the next step"):
        page.get_by_role("link", name=link, exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        page.go_back()

    page.goto("/mentoring/settings/")
    page.get_by_label("Days between supervision sessions").fill("0")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


def test_a_custody_manager_runs_a_round_from_nomination_to_appointment(page, manager, peer_mentor_role, resident,
                                                                         hamlet_wing):  # fmt: skip
    from mentoring.models import RoleHolding
    from tests.residents.factories import ResidentFactory

    ResidentFactory(wing=hamlet_wing, pseudonym="Niamh")
    sign_in(page, manager)
    page.goto("/mentoring/recruitment/")
    assert_accessible(page)
    page.get_by_role("button", name="Open a recruitment round").click()
    page.get_by_label("Role").select_option(label="Peer mentors")
    page.get_by_label("Places to fill").fill("2")
    assert_accessible(page)
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer mentors recruitment")

    page.get_by_label("Candidate", exact=True).select_option(label="Tamsin")
    page.get_by_label("Peer nomination").check()
    page.get_by_role("button", name="Add candidate").click()
    expect(page.get_by_role("table")).to_contain_text("Tamsin")

    page.get_by_label("Who is nominated or endorsed").select_option(label="Tamsin")
    page.get_by_label("Resident nominating or endorsing").select_option(label="Niamh")
    page.get_by_label("Nomination", exact=True).check()
    page.get_by_label("In their words (optional)").fill("She got me to the course")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("table")).to_contain_text("Nomination by Niamh")
    assert_accessible(page)

    page.get_by_role("link", name="Score the interview of Tamsin").click()
    page.get_by_label("Morgan Hale").check()
    for legend in ("Ready: own problems no bigger than others'", "Wants the responsibility", "Emotional skills",
                   "Practical skills", "Life skills"):  # fmt: skip
        page.get_by_role("group", name=legend).get_by_label("3", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the scores").click()
    expect(page.get_by_role("table")).to_contain_text("Total 15 of 20")

    page.get_by_role("link", name="Decide on Tamsin").click()
    assert_accessible(page)
    page.get_by_label("Appointed").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("table")).to_contain_text("Appointed")
    assert RoleHolding.objects.filter(resident=resident, role=peer_mentor_role, ended_on=None).exists()


def test_a_supervision_note_changed_by_someone_else_meanwhile_is_not_overwritten(page, manager, supervision_session):
    from mentoring.services import supervision_update

    sign_in(page, manager)
    page.goto(f"/mentoring/mentors/{supervision_session.mentor_id}/")
    page.get_by_role("link", name="Change the supervision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change supervision of")
    assert_accessible(page)
    # A colleague corrects the note while this page is open.
    supervision_session.notes = "Settling in; asked for a quieter landing"
    supervision_update(session=supervision_session, version=supervision_session.version)

    page.get_by_label("Notes").fill("Settling in well; doing the course")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("Notes was changed from ‘Settling in well’")
    assert_accessible(page)
    page.get_by_role("link", name="Open the latest version").click()
    expect(page.get_by_label("Notes")).to_have_value("Settling in; asked for a quieter landing")
    page.get_by_label("Notes").fill("Settling in; asked for a quieter landing. Doing the course")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("Supervision of")
    supervision_session.refresh_from_db()
    assert supervision_session.notes == "Settling in; asked for a quieter landing. Doing the course"


def test_what_a_mentor_hands_back_to_staff_stays_in_view_until_dealt_with(page, staff, holding):
    """ "Anything to hand back to staff" is on the mentor page and the workload page, to CFO
    staff too, until someone marks it dealt with; the contact notes are on the mentor page."""
    today = timezone.localdate()
    SupervisionSessionFactory(
        mentor=holding.resident, held_on=today, supervisor=staff, enough_down_time=True, out_of_hours_demands=False,
        hand_back="Her sister keeps ringing the wing " + "x" * 120, next_due=today + timedelta(days=7),
    )  # fmt: skip
    MentorContactFactory(mentor=holding.resident, notes="Walked her to the " + "y" * 150 + " classroom")
    sign_in(page, staff)
    page.goto("/mentoring/workload/")
    expect(page.locator("main")).to_contain_text("Her sister keeps ringing the wing")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    assert_accessible(page)

    page.get_by_role("link", name="Tamsin").click()
    main = page.locator("main")
    expect(main).to_contain_text("To hand back to staff: Her sister keeps ringing the wing")
    expect(main).to_contain_text("Walked her to the")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Mark as dealt with")).click()
    expect(page.get_by_role("alert")).to_contain_text("dealt with")
    expect(main).to_contain_text("Dealt with on")
    assert_accessible(page)

    page.goto("/mentoring/workload/")
    expect(page.locator("main")).not_to_contain_text("Her sister keeps ringing the wing")
    session = SupervisionSession.objects.get()
    assert session.hand_back_dealt_with_on == today
    assert session.hand_back_dealt_with_by == staff
