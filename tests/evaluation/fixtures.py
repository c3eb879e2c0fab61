"""The evaluation's records every test can ask for by name, registered in ``tests/conftest.py``."""

import pytest

from tests.evaluation.factories import AssessmentPeriodFactory, GridRatingFactory


@pytest.fixture
def period(hamlet_wing):
    """The Hamlet's open follow-up period, the last twelve weeks."""
    return AssessmentPeriodFactory(wing=hamlet_wing, label="Follow-up")


@pytest.fixture
def grid_rating(period):
    """Stage 1 of the follow-up, rated orange."""
    return GridRatingFactory(period=period, stage=1)
