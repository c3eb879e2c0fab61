"""Issue 11: a mentor's contacts, supervision and next steps belong to the time they hold a
peer role; supervision dates in a sane range; two sessions on one day confirmed."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mentoring.models import NextStep, RoleHolding, SupervisionSession

TODAY = timezone.localdate()


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _contact(client, mentor, day):
    data = {"contact_type": "welcome", **_date("occurred_on", day), "time_of_day": "10:00", "setting": "houseblock",
            "minutes": "15", "out_of_hours": "no"}  # fmt: skip
    return client.post(reverse("mentoring:mentor", args=[mentor.pk]), data)


def _supervision(client, mentor, held_on, next_due=None, **extra):
    next_due = next_due or held_on + timedelta(days=14)
    data = {**_date("held_on", held_on), "kind": "one_to_one", "enough_down_time": "yes",
            "out_of_hours_demands": "no", **_date("next_due", next_due), **extra}  # fmt: skip
    return client.post(reverse("mentoring:supervision_add", args=[mentor.pk]), data)


def _errors(response, field):
    return " ".join(response.context["form"].errors.get(field, []))


def test_a_contact_is_refused_for_a_resident_who_holds_no_peer_role(client, staff, resident):
    client.force_login(staff)
    # Yesterday: a contact at 10:00 today would be refused as in the future before 10:00.
    response = _contact(client, resident, TODAY - timedelta(days=1))
    assert "did not hold a peer role on this date" in _errors(response, "occurred_on")
    assert not resident.mentor_contacts.exists()


def test_a_contact_is_refused_before_the_role_began_and_after_it_ended(client, staff, resident, peer_mentor_role):
    RoleHolding.objects.create(resident=resident, role=peer_mentor_role, started_on=TODAY - timedelta(days=20),
                               ended_on=TODAY - timedelta(days=10), end_reason="stepped_down")  # fmt: skip
    client.force_login(staff)
    assert "did not hold a peer role" in _errors(_contact(client, resident, TODAY - timedelta(days=21)), "occurred_on")
    assert "did not hold a peer role" in _errors(_contact(client, resident, TODAY - timedelta(days=9)), "occurred_on")
    assert _contact(client, resident, TODAY - timedelta(days=15)).status_code == 302


def test_the_mentor_forms_are_offered_only_to_someone_who_holds_a_role(client, staff, resident):
    client.force_login(staff)
    content = client.get(reverse("mentoring:mentor", args=[resident.pk])).content.decode()
    assert "Log a contact" not in content
    assert reverse("mentoring:supervision_add", args=[resident.pk]) not in content
    assert reverse("mentoring:next_step", args=[resident.pk]) not in content
    # Starting a first role and recording training stay open.
    assert reverse("mentoring:holding_start", args=[resident.pk]) in content
    assert reverse("mentoring:training_add", args=[resident.pk]) in content
    assert client.get(reverse("mentoring:supervision_add", args=[resident.pk])).status_code == 302
    assert client.get(reverse("mentoring:next_step", args=[resident.pk])).status_code == 302
    response = client.post(reverse("mentoring:next_step", args=[resident.pk]), {"description": "Apply to Listeners"})
    assert not NextStep.objects.exists()
    assert response.status_code == 302


def test_supervision_is_refused_on_a_day_without_a_role(client, staff, holding):
    RoleHolding.objects.filter(pk=holding.pk).update(started_on=TODAY - timedelta(days=5))
    client.force_login(staff)
    response = _supervision(client, holding.resident, TODAY - timedelta(days=6))
    assert "did not hold a peer role" in _errors(response, "held_on")


def test_the_next_supervision_is_due_within_13_weeks(client, staff, holding):
    client.force_login(staff)
    response = _supervision(client, holding.resident, TODAY, TODAY + timedelta(weeks=13, days=1))
    assert "within 13 weeks" in _errors(response, "next_due")
    assert _supervision(client, holding.resident, TODAY, TODAY + timedelta(weeks=13)).status_code == 302


def test_a_second_session_on_one_day_needs_confirming(client, staff, supervision_session):
    mentor, day = supervision_session.mentor, supervision_session.held_on
    client.force_login(staff)
    response = _supervision(client, mentor, day)
    assert "already recorded for them" in _errors(response, "second_on_the_day")
    assert 'name="second_on_the_day"' in response.content.decode()
    assert SupervisionSession.objects.count() == 1
    assert _supervision(client, mentor, day, second_on_the_day="on").status_code == 302
    assert SupervisionSession.objects.count() == 2


def test_the_supervision_form_does_not_ask_about_a_second_session_without_one(client, staff, holding):
    client.force_login(staff)
    content = client.get(reverse("mentoring:supervision_add", args=[holding.resident_id])).content.decode()
    assert "second_on_the_day" not in content


def test_the_interviewers_are_only_the_wings_own_staff(client, manager, staff, evaluator, administrator, candidate):
    client.force_login(manager)
    url = reverse("mentoring:interview", args=[candidate.round_id, candidate.pk])
    choices = set(client.get(url).context["form"].fields["interviewers"].queryset)
    assert choices == {staff, manager}


def test_cfo_staff_read_the_workload_page_but_only_the_custody_manager_changes_its_settings(client, staff, holding):
    client.force_login(staff)
    content = client.get(reverse("mentoring:workload")).content.decode()
    assert holding.resident.pseudonym in content
    assert reverse("mentoring:settings") not in content
    assert client.get(reverse("mentoring:settings")).status_code == 403


def test_a_new_mentor_with_no_supervision_or_training_is_flagged(client, manager, holding):
    client.force_login(manager)
    content = client.get(reverse("mentoring:workload")).content.decode()
    assert "No supervision yet" in content
    assert "No training recorded" in content


def test_the_flags_go_once_supervision_and_training_are_recorded(client, manager, supervision_session):
    from tests.mentoring.factories import TrainingRecordFactory

    TrainingRecordFactory(resident=supervision_session.mentor, status="in_progress")
    client.force_login(manager)
    content = client.get(reverse("mentoring:workload")).content.decode()
    assert "No supervision yet" not in content
    assert "No training recorded" not in content


def test_cfo_staff_see_who_decides_on_a_candidate(client, staff, candidate):
    client.force_login(staff)
    content = client.get(reverse("mentoring:round", args=[candidate.round_id])).content.decode()
    assert "Waiting for a custody manager to decide" in content


def test_the_decision_form_is_not_offered_for_a_decided_candidate(client, manager, candidate):
    from mentoring.services import candidate_decide

    candidate_decide(candidate=candidate, decision="reserve", reason="Not this time", by=manager)
    client.force_login(manager)
    url = reverse("mentoring:decide", args=[candidate.round_id, candidate.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("mentoring:round", args=[candidate.round_id])
    assert url not in client.get(response.url).content.decode()


def test_an_out_of_range_setting_is_named_in_the_error(client, manager, hamlet_wing):
    client.force_login(manager)
    data = {"supervision_interval_days": "0", "quiet_days": "91", "overload_contacts_per_week": "25",
            "overload_out_of_hours_percent": "30"}  # fmt: skip
    response = client.post(reverse("mentoring:settings"), data)
    errors = response.context["form"].errors
    assert errors["supervision_interval_days"] == ["Days between supervision sessions must be 1 or more"]
    assert errors["quiet_days"] == ["Days without a contact before a mentor is flagged as quiet must be 90 or less"]


def test_a_retired_role_or_qualification_is_not_offered_but_stays_on_history(client, staff, holding):
    from mentoring.forms import HoldingStartForm, NextStepForm, TrainingForm
    from tests.mentoring.factories import QualificationFactory

    role = holding.role
    role.retired = True
    role.save()
    old_course = QualificationFactory(name="Old mentoring course", retired=True)
    mentor = holding.resident
    assert role not in HoldingStartForm(resident=mentor).fields["role"].queryset
    assert role not in NextStepForm(resident=mentor).fields["target_role"].queryset
    assert old_course not in TrainingForm().fields["qualification"].queryset
    client.force_login(staff)
    assert role.title in client.get(reverse("mentoring:mentor", args=[mentor.pk])).content.decode()
