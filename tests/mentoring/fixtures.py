"""Peer roles, mentors and recruitment every test can ask for by name, registered in
``tests/conftest.py``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.mentoring.factories import (
    CandidateFactory,
    MentorContactFactory,
    PeerRoleFactory,
    RecruitmentRoundFactory,
    RoleHoldingFactory,
    SupervisionSessionFactory,
)


@pytest.fixture
def peer_mentor_role(drake_hall):
    return PeerRoleFactory(
        establishment=drake_hall, title="Peer mentors", pay="unpaid", induction=True, single_issue=False,
        bridging=True, representation="some", is_cfo_role=True, pathway_step=2,
    )  # fmt: skip


@pytest.fixture
def holding(resident, peer_mentor_role):
    """Tamsin holds the Peer mentors role: she is a mentor."""
    return RoleHoldingFactory(resident=resident, role=peer_mentor_role, started_on=resident.arrived_on)


@pytest.fixture
def mentor(holding):
    """Tamsin, as the mentor she is: a mentor's forms are offered only to a role holder."""
    return holding.resident


@pytest.fixture
def supervision_session(holding, staff):
    """Tamsin's first supervision as a mentor, recorded by the officer."""
    return SupervisionSessionFactory(
        mentor=holding.resident, held_on=holding.started_on, supervisor=staff, enough_down_time=True,
        out_of_hours_demands=False, notes="Settling in well", next_due=holding.started_on + timedelta(days=7),
    )  # fmt: skip


@pytest.fixture
def mentor_contact(holding, staff):
    """A contact Tamsin made as a mentor, logged by the officer (who may correct it, as may the
    custody manager, and no one else)."""
    return MentorContactFactory(
        mentor=holding.resident, occurred_at=timezone.now() - timedelta(minutes=5), minutes=20, recorded_by=staff,
        notes="Showed a newcomer the routine",
    )  # fmt: skip


@pytest.fixture
def recruitment_round(hamlet_wing, peer_mentor_role, manager):
    return RecruitmentRoundFactory(role=peer_mentor_role, wing=hamlet_wing, places=2, opened_by=manager)


@pytest.fixture
def candidate(recruitment_round, resident):
    return CandidateFactory(round=recruitment_round, resident=resident, route="peer")
