"""The programme's records every test can ask for by name, registered in ``tests/conftest.py``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from residents.models import Stage
from tests.programme.factories import (
    ActionFactory,
    CohortFactory,
    EnrolmentFactory,
    MeetingAttendeeFactory,
    MeetingFactory,
    ProjectFactory,
    ProjectHoursFactory,
    ReferralFactory,
    SessionFactory,
    SuggestionFactory,
    WaitingListEntryFactory,
)
from tests.residents.factories import ResidentFactory


@pytest.fixture
def waiting_entry(hamlet_wing):
    """Marigold, approved on the Phase 1 waiting list."""
    marigold = ResidentFactory(wing=hamlet_wing, pseudonym="Marigold", prison_number="A4103BK", stage=Stage.READY)
    return WaitingListEntryFactory(resident=marigold)


@pytest.fixture
def referral(hamlet_wing):
    """Yarrow, in the main prison at Drake Hall, referred onto the Hamlet ten days ago."""
    return ReferralFactory(
        wing=hamlet_wing, resident__pseudonym="Yarrow", resident__prison_number="A4109BK", why="Yarrow asked to join"
    )


@pytest.fixture
def cohort(hamlet_wing, staff):
    """Cohort 1 of Phase 1 on the Hamlet, running since a week ago."""
    made = CohortFactory(wing=hamlet_wing, name="Cohort 1", status="running")
    made.facilitators.set([staff])
    return made


@pytest.fixture
def enrolment(cohort, resident):
    """Tamsin's place in Cohort 1."""
    return EnrolmentFactory(cohort=cohort, resident=resident)


@pytest.fixture
def programme_session(cohort):
    """Cohort 1's session yesterday."""
    return SessionFactory(cohort=cohort)


@pytest.fixture
def meeting(hamlet_wing, resident):
    """The Hamlet Improvement Group two days ago, with Tamsin there."""
    held = MeetingFactory(wing=hamlet_wing, kind="hig")
    MeetingAttendeeFactory(meeting=held, resident=resident, as_peer_mentor=False)
    return held


@pytest.fixture
def meeting_action(meeting, resident):
    """An open action of that meeting, Tamsin's to do."""
    return ActionFactory(meeting=meeting, description="Ask the garden party for seeds", owner_resident=resident)


@pytest.fixture
def suggestion(hamlet_wing):
    """An anonymous suggestion from the box, not answered yet."""
    return SuggestionFactory(wing=hamlet_wing, text="A quiet room on Sunday afternoons")


@pytest.fixture
def project(hamlet_wing):
    """A running community project on the Hamlet."""
    return ProjectFactory(wing=hamlet_wing, title="Garden for the visits hall", for_whom="prison")


@pytest.fixture
def project_hours(project, resident):
    """Three hours Tamsin gave to the garden two days ago."""
    return ProjectHoursFactory(project=project, resident=resident, on=timezone.localdate() - timedelta(days=2))
