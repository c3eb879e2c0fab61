"""A candidate whose record is limited to named staff is hidden on the recruitment pages from
everyone else: name, voices, scores, decision reason and the count."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hamlet.roles import Role
from mentoring import services
from tests.hamlet.factories import UserFactory
from tests.mentoring.factories import InterviewFactory
from tests.residents.factories import ResidentFactory

TODAY = timezone.localdate()


@pytest.fixture
def hidden_candidate(candidate, hamlet_wing, manager):
    """A second candidate in Tamsin's round, whose record only the Drake Hall manager may open."""
    hidden = ResidentFactory(wing=hamlet_wing, pseudonym="Hidden Candidate", limited_access=True)
    hidden.permitted_staff.set([manager])
    secret = services.candidate_add(round=candidate.round, resident=hidden, route="staff")
    InterviewFactory(candidate=secret, ready=4, ready_notes="Spoke about the appeal")
    secret.decision, secret.decision_reason = "not_now", "Waiting on the parole hearing"
    secret.save()
    return secret


@pytest.fixture
def other_manager(drake_hall):
    """Another custody manager at Drake Hall, not named on the limited record."""
    return UserFactory(username="manager2.dhi", role=Role.CUSTODY_MANAGER, establishments=[drake_hall])


def test_the_round_page_leaves_out_a_candidate_limited_to_other_staff(client, other_manager, hidden_candidate):
    client.force_login(other_manager)
    content = client.get(reverse("mentoring:round", args=[hidden_candidate.round_id])).content.decode()
    assert "Tamsin" in content
    for secret in ("Hidden Candidate", "parole hearing", "appeal"):
        assert secret not in content


def test_the_staff_named_on_the_record_still_see_the_candidate(client, manager, hidden_candidate):
    client.force_login(manager)
    content = client.get(reverse("mentoring:round", args=[hidden_candidate.round_id])).content.decode()
    assert "Hidden Candidate" in content
    assert "parole hearing" in content


def test_the_rounds_list_does_not_count_a_hidden_candidate(client, manager, other_manager, hidden_candidate):
    for user, count in ((other_manager, 1), (manager, 2)):
        client.force_login(user)
        assert client.get(reverse("mentoring:rounds")).context["rounds"][0].candidate_count == count


def test_the_close_page_does_not_name_a_hidden_candidate(client, other_manager, hidden_candidate):
    hidden_candidate.decision = ""
    hidden_candidate.save()
    client.force_login(other_manager)
    content = client.get(reverse("mentoring:round_close", args=[hidden_candidate.round_id])).content.decode()
    assert "Tamsin" in content
    assert "Hidden Candidate" not in content


@pytest.mark.parametrize("name", ["mentoring:interview", "mentoring:decide"])
def test_a_hidden_candidates_forms_are_not_found(client, other_manager, hidden_candidate, name):
    client.force_login(other_manager)
    url = reverse(name, args=[hidden_candidate.round_id, hidden_candidate.pk])
    assert client.get(url).status_code == 404
