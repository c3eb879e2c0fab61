from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hamlet.versions import StaleEdit
from residents import services
from residents.models import DepartureReason, NonAssociation, Resident, Stage, StageChange, SupportContact, SupportType
from tests.contract_app.contribution import KeepsakesContribution
from tests.residents.factories import ResidentFactory, SupportContactFactory

TODAY = timezone.localdate()


def test_admitting_stores_the_prison_number_upper_case_and_starts_the_journey(hamlet_wing, staff):
    resident = ResidentFactory.build(wing=hamlet_wing, establishment=hamlet_wing.establishment, prison_number="a1234bc")
    services.resident_admit(resident=resident, by=staff)
    resident.refresh_from_db()
    assert resident.prison_number == "A1234BC"
    change = StageChange.objects.get(resident=resident)
    assert (change.stage, change.changed_on, change.recorded_by) == (Stage.NOT_ENGAGED, resident.arrived_on, staff)


def test_an_admission_is_in_the_audit_trail_as_django_auditlog_records_a_save(hamlet_wing, staff):
    # residents_admit writes with bulk_create, which django-auditlog does not see, so it writes
    # the entries itself: they must be the ones django-auditlog writes for save().
    saved = ResidentFactory.build(wing=hamlet_wing, establishment=hamlet_wing.establishment, prison_number="A1111AA")
    saved.save()
    admitted = ResidentFactory.build(wing=hamlet_wing, establishment=hamlet_wing.establishment, prison_number="A2222AA")
    admitted.pseudonym = saved.pseudonym
    services.residents_admit(residents=[admitted], by=staff)
    by_auditlog = LogEntry.objects.get_for_object(saved).get()
    by_hamlet = LogEntry.objects.get_for_object(admitted).get()
    differ = {"id", "prison_number"}
    assert {name: value for name, value in by_hamlet.changes.items() if name not in differ} == {
        name: value for name, value in by_auditlog.changes.items() if name not in differ
    }
    assert by_hamlet.changes["prison_number"] == ["None", "A2222AA"]
    assert (by_hamlet.content_type, by_hamlet.object_pk, by_hamlet.object_id) == (
        by_auditlog.content_type, str(admitted.pk), admitted.pk,
    )  # fmt: skip
    assert (by_hamlet.action, by_hamlet.object_repr, by_hamlet.actor) == (
        LogEntry.Action.CREATE,
        saved.pseudonym,
        staff,
    )
    start = StageChange.objects.get(resident=admitted)
    assert LogEntry.objects.get_for_object(start).get(action=LogEntry.Action.CREATE).actor == staff


def test_a_stage_change_is_dated_attributed_and_moves_the_resident_on(resident, staff):
    services.resident_change_stage(
        resident=resident, stage=Stage.PRE_ENGAGEMENT, changed_on=TODAY, note="Referred", by=staff
    )
    resident.refresh_from_db()
    assert resident.stage == Stage.PRE_ENGAGEMENT
    assert resident.stage_changes.get(stage=Stage.PRE_ENGAGEMENT).recorded_by == staff


def test_the_phases_cannot_be_set_by_hand(resident, staff):
    with pytest.raises(ValidationError):
        services.resident_change_stage(resident=resident, stage=Stage.PHASE_1, changed_on=TODAY, note="", by=staff)
    assert Resident.objects.get(pk=resident.pk).stage == Stage.NOT_ENGAGED


def test_a_stage_change_cannot_be_dated_before_arrival(resident, staff):
    with pytest.raises(ValidationError):
        services.resident_change_stage(
            resident=resident, stage=Stage.READY, changed_on=resident.arrived_on - timedelta(days=1), note="", by=staff
        )


def test_departure_records_the_date_and_reason_and_tells_every_app(resident, staff, monkeypatch):
    seen = []
    monkeypatch.setattr(KeepsakesContribution, "on_departure", lambda self, **kwargs: seen.append(kwargs))
    services.resident_depart(resident=resident, departed_on=TODAY, reason=DepartureReason.RELEASED, by=staff)
    resident.refresh_from_db()
    assert (resident.departed_on, resident.departure_reason) == (TODAY, DepartureReason.RELEASED)
    assert seen == [{"resident": resident, "departed_on": TODAY, "reason": DepartureReason.RELEASED, "by": staff}]


