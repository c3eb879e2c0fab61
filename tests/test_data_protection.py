"""Anonymisation and subject access reach every record about a resident, in every app.

Both tests walk Hamlet's own models for every way a record points at a resident (directly, or
through another record, as an interview points at a candidate), so a new model or a new text
field linked to residents fails here until anonymisation and subject access deal with it.
"""

import json
from collections.abc import Callable
from datetime import timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Candidate
from programme.models import AttendanceChange, ReferralMove, WaitingMove
from residents import services
from residents.audit import record_access, record_listing, record_refusal
from residents.models import Resident
from tests.evaluation.factories import MappingScoreFactory, RelationalMappingFactory
from tests.mentoring.factories import (
    CandidateFactory,
    InterviewFactory,
    MentorContactFactory,
    NextStepFactory,
    NominationFactory,
    PeerRoleFactory,
    RecruitmentRoundFactory,
    RoleHoldingFactory,
    SupervisionSessionFactory,
    TrainingRecordFactory,
)
from tests.programme.factories import (
    ActionFactory,
    AttendanceFactory,
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
from tests.residents.factories import NonAssociationFactory, ResidentFactory, StageChangeFactory, SupportContactFactory
from tests.residents.fixtures import subject_access

HAMLET_APPS = ("hamlet", "residents", "mentoring", "programme", "evaluation")
TODAY = timezone.localdate()


def _links(model, prefix="", depth=0):
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete):
            continue  # only the links this model holds, not links to it
        if field.related_model is Resident:
            yield prefix + field.name
        elif depth < 2 and field.related_model._meta.app_label in HAMLET_APPS:
            yield from _links(field.related_model, f"{prefix}{field.name}__", depth + 1)


def links_to_residents() -> list[tuple[str, str]]:
    """(model label, lookup) for every way a record in Hamlet's apps points at a resident."""
    return sorted(
        (model._meta.label, lookup)
        for app in HAMLET_APPS
        for model in apps.get_app_config(app).get_models()
        if model is not Resident
        for lookup in _links(model)
    )


