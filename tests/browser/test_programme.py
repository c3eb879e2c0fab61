"""The programme through the real pages: create a cohort, enrol ten from the waiting list,
take a session's register in one submission, correct one mark, and see the correction
kept. axe-core checks every page on the way."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programme.models import Attendance, AttendanceChange, Cohort
from tests.browser.conftest import assert_accessible, fill_date, sign_in
from tests.programme.factories import WaitingListEntryFactory
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ["Aster", "Bryony", "Clover", "Dahlia", "Elder", "Fern", "Gorse", "Heather", "Iris", "Juniper"]


def test_staff_create_a_cohort_enrol_ten_take_the_register_and_correct_a_mark(page, staff, hamlet_wing):
    today = timezone.localdate()
    start = today - timedelta(days=7)
    for number, name in enumerate(NAMES):
        resident = ResidentFactory(wing=hamlet_wing, pseudonym=name, room=str(number + 1),
                                   arrived_on=today - timedelta(days=90))  # fmt: skip
        WaitingListEntryFactory(resident=resident, referred_on=today - timedelta(days=30 - number))
    sign_in(page, staff)

    page.get_by_role("link", name="Programme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme")
    expect(page.get_by_role("table", name="Phased delivery on The Hamlet")).to_contain_text("Arts and Craft workshop")
    assert_accessible(page)

    page.get_by_role("link", name="Waiting list").click()
    expect(page.get_by_role("table")).to_contain_text("Juniper")
    assert_accessible(page)
    page.goto("/programme/")

    page.get_by_role("button", name="Create a cohort").click()
    assert_accessible(page)
    page.get_by_role("button", name="Create the cohort").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the phase")
    assert_accessible(page)
    page.get_by_label("Phase 1").check()
    page.get_by_label("Name").fill("Cohort 5")
    fill_date(page, "Starts on", start)
    page.get_by_role("button", name="Create the cohort").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phase 1 Cohort 5")
    assert_accessible(page)

    for name in NAMES:
        page.get_by_label(name, exact=False).check()
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("alert")).to_contain_text("10 enrolled in Phase 1 Cohort 5")
    expect(page.get_by_role("table", name="Residents")).to_contain_text("Juniper")

    page.get_by_role("button", name="Start the cohort").click()
    expect(page.get_by_role("alert")).to_contain_text("is running")

    page.get_by_role("button", name="Add sessions from a weekly plan").click()
    assert_accessible(page)
    page.get_by_label(start.strftime("%A")).check()
    page.get_by_label("Time it starts").fill("09:30")
    page.get_by_label("Time it ends").fill("12:00")
    page.get_by_label("Thinking skills").check()
    page.get_by_label("Prime provider").check()
    page.get_by_role("button", name="Add the sessions").click()
    expect(page.get_by_role("alert")).to_contain_text("8 sessions added")
    assert_accessible(page)

    page.get_by_role("link", name=start.strftime("%a %-d %b %Y")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register")
    assert_accessible(page)
    page.get_by_label("Attendance of Bryony").select_option("sick")
    page.get_by_label("Attendance of Clover").select_option("other")
    page.get_by_role("button", name="Mark everyone not yet recorded as attended, and save").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why Clover did not attend")
    assert_accessible(page)
    page.get_by_label("Other reason for Clover").fill("Legal visit")
    page.get_by_role("button", name="Mark everyone not yet recorded as attended, and save").click()
    expect(page.get_by_role("alert")).to_contain_text("Register saved: 10 marks recorded or changed")
    cohort = Cohort.objects.get(name="Cohort 5")
    marks = dict(Attendance.objects.filter(session__cohort=cohort).values_list("resident__pseudonym", "mark"))
    assert marks == {**dict.fromkeys(NAMES, "attended"), "Bryony": "sick", "Clover": "other"}

    page.get_by_role("link", name="Back to the cohort").click()
    page.get_by_role("link", name=start.strftime("%a %-d %b %Y")).click()
    page.get_by_label("Attendance of Bryony").select_option("attended")
    page.get_by_role("button", name="Save the register").click()
    expect(page.get_by_role("alert")).to_contain_text("1 mark recorded or changed")
    corrections = page.get_by_role("table", name="Earlier marks, newest correction first")
    expect(corrections).to_contain_text("Bryony")
    expect(corrections).to_contain_text("Sick")
    assert_accessible(page)
    assert AttendanceChange.objects.get().mark == "sick"

    page.get_by_role("link", name="Back to the cohort").click()
    expect(page.get_by_role("table", name="Residents")).to_contain_text("100%")
    page.get_by_role("row", name=re.compile("Aster")).get_by_role("link", name=re.compile("Completed or left")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record that they completed the phase or left it")
    assert_accessible(page)


def test_the_programme_pages_no_journey_passes_through_are_accessible(
    page, manager, waiting_entry, enrolment, programme_session
):
    programme_session.cohort.peer_mentors.set([])
    programme_session.catch_up_for.set([enrolment.resident])
    sign_in(page, manager)
    for path, heading in [
        ("/programme/phases/2/", "Phase 2: how the wing runs it"),
        ("/programme/waiting-list/add/", "Add to a waiting list"),
        (f"/programme/waiting-list/{waiting_entry.pk}/", "Phase 1 waiting list: approved"),
        (f"/programme/enrolments/{enrolment.pk}/move/", "Move to another cohort"),
        (f"/programme/cohorts/{enrolment.cohort_id}/sessions/new/", "Add a session"),
        (f"/programme/sessions/{programme_session.pk}/cancel/", "Cancel the session on"),
        (f"/programme/sessions/{programme_session.pk}/", "Register"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)
    # A refused change of the settings keeps what was typed and says which field is wrong.
    page.goto("/programme/phases/2/")
    page.get_by_label("Smallest cohort").fill("12")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("The largest cohort must be at least the smallest")
    assert_accessible(page)


def test_a_hig_meeting_answers_a_suggestion_and_the_board_shows_it(page, manager, hamlet_wing, resident, mentor):
    sign_in(page, manager)
    page.goto("/programme/suggestions/")
    assert_accessible(page)
    page.get_by_role("button", name="Record a suggestion").click()
    page.get_by_label("Suggestion box").check()
    page.get_by_label("What they said").fill("A quiet room on Sunday afternoons")
    page.get_by_label("Collected it").check()
    page.get_by_role("button", name="Record the suggestion").click()
    expect(page.get_by_role("alert")).to_contain_text("Suggestion recorded")

    page.goto("/programme/meetings/")
    assert_accessible(page)
    page.get_by_role("button", name="Record a meeting").click()
    assert_accessible(page)
    page.get_by_label("Hamlet Improvement Group").check()
    page.get_by_role("group", name="Residents there (optional)").get_by_label("Tamsin").check()
    page.get_by_label("Minutes (optional)").fill("Tamsin brought the box's suggestions.")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hamlet Improvement Group")
    assert_accessible(page)
    page.get_by_label("What is to be done").fill("Ask the chaplaincy about the multi-faith room")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("alert")).to_contain_text("Action added")

    page.goto("/programme/suggestions/")
    page.get_by_role("link", name=re.compile(r"^Answer\s+to the suggestion")).click()
    assert_accessible(page)
    page.get_by_label("Answered at").select_option(index=1)
    page.get_by_label("Adopted", exact=True).check()
    page.get_by_role("button", name="Save the answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what was done")
    assert_accessible(page)
    page.get_by_label("We did", exact=True).fill("The multi-faith room is open from 2pm on Sundays")
    page.get_by_role("button", name="Save the answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Answer saved")

    page.get_by_role("link", name="You said, we did").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You said, we did")
    expect(page.locator("main")).to_contain_text("The multi-faith room is open from 2pm on Sundays")
    expect(page.locator("main")).not_to_contain_text("Tamsin")
    assert_accessible(page)


def test_the_projects_meeting_and_action_pages_are_accessible(page, manager, meeting_action, project_hours):
    meeting = meeting_action.meeting
    sign_in(page, manager)
    for path, heading in [
        ("/programme/projects/", "Community projects"),
        ("/programme/projects/new/", "Add a community project"),
        (f"/programme/projects/{project_hours.project_id}/", project_hours.project.title),
        (f"/programme/projects/{project_hours.project_id}/change/", "Change the project"),
        (f"/programme/hours/{project_hours.pk}/remove/", "Remove these hours?"),
        (f"/programme/meetings/{meeting.pk}/change/", "Change the meeting"),
        (f"/programme/actions/{meeting_action.pk}/", "Review"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)
    # A refused log of hours: the error summary's link moves focus to its field.
    page.goto(f"/programme/projects/{project_hours.project_id}/")
    page.get_by_role("textbox", name="Hours").fill("abc")
    page.get_by_role("button", name="Log the hours").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the hours as a number")
    assert_accessible(page)
    page.get_by_role("alert").get_by_role("link", name=re.compile("Enter the hours")).click()
    expect(page.get_by_role("textbox", name="Hours")).to_be_focused()


def test_staff_refer_someone_move_them_onto_the_wing_and_find_them_on_it(page, staff, hamlet_wing, referral):
    sign_in(page, staff)
    page.get_by_role("link", name="Programme").click()
    page.get_by_role("link", name="Referrals onto the wing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals onto the wing")
    expect(page.get_by_role("table")).to_contain_text("Yarrow")
    assert_accessible(page)

    page.get_by_role("button", name="Refer someone").click()
    assert_accessible(page)
    page.get_by_label("Prison number").fill("A12")
    page.get_by_label("Pseudonym").fill("Rowan")
    page.get_by_role("button", name="Refer them").click()
    expect(page.get_by_role("alert")).to_contain_text("Select who referred them")
    assert_accessible(page)
    # The error summary's link moves focus to its field.
    page.get_by_role("alert").get_by_role("link", name=re.compile("Say why they were referred")).click()
    expect(page.get_by_role("textbox", name="Why they were referred")).to_be_focused()
    page.get_by_label("Prison number").fill("B2345CD")
    page.get_by_label("Sentence type").select_option("life")
    page.get_by_label("Age band").select_option("40-49")
    page.get_by_label("CFO officer").check()
    page.get_by_role("textbox", name="Why they were referred").fill("Interviewed in the main prison for a peer role")
    page.get_by_role("button", name="Refer them").click()
    expect(page.get_by_role("alert")).to_contain_text("Rowan has been referred onto The Hamlet")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rowan")
    assert_accessible(page)

    for to in ("Assessed", "Accepted"):
        page.get_by_role("button", name="Change the status").click()
        page.get_by_label(to).check()
        page.get_by_role("button", name="Save the change").click()
        expect(page.get_by_role("alert")).to_contain_text(f"Rowan: {to.lower()}")
    page.get_by_role("button", name="Change the status").click()
    assert_accessible(page)
    page.get_by_label("Moved onto the wing").check()
    page.get_by_label("Houseblock (optional)").select_option(label="Houseblock 2")
    page.get_by_label("Room (optional)").fill("99")
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_role("alert")).to_contain_text("Room must be a number from 1 to 19 on Houseblock 2")
    assert_accessible(page)
    page.get_by_role("alert").get_by_role("link", name=re.compile("Room must be")).click()
    expect(page.get_by_role("textbox", name="Room (optional)")).to_be_focused()
    page.get_by_label("Room (optional)").fill("7")
    page.get_by_role("button", name="Save the change").click()
    expect(page.get_by_role("alert")).to_contain_text("Rowan: moved onto the wing")
    expect(page.get_by_role("table", name="History")).to_contain_text("Accepted to moved onto the wing")

    page.get_by_role("link", name="Their record").click()
    expect(page.locator("main")).to_contain_text("Houseblock 2, room 7")
    expect(page.locator("main")).to_contain_text("Referred onto The Hamlet")
    assert_accessible(page)

    # Someone not yet on the wing: their page says so plainly.
    page.goto(f"/residents/{referral.resident_id}/")
    expect(page.locator("main")).to_contain_text("has been referred onto a wing and is not on one yet")
    assert_accessible(page)