def test_an_app_failing_at_departure_leaves_the_resident_on_the_wing(resident, staff, monkeypatch):
    def fails(**kwargs):
        raise RuntimeError("enrolment could not be closed")

    monkeypatch.setattr(KeepsakesContribution, "on_departure", lambda self, **kwargs: fails(**kwargs))
    with pytest.raises(RuntimeError):
        services.resident_depart(resident=resident, departed_on=TODAY, reason=DepartureReason.RELEASED, by=staff)
    assert Resident.objects.get(pk=resident.pk).is_current


def test_someone_who_has_left_cannot_leave_again(resident, staff):
    services.resident_depart(resident=resident, departed_on=TODAY, reason=DepartureReason.RELEASED, by=staff)
    with pytest.raises(ValidationError):
        services.resident_depart(resident=resident, departed_on=TODAY, reason=DepartureReason.RECALLED, by=staff)


def test_a_departure_must_have_a_reason_in_the_database(resident):
    with pytest.raises(IntegrityError), transaction.atomic():
        Resident.objects.filter(pk=resident.pk).update(departed_on=TODAY)


def test_non_associations_are_stored_once_whichever_way_round(resident, hamlet_wing, staff):
    other = ResidentFactory(wing=hamlet_wing)
    services.non_association_add(resident=other, other=resident, reason="", by=staff)
    with pytest.raises(ValidationError):
        services.non_association_add(resident=resident, other=other, reason="", by=staff)
    assert NonAssociation.objects.count() == 1


def test_a_stale_edit_is_refused(resident, staff):
    first = Resident.objects.get(pk=resident.pk)
    second = Resident.objects.get(pk=resident.pk)
    first.room = "12"
    services.resident_update(resident=first, version=first.version, by=staff)
    second.room = "14"
    with pytest.raises(StaleEdit):
        services.resident_update(resident=second, version=second.version, by=staff)
    assert Resident.objects.get(pk=resident.pk).room == "12"


def test_anonymising_keeps_the_counts_and_drops_the_person(long_gone_resident, manager, client):
    resident = long_gone_resident
    SupportContactFactory(
        resident=resident,
        staff=manager,
        contact_type=SupportType.ROOM_VISIT,
        contact_on=resident.arrived_on,
        notes="Talked about her family in Leeds",
        next_step="Call her sister",
    )
    services.resident_anonymise(resident=resident, by=manager, today=TODAY)
    resident.refresh_from_db()
    assert resident.prison_number is None
    assert resident.pseudonym == f"Anonymised resident {resident.pk}"
    assert resident.sentence_type
    assert resident.departed_on
    assert resident.support_contacts.get().notes == ""
    trail = " ".join(str(entry.changes) + entry.object_repr for entry in LogEntry.objects.all())
    for personal in ("Verity", "A0001AA", "Leeds", "sister"):
        assert personal not in trail


def test_a_resident_still_on_the_wing_cannot_be_anonymised(resident, manager):
    with pytest.raises(ValidationError):
        services.resident_anonymise(resident=resident, by=manager, today=TODAY)


def test_a_stage_change_in_the_future_is_refused(resident, staff):
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.resident_change_stage(resident=resident, stage=Stage.READY, changed_on=tomorrow, note="", by=staff)


def test_a_departure_in_the_future_is_refused(resident, staff):
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.resident_depart(resident=resident, departed_on=tomorrow, reason="released", by=staff)


def test_support_before_arrival_is_refused(resident, staff):
    contact = SupportContact(
        resident=resident, staff=staff, contact_type="room_visit", contact_on=resident.arrived_on - timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        services.support_log(contact=contact)


def test_a_late_record_of_an_earlier_stage_does_not_rewind_the_journey(resident, staff):
    services.resident_change_stage(resident=resident, stage=Stage.READY, changed_on=TODAY, note="", by=staff)
    services.resident_change_stage(
        resident=resident, stage=Stage.PRE_ENGAGEMENT, changed_on=TODAY - timedelta(days=10), note="", by=staff
    )
    assert Resident.objects.get(pk=resident.pk).stage == Stage.READY