def text_fields(model) -> list[models.Field]:
    """Every character or text field that is not a choice: where anyone can type anything."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


def plant(record, text: str):
    """Type ``text`` into every text field of ``record`` and save it, so the audit trail has it too."""
    for field in text_fields(type(record)):
        setattr(record, field.name, text[: field.max_length] if field.max_length else text)
    record.save()
    return record


def builders(person: Resident, staff) -> dict[tuple[str, str], Callable[[], models.Model]]:
    """How to make one record linked to ``person`` in each way ``links_to_residents`` finds.
    Other residents in them (the other side of a non-association, a mentor, a nominator)
    are made on the same wing, before or after ``person`` so the non-association is in order."""
    wing, day = person.wing, person.arrived_on
    before = Resident.objects.filter(pk__lt=person.pk).first() or pytest.fail("make a resident before the person")
    after = ResidentFactory(wing=wing, pseudonym="Rowan", arrived_on=day)
    role = PeerRoleFactory(establishment=wing.establishment, title="Listeners", single_issue=True)
    recruitment = RecruitmentRoundFactory(role=role, wing=wing, opened_on=day, places=1, opened_by=staff)

    def candidacy(resident):
        return Candidate.objects.filter(round=recruitment, resident=resident).first() or CandidateFactory(
            round=recruitment, resident=resident, added_on=day
        )

    def supported_cohort():
        cohort = CohortFactory(wing=wing)
        cohort.peer_mentors.add(person)
        return cohort

    def session_with(people: str):
        session = SessionFactory(cohort=CohortFactory(wing=wing))
        getattr(session, people).add(person)
        return session

    def correction(mark, **fields):
        now = timezone.now()
        return AttendanceChange.objects.create(
            attendance=mark, mark="other", recorded_at=now, changed_at=now, changed_by=staff, **fields
        )

    def contact(mentor, mentee):
        return MentorContactFactory(
            mentor=mentor, mentee=mentee, occurred_at=timezone.now() - timedelta(days=3000), recorded_by=staff
        )

    return {
        ("residents.StageChange", "resident"): lambda: StageChangeFactory(
            resident=person, stage="ready", changed_on=day, recorded_by=staff
        ),
        ("residents.SupportContact", "resident"): lambda: SupportContactFactory(
            resident=person, contact_on=day, staff=staff, contact_type="anxiety"
        ),
        ("residents.NonAssociation", "first"): lambda: NonAssociationFactory(
            first=person, second=after, recorded_by=staff
        ),
        ("residents.NonAssociation", "second"): lambda: NonAssociationFactory(
            first=before, second=person, recorded_by=staff
        ),
        ("mentoring.RoleHolding", "resident"): lambda: RoleHoldingFactory(
            resident=person, role=role, started_on=day, ended_on=day, end_reason="stepped_down"
        ),
        ("mentoring.TrainingRecord", "resident"): lambda: TrainingRecordFactory(
            resident=person, qualification__name="Listener training"
        ),
        ("mentoring.SupervisionSession", "mentor"): lambda: SupervisionSessionFactory(
            mentor=person, held_on=day, supervisor=staff
        ),
        ("mentoring.MentorContact", "mentor"): lambda: contact(person, after),
        ("mentoring.MentorContact", "mentee"): lambda: contact(after, person),
        ("mentoring.Candidate", "resident"): lambda: candidacy(person),
        ("mentoring.Nomination", "by"): lambda: NominationFactory(
            candidate=candidacy(after), by=person, recorded_on=day
        ),
        ("mentoring.Nomination", "candidate__resident"): lambda: NominationFactory(
            candidate=candidacy(person), by=after, kind="endorsement", recorded_on=day
        ),
        ("mentoring.Interview", "candidate__resident"): lambda: InterviewFactory(
            candidate=candidacy(person), held_on=day
        ),
        ("mentoring.NextStep", "resident"): lambda: NextStepFactory(
            resident=person, recorded_on=day, recorded_by=staff
        ),
        # Referred onto the wing before they came: the referral that moved them onto it.
        ("programme.Referral", "resident"): lambda: ReferralFactory(
            wing=wing, resident=person, status="moved", referred_on=day, status_on=day, recorded_by=staff
        ),
        ("programme.ReferralMove", "referral__resident"): lambda: ReferralMove.objects.create(
            referral=ReferralFactory(wing=wing, resident=person, status="moved", referred_on=day, status_on=day),
            from_status="accepted",
            to_status="moved",
            on=day,
            by=staff,
        ),
        ("programme.WaitingListEntry", "resident"): lambda: WaitingListEntryFactory(
            resident=person, referred_on=day, status_on=day
        ),
        ("programme.WaitingMove", "entry__resident"): lambda: WaitingMove.objects.create(
            entry=WaitingListEntryFactory(resident=person, status="declined", referred_on=day, status_on=day),
            from_status="pending",
            to_status="declined",
            on=day,
            by=staff,
        ),
        ("programme.Enrolment", "resident"): lambda: EnrolmentFactory(
            resident=person, cohort__wing=wing, cohort__starts_on=day
        ),
        ("programme.Enrolment", "waiting_entry__resident"): lambda: EnrolmentFactory(
            resident=person,
            cohort__wing=wing,
            cohort__starts_on=day,
            status="withdrawn",
            ended_on=day,
            waiting_entry=WaitingListEntryFactory(resident=person, status="allocated", referred_on=day, status_on=day),
        ),
        ("programme.Attendance", "resident"): lambda: AttendanceFactory(mark="other", resident=person),
        ("programme.Attendance", "supported_by"): lambda: AttendanceFactory(
            mark="other", resident=after, supported_by=person
        ),
        ("programme.AttendanceChange", "attendance__resident"): lambda: correction(
            AttendanceFactory(mark="other", resident=person)
        ),
        ("programme.AttendanceChange", "attendance__supported_by"): lambda: correction(
            AttendanceFactory(mark="other", resident=after, supported_by=person)
        ),
        ("programme.AttendanceChange", "supported_by"): lambda: correction(
            AttendanceFactory(mark="other", resident=after), supported_by=person
        ),
        ("programme.MeetingAttendee", "resident"): lambda: MeetingAttendeeFactory(
            meeting=MeetingFactory(wing=wing, held_on=day), resident=person
        ),
        ("programme.Action", "owner_resident"): lambda: ActionFactory(
            meeting=MeetingFactory(wing=wing, held_on=day), owner_resident=person
        ),
        ("programme.ProjectHours", "resident"): lambda: ProjectHoursFactory(
            project=ProjectFactory(wing=wing), resident=person, on=day
        ),
        ("programme.Suggestion", "resident"): lambda: SuggestionFactory(wing=wing, received_on=day, resident=person),
        # Shared records the person is named on: a cohort they support, a session they
        # co-deliver or that is a catch-up for them, and others' rows in these.
        ("programme.Cohort", "peer_mentors"): lambda: supported_cohort(),
        ("programme.Enrolment", "cohort__peer_mentors"): lambda: EnrolmentFactory(
            resident=after, cohort=supported_cohort(), status="completed", ended_on=day
        ),
        ("programme.Session", "cohort__peer_mentors"): lambda: SessionFactory(cohort=supported_cohort()),
        ("programme.Session", "co_delivered_by"): lambda: session_with("co_delivered_by"),
        ("programme.Session", "catch_up_for"): lambda: session_with("catch_up_for"),
        ("programme.Attendance", "session__cohort__peer_mentors"): lambda: AttendanceFactory(
            mark="other", resident=after, session=SessionFactory(cohort=supported_cohort())
        ),
        ("programme.Attendance", "session__co_delivered_by"): lambda: AttendanceFactory(
            mark="other", resident=after, session=session_with("co_delivered_by")
        ),
        ("programme.Attendance", "session__catch_up_for"): lambda: AttendanceFactory(
            mark="other", resident=after, session=session_with("catch_up_for")
        ),
        ("programme.AttendanceChange", "attendance__session__co_delivered_by"): lambda: correction(
            AttendanceFactory(mark="other", resident=after, session=session_with("co_delivered_by"))
        ),
        ("programme.AttendanceChange", "attendance__session__catch_up_for"): lambda: correction(
            AttendanceFactory(mark="other", resident=after, session=session_with("catch_up_for"))
        ),
        ("evaluation.RelationalMapping", "cohort__peer_mentors"): lambda: RelationalMappingFactory(
            cohort=supported_cohort(), period__wing=wing
        ),
        ("evaluation.MappingScore", "mapping__cohort__peer_mentors"): lambda: MappingScoreFactory(
            mapping=RelationalMappingFactory(cohort=supported_cohort(), period__wing=wing)
        ),
    }


def linked_records(person: Resident, staff, text) -> dict[tuple[str, str], models.Model]:
    """One record for every way a record can point at ``person``, ``text(link)`` typed into every text field."""
    build = builders(person, staff)
    made = {}
    for link in links_to_residents():
        assert link in build, f"{link}: add it to builders(), to anonymisation and to subject access"
        record = build[link]()
        model, lookup = link
        assert type(record)._meta.label == model
        assert type(record).objects.filter(pk=record.pk, **{lookup: person}).exists(), link
        made[link] = plant(record, text(link))
    return made


def test_the_walk_finds_the_links_we_know_of():
    found = links_to_residents()
    for link in [("mentoring.MentorContact", "mentee"), ("mentoring.Interview", "candidate__resident")]:
        assert link in found


# Links to records that are not the person's own but shared (residents.contract): a mark
# is the attendee's even when the person supported them as a peer mentor, and a cohort or a
# session is everyone's in it. Subject access says which cohort or session and nothing of
# their text or audit trail; anonymisation scrubs the person's name from their text.
THIRD_PARTY = {
    ("programme.Attendance", "supported_by"),
    ("programme.AttendanceChange", "supported_by"),
    ("programme.AttendanceChange", "attendance__supported_by"),
    ("programme.Cohort", "peer_mentors"),
    ("programme.Enrolment", "cohort__peer_mentors"),
    ("programme.Session", "cohort__peer_mentors"),
    ("programme.Session", "co_delivered_by"),
    ("programme.Session", "catch_up_for"),
    ("programme.Attendance", "session__cohort__peer_mentors"),
    ("programme.Attendance", "session__co_delivered_by"),
    ("programme.Attendance", "session__catch_up_for"),
    ("programme.AttendanceChange", "attendance__session__co_delivered_by"),
    ("programme.AttendanceChange", "attendance__session__catch_up_for"),
    # A cohort's relational mapping (and its scores) is the cohort's, not a peer mentor's.
    ("evaluation.RelationalMapping", "cohort__peer_mentors"),
    ("evaluation.MappingScore", "mapping__cohort__peer_mentors"),
}

CANARY = "Xq7Wren was here"  # its first 7 characters fit the shortest text field (prison number)


def test_anonymising_leaves_no_trace_of_the_person_in_any_table(resident, manager, staff):
    person = ResidentFactory(  # after ``resident``, who is the first side of a non-association with her
        wing=resident.wing, pseudonym="Verity", prison_number="A0001AA", limited_access=True,
        arrived_on=TODAY.replace(year=TODAY.year - 9), departed_on=TODAY.replace(year=TODAY.year - 7),
        departure_reason="released",
    )  # fmt: skip
    person.permitted_staff.add(manager)
    plant(person, CANARY)  # her pseudonym, prison number, room and CATS ID all become the canary
    linked_records(person, staff, lambda link: CANARY)
    record_access(user=manager, resident=person, how="resident page")
    record_refusal(user=staff, pk=person.pk, reason="not found", path=f"/residents/{person.pk}/")
    record_listing(user=manager, residents=[person], how="export csv")

    services.resident_anonymise(resident=Resident.objects.get(pk=person.pk), by=manager, today=TODAY)

    out = StringIO()
    call_command("dumpdata", stdout=out)
    everything = out.getvalue()
    for trace in (CANARY[:7], "Verity", "A0001AA"):
        assert trace not in everything
    # Who did what to which record, and when, is still there.
    assert LogEntry.objects.filter(object_pk=str(person.pk), action=LogEntry.Action.ACCESS, actor=manager).exists()
    assert LogEntry.objects.filter(content_type__model="interview", action=LogEntry.Action.UPDATE).exists()


def test_anonymising_a_limited_access_record_leaves_it_where_staff_can_count_and_open_it(
    client, long_gone_resident, manager, staff
):
    person = long_gone_resident
    person.limited_access = True
    person.save()
    person.permitted_staff.set([manager])
    client.force_login(manager)
    warning = client.get(reverse("residents:anonymise", args=[person.pk])).content.decode()
    assert "will no longer be limited to named staff" in warning
    services.resident_anonymise(resident=person, by=manager, today=TODAY)
    person.refresh_from_db()
    assert not person.limited_access
    assert not person.permitted_staff.exists()
    assert Resident.objects.visible_to(staff).filter(pk=person.pk).exists()
    client.force_login(staff)
    assert client.get(reverse("residents:detail", args=[person.pk])).status_code == 200


def test_subject_access_gives_every_record_linked_to_the_person(client, resident, manager, staff):
    person = ResidentFactory(wing=resident.wing, pseudonym="Juniper")
    made = linked_records(person, staff, lambda link: f"Marker for {link[0]} by {link[1]}")
    client.force_login(manager)
    data = json.loads(subject_access(client, person).content)
    trail = {entry["record"] for entry in data.pop("audit_trail")}
    held = json.dumps(data)  # what is held, apart from the audit trail (which has every change)
    for (model, lookup), record in made.items():
        if (model, lookup) in THIRD_PARTY:
            assert f"Marker for {model} by {lookup}" not in held, f"{model} by {lookup} gives another's words"
            assert f"{type(record)._meta.model_name} {record.pk}" not in trail, f"{model} by {lookup}: another's trail"
            continue
        if text_fields(type(record)):
            assert f"Marker for {model} by {lookup}" in held, f"{model} by {lookup} is not in subject access"
        assert f"{type(record)._meta.model_name} {record.pk}" in trail, f"{model} by {lookup} has no audit trail"
    # The other residents in these records are third parties: never named.
    assert "Rowan" not in held
    assert resident.pseudonym not in held


def test_subject_access_names_no_other_resident_even_by_id(client, resident, manager, staff, holding):
    """A non-association's other party, a mentor who logged a contact with the person and
    everyone on a list page beside them appear in the audit trail only as "another resident"."""
    other = ResidentFactory(pk=987654, wing=resident.wing, pseudonym="Rowan", prison_number="A9876ZZ")
    NonAssociationFactory(first=resident, second=other, reason="Threats")
    MentorContactFactory(mentor=other, mentee=resident)
    record_listing(user=staff, residents=[resident, other], how="list page")
    client.force_login(manager)
    text = subject_access(client, resident).content.decode()
    text += subject_access(client, resident, fmt="html").content.decode()
    assert "987654" not in text
    assert "Rowan" not in text
    assert "A9876ZZ" not in text
    assert "another resident" in text
