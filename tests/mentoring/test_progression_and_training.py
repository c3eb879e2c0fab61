import json
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentoring.models import Interview, NextStep
from residents import services as resident_services
from tests.mentoring.factories import QualificationFactory, SupervisionSessionFactory, TrainingRecordFactory
from tests.residents.factories import ResidentFactory
from tests.residents.fixtures import subject_access

TODAY = timezone.localdate()


@pytest.fixture
def ncfe(db):
    return QualificationFactory(name="NCFE Level 2 Award in Mentoring", awarding_body="NCFE", level="Level 2")


def test_a_mentor_page_totals_learning_hours_and_shows_the_next_step(client, staff, holding, ncfe):
    TrainingRecordFactory(resident=holding.resident, qualification=ncfe, learning_hours=Decimal("60"),
                          attained_at="HMP Styal")  # fmt: skip
    TrainingRecordFactory(resident=holding.resident, qualification=ncfe, status="in_progress",
                          learning_hours=Decimal("7.5"), refresher=True)  # fmt: skip
    client.force_login(staff)
    client.post(reverse("mentoring:next_step", args=[holding.resident_id]),
                {"description": "Shadow the House Rep at the forum"})  # fmt: skip
    content = client.get(reverse("mentoring:mentor", args=[holding.resident_id])).content.decode()
    assert "Learning hours achieved: <strong>60</strong>" in content  # in progress is not counted yet
    assert "Shadow the House Rep at the forum" in content
    assert NextStep.objects.get().recorded_by == staff


def test_the_training_export_is_scoped_audited_and_neutralised(client, staff, holding, ncfe, other_wing):
    TrainingRecordFactory(resident=holding.resident, qualification=ncfe, attained_at="=cmd|' /C calc'!A0")
    stranger = ResidentFactory(wing=other_wing, pseudonym="Alfie")
    TrainingRecordFactory(resident=stranger, qualification=ncfe)
    client.force_login(staff)
    text = client.get(reverse("mentoring:training_export", args=["csv"])).content.decode()
    assert "NCFE Level 2 Award in Mentoring" in text
    assert "'=cmd" in text
    assert "Alfie" not in text
    export = LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=staff)
    assert export.additional_data["residents"] == [holding.resident_id]


scores = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "0", "5", "", "-1", "4.5", "99999999999999999999"]), st.text(max_size=5)
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.fixed_dictionaries({
    "ready": scores, "wants_responsibility": scores, "emotional_skills": scores, "practical_skills": scores,
    "life_skills": scores, "held_on_0": st.sampled_from(["1", "31", "x", ""]),
    "held_on_1": st.sampled_from(["2", "13", ""]), "held_on_2": st.sampled_from(["2026", "26", "", "99999"]),
    "ready_notes": st.text(max_size=50),
}))  # fmt: skip
def test_the_interview_form_never_breaks_and_saves_only_valid_scores(client, staff, candidate, data):
    client.force_login(staff)
    response = client.post(
        reverse("mentoring:interview", args=[candidate.round_id, candidate.pk]), {**data, "interviewers": [staff.pk]}
    )
    assert response.status_code in (200, 302)
    for interview in Interview.objects.all():
        interview.full_clean()
        assert 5 <= interview.total <= 20
    Interview.objects.all().delete()


def test_subject_access_includes_what_mentoring_holds(client, manager, holding, ncfe):
    TrainingRecordFactory(resident=holding.resident, qualification=ncfe, attained_at="HMP Styal")
    client.force_login(manager)
    data = json.loads(subject_access(client, holding.resident).content)
    assert data["peer roles"][0]["role"] == "Peer mentors"
    assert data["training"][0]["where"] == "HMP Styal"
    assert any(entry["record"].startswith("trainingrecord") for entry in data["audit_trail"])


def test_anonymising_a_former_mentor_clears_mentoring_free_text_and_its_audit(manager, long_gone_resident,
                                                                              peer_mentor_role):  # fmt: skip
    session = SupervisionSessionFactory(
        mentor=long_gone_resident, held_on=long_gone_resident.arrived_on, out_of_hours_demands=True,
        hand_back="Her sister in Leeds keeps ringing",
    )  # fmt: skip
    resident_services.resident_anonymise(resident=long_gone_resident, by=manager, today=TODAY)
    session.refresh_from_db()
    assert session.hand_back == ""
    assert "Leeds" not in " ".join(str(entry.changes) for entry in LogEntry.objects.all())
