"""The evaluation's records every test can ask for by name, registered in ``tests/conftest.py``."""

import pytest

from tests.evaluation.factories import (
    AssessmentPeriodFactory,
    FindingFactory,
    GridRatingFactory,
    MappingScoreFactory,
    RelationalMappingFactory,
    StaffPostFactory,
    VoiceFactory,
)


@pytest.fixture
def period(hamlet_wing):
    """The Hamlet's open follow-up period, the last twelve weeks."""
    return AssessmentPeriodFactory(wing=hamlet_wing, label="Follow-up")


@pytest.fixture
def grid_rating(period):
    """Stage 1 of the follow-up, rated orange."""
    return GridRatingFactory(period=period, stage=1)


@pytest.fixture
def mapping(period, cohort):
    """The running cohort's mapping in the follow-up: peer mentors trusted 7 out of 10."""
    made = RelationalMappingFactory(period=period, cohort=cohort, notes="Talked it through at length")
    MappingScoreFactory(mapping=made)
    return made


@pytest.fixture
def voice(period):
    """The follow-up's first enabler."""
    return VoiceFactory(period=period)


@pytest.fixture
def finding(period, manager):
    """A recommendation of the follow-up, the manager's to act on."""
    return FindingFactory(period=period, owner=manager)


@pytest.fixture
def staff_post(hamlet_wing):
    """Two funded CFO officer posts on the Hamlet."""
    return StaffPostFactory(wing=hamlet_wing, title="CFO dedicated prison officer")
