"""Behaviour found by trying the mentoring pages as a new user would."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import Interview

TODAY = timezone.localdate()
SETTINGS = {"supervision_interval_days": "7", "quiet_days": "14", "overload_contacts_per_week": "25",
            "overload_out_of_hours_percent": "30"}  # fmt: skip


@pytest.mark.parametrize(("field", "value"), [("quiet_days", "1000000"), ("quiet_days", "0"),
                                              ("overload_contacts_per_week", "0")])  # fmt: skip
def test_settings_outside_sensible_limits_are_refused(client, manager, hamlet_wing, field, value):
    client.force_login(manager)
    response = client.post(reverse("mentoring:settings"), {**SETTINGS, field: value})
    assert field in response.context["form"].errors
    assert client.get(reverse("mentoring:workload")).status_code == 200


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


def test_a_role_cannot_start_in_the_future_or_before_arrival(resident, peer_mentor_role):
    with pytest.raises(ValidationError, match="future"):
        services.role_holding_start(resident=resident, role=peer_mentor_role, started_on=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="arrived"):
        services.role_holding_start(
            resident=resident, role=peer_mentor_role, started_on=resident.arrived_on - timedelta(days=1)
        )


def test_a_year_like_0001_is_not_a_real_date(client, staff, holding):
    client.force_login(staff)
    response = client.post(
        reverse("mentoring:supervision_add", args=[holding.resident_id]),
        {"held_on_0": "1", "held_on_1": "1", "held_on_2": "0001", "kind": "group", "enough_down_time": "yes",
         "out_of_hours_demands": "no", "next_due_0": "8", "next_due_1": "1", "next_due_2": "0001"},
    )  # fmt: skip
    assert "must be a real date" in " ".join(response.context["form"].errors["held_on"])


def test_staff_find_the_mentors_from_the_mentoring_page(client, staff, holding, hamlet_wing):
    client.force_login(staff)
    content = client.get(reverse("mentoring:index")).content.decode()
    assert f'href="/mentoring/mentors/{holding.resident_id}/"' in content


def test_nothing_is_logged_for_a_mentor_after_they_left(holding, staff):
    from mentoring.models import MentorContact
    from residents import services as resident_services

    resident_services.resident_depart(
        resident=holding.resident, departed_on=TODAY - timedelta(days=2), reason="released", by=staff
    )
    contact = MentorContact(
        mentor=holding.resident, occurred_at=timezone.now(), contact_type="welcome", setting="houseblock", minutes=5
    )
    with pytest.raises(ValidationError, match="left the wing"):
        services.contact_log(contact=contact)
