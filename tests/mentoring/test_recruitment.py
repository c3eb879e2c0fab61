import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import Candidate, Decision, Interview, Nomination, RoleHolding
from tests.mentoring.factories import InterviewFactory, RecruitmentRoundFactory
from tests.residents.factories import ResidentFactory

TODAY = timezone.localdate()
SCORES = {
    "ready": "4",
    "wants_responsibility": "3",
    "emotional_skills": "4",
    "practical_skills": "2",
    "life_skills": "3",
}


def test_appointing_starts_the_role_in_the_same_step(candidate, manager):
    services.candidate_decide(candidate=candidate, decision=Decision.APPOINTED, reason="", by=manager)
    holding = RoleHolding.objects.get(resident=candidate.resident)
    assert (holding.role, holding.started_on, holding.ended_on) == (candidate.round.role, TODAY, None)


def test_a_failed_appointment_leaves_no_decision(candidate, manager, holding):
    # Tamsin already holds the role, so starting it again fails, and so must the decision.
    with pytest.raises(ValidationError):
        services.candidate_decide(candidate=candidate, decision=Decision.APPOINTED, reason="", by=manager)
    assert Candidate.objects.get(pk=candidate.pk).decision == ""


def test_no_more_appointments_than_places(recruitment_round, hamlet_wing, manager):
    recruitment_round.places = 1
    recruitment_round.save()
    first, second = (
        services.candidate_add(round=recruitment_round, resident=ResidentFactory(wing=hamlet_wing), route="self")
        for _ in range(2)
    )
    services.candidate_decide(candidate=first, decision=Decision.APPOINTED, reason="", by=manager)
    with pytest.raises(ValidationError, match="places have been filled"):
        services.candidate_decide(candidate=second, decision=Decision.APPOINTED, reason="", by=manager)


def test_reserve_and_not_now_need_a_reason(candidate, manager):
    with pytest.raises(ValidationError):
        services.candidate_decide(candidate=candidate, decision=Decision.NOT_NOW, reason=" ", by=manager)


def test_residents_cannot_nominate_themselves_or_twice(candidate, hamlet_wing):
    with pytest.raises(ValidationError):
        services.nomination_add(candidate=candidate, by=candidate.resident, kind="nomination", comment="")
    friend = ResidentFactory(wing=hamlet_wing)
    services.nomination_add(candidate=candidate, by=friend, kind="endorsement", comment="Kind")
    with pytest.raises(ValidationError):
        services.nomination_add(candidate=candidate, by=friend, kind="nomination", comment="")
    assert Nomination.objects.count() == 1


def test_a_resident_of_another_wing_cannot_nominate(candidate, other_wing):
    with pytest.raises(ValidationError):
        services.nomination_add(candidate=candidate, by=ResidentFactory(wing=other_wing), kind="nomination", comment="")


def test_a_closed_round_takes_no_more_candidates(recruitment_round, hamlet_wing):
    services.round_close(round=recruitment_round, closed_on=TODAY)
    with pytest.raises(ValidationError):
        services.candidate_add(round=recruitment_round, resident=ResidentFactory(wing=hamlet_wing), route="self")


def test_the_round_page_shows_candidates_voices_scores_and_decisions(client, manager, candidate, hamlet_wing):
    friend = ResidentFactory(wing=hamlet_wing, pseudonym="Niamh")
    services.nomination_add(candidate=candidate, by=friend, kind="nomination", comment="She listens")
    InterviewFactory(candidate=candidate, interviewers=[manager], **{k: int(v) for k, v in SCORES.items()})
    client.force_login(manager)
    content = client.get(reverse("mentoring:round", args=[candidate.round_id])).content.decode()
    assert "Nomination by Niamh" in content
    assert "She listens" in content
    assert "Total 16 of 20" in content


def test_an_interview_is_scored_through_the_page(client, staff, candidate):
    client.force_login(staff)
    url = reverse("mentoring:interview", args=[candidate.round_id, candidate.pk])
    response = client.post(url, {"held_on_0": TODAY.day, "held_on_1": TODAY.month, "held_on_2": TODAY.year,
                                 "interviewers": [staff.pk], **SCORES, "ready": "5"})  # fmt: skip
    assert "Score ‘Ready" in " ".join(response.context["form"].errors["ready"])
    response = client.post(url, {"held_on_0": TODAY.day, "held_on_1": TODAY.month, "held_on_2": TODAY.year,
                                 "interviewers": [staff.pk], **SCORES})  # fmt: skip
    assert response.status_code == 302
    assert Interview.objects.get(candidate=candidate).total == 16
    created = LogEntry.objects.get_for_object(Interview.objects.get()).get(action=LogEntry.Action.CREATE)
    assert created.actor == staff


def test_the_round_page_does_not_grow_its_queries_with_candidates(
    client, manager, candidate, hamlet_wing, django_assert_max_num_queries
):
    client.force_login(manager)
    recruitment_round = candidate.round
    InterviewFactory(candidate=candidate, **{k: int(v) for k, v in SCORES.items()})
    services.nomination_add(candidate=candidate, by=ResidentFactory(wing=hamlet_wing), kind="nomination", comment="")
    url = reverse("mentoring:round", args=[recruitment_round.pk])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(8):
        candidate = services.candidate_add(round=recruitment_round, resident=ResidentFactory(wing=hamlet_wing),
                                           route="peer")  # fmt: skip
        services.nomination_add(candidate=candidate, by=ResidentFactory(wing=hamlet_wing), kind="nomination",
                                comment="")  # fmt: skip
        InterviewFactory(candidate=candidate, **{k: int(v) for k, v in SCORES.items()})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_limited_access_resident_is_not_named_as_a_voice(client, staff, manager, candidate, hamlet_wing):
    hidden = ResidentFactory(wing=hamlet_wing, pseudonym="Hidden Voice", limited_access=True)
    hidden.permitted_staff.set([manager])
    services.nomination_add(candidate=candidate, by=hidden, kind="nomination", comment="")
    client.force_login(staff)
    content = client.get(reverse("mentoring:round", args=[candidate.round_id])).content.decode()
    assert "Hidden Voice" not in content
    assert "Nomination by another resident" in content


def test_the_rounds_list_does_not_grow_its_queries_with_rounds(
    client, staff, recruitment_round, django_assert_max_num_queries
):
    client.force_login(staff)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("mentoring:rounds"))
    for _ in range(10):
        RecruitmentRoundFactory(role=recruitment_round.role, wing=recruitment_round.wing, places=1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("mentoring:rounds"))


def test_a_current_holder_cannot_be_a_candidate_for_the_same_role(recruitment_round, holding):
    with pytest.raises(ValidationError, match="already holds the role"):
        services.candidate_add(round=recruitment_round, resident=holding.resident, route="self")


def test_no_scores_after_the_round_closes(client, staff, candidate):
    services.round_close(round=candidate.round, closed_on=TODAY)
    client.force_login(staff)
    response = client.post(
        reverse("mentoring:interview", args=[candidate.round_id, candidate.pk]),
        {"held_on_0": TODAY.day, "held_on_1": TODAY.month, "held_on_2": TODAY.year, "interviewers": [staff.pk],
         "ready": "3", "wants_responsibility": "3", "emotional_skills": "3", "practical_skills": "3",
         "life_skills": "3"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Interview.objects.exists()


def test_closing_a_round_asks_first_and_names_who_is_waiting(client, manager, candidate):
    client.force_login(manager)
    content = client.get(reverse("mentoring:round_close", args=[candidate.round_id])).content.decode()
    assert "still has no decision: Tamsin" in content
    assert candidate.round.is_open
