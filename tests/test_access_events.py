"""Every read is accounted for (ASVS 16.3, MoJ "Accounting").

Each page or download that shows residents' personal data writes one access event: who,
when, which establishment, and which residents. A page about one resident is an entry on
that resident; a list or an export is one entry per establishment naming everyone in it.
A refused request for a resident's page is an entry too, naming the establishment the
record is at, which the person refused is never told. Every URL in the permission matrix
is sorted into one of the three groups below, so a new page must say which it is.
"""

import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from hamlet.models import Establishment
from residents.models import Resident
from tests.hamlet.factories import UserFactory
from tests.mentoring.factories import MentorContactFactory, TrainingRecordFactory
from tests.programme.factories import ProjectHoursFactory, SuggestionFactory, WaitingListEntryFactory
from tests.residents.factories import NonAssociationFactory, ResidentFactory
from tests.test_permissions import MATRIX

# Pages about one resident: one access entry on that resident per view.
ONE_RESIDENT = {
    "residents:detail",
    "residents:edit",
    "residents:stage",
    "residents:support",
    "residents:depart",
    "residents:non_association",
    "residents:anonymise",
    "residents:subject_access",
    "mentoring:mentor",
    "mentoring:contact_edit",
    "mentoring:contact_remove",
    "mentoring:supervision_add",
    "mentoring:supervision_edit",
    "mentoring:training_add",
    "mentoring:holding_start",
    "mentoring:holding_end",
    "mentoring:next_step",
    "mentoring:interview",
    "mentoring:decide",
    "programme:referral",
    "programme:referral_move",
    "programme:waiting_move",
    "programme:enrolment_end",
    "programme:enrolment_move",
    "programme:hours_remove",
}
# Lists and downloads of many residents: one entry per establishment, naming them all.
MANY_RESIDENTS = {
    "residents:list",
    "residents:export",
    "residents:retention",
    "mentoring:index",
    "mentoring:workload",
    "mentoring:training_export",
    "mentoring:round",
    "mentoring:round_close",
    "mentoring:candidate_add",
    "mentoring:nomination_add",
    "evaluation:index",
    "evaluation:extract_export",
    "programme:referrals",
    "programme:waiting_list",
    "programme:waiting_add",
    "programme:cohort_add",
    "programme:cohort",
    "programme:cohort_enrol",
    "programme:session_add",
    "programme:session",
    "programme:meeting",
    "programme:meeting_add",
    "programme:meeting_edit",
    "programme:action_add",
    "programme:suggestions",
    "programme:suggestion_add",
    "programme:project",
}
# Pages that show no resident: the site, the signed-in user's own account, catalogues,
# blank forms. The audit trail pages (wing history, the admin) need their own permission.
NO_RESIDENTS = {
    "hamlet:home",
    "hamlet:regional",  # counts only, with disclosure control
    "hamlet:regional_export",
    "hamlet:healthz",
    "hamlet:sign_in",
    "hamlet:sign_out",
    "hamlet:password_change",
    "hamlet:password_change_done",
    "hamlet:two_factor_setup",
    "hamlet:two_factor_verify",
    "hamlet:wing_switch",
    "hamlet:wing_detail",
    "hamlet:wing_edit",
    "hamlet:wing_history",
    "hamlet:establishment_staff",  # staff, not residents
    "residents:search",  # remembers the search and sends the user on to the list
    "residents:admit",
    "residents:import",
    "residents:import_confirm",
    "residents:import_template",  # a blank spreadsheet with a made-up example
    "mentoring:settings",
    "mentoring:hand_back_dealt_with",  # a button: shows no page, and the change is in the audit trail
    "mentoring:rounds",
    "mentoring:round_add",
    "programme:index",  # cohorts, not residents
    "programme:referral_add",  # a blank form: the person is typed in, not offered
    "programme:phase_edit",
    "programme:cohort_start",
    "programme:cohort_finish",
    "programme:sessions_plan",
    "programme:session_cancel",  # the cohort's name, not its residents
    "programme:session_reinstate",
    "programme:meetings",  # dates and counts
    "programme:action_review",  # the action and its meeting
    "programme:suggestion_answer",  # the words, not who said them
    "programme:you_said_we_did",  # names no one, by design
    "programme:projects",  # projects and their total hours
    "programme:project_add",
    "programme:project_edit",
    # The evaluation instruments: figures and text that name no resident (services refuse names).
    "evaluation:periods",
    "evaluation:period_add",
    "evaluation:period",
    "evaluation:period_edit",
    "evaluation:period_close",
    "evaluation:period_reopen",
    "evaluation:grid_rate",
    "evaluation:ladder",
    "evaluation:mapping_add",  # the cohorts' names
    "evaluation:mapping",
    "evaluation:mapping_edit",
    "evaluation:mapping_compare",
    "evaluation:climate",  # counts per month
    "evaluation:climate_month",
    "evaluation:voices",
    "evaluation:voice_add",
    "evaluation:voice_edit",
    "evaluation:voice_remove",
    "evaluation:findings",
    "evaluation:finding_add",
    "evaluation:finding",
    "evaluation:finding_edit",
    "evaluation:attributes",
    "evaluation:attributes_edit",
    "evaluation:staff_team",  # posts, not people
    "evaluation:staff_post_add",
    "evaluation:staff_post_edit",
    "evaluation:staff_month",
    "evaluation:delivery_model",
    "evaluation:delivery_note_edit",
    "evaluation:rung_rate",
    "evaluation:grid_compare",
    "evaluation:grid_wings",
    "evaluation:site_report",  # figures and the instruments' text, naming no resident
    "admin:index",
}


def test_every_url_says_whether_it_shows_residents():
    assert ONE_RESIDENT | MANY_RESIDENTS | NO_RESIDENTS >= set(MATRIX), "sort each new URL into a group above"
    assert not ONE_RESIDENT & MANY_RESIDENTS
    assert not (ONE_RESIDENT | MANY_RESIDENTS) & NO_RESIDENTS


def _access_entries():
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")


def _url(name, request, args=None):
    _, matrix_args, _, _ = MATRIX[name]
    args = args if args is not None else matrix_args
    values = [request.getfixturevalue(arg[1:]).pk if str(arg).startswith("@") else arg for arg in args or []]
    return reverse(name, args=values)


@pytest.fixture
def everything(
    resident, long_gone_resident, holding, supervision_session, candidate, enrolment, meeting, project, referral
):
    resident.evaluation_consent = True
    resident.save()
    WaitingListEntryFactory(resident=resident, phase="phase_2", status="pending")
    SuggestionFactory(wing=resident.wing, resident=resident)
    ProjectHoursFactory(project=project, resident=resident)
    TrainingRecordFactory(resident=resident, qualification__name="NCFE Level 2 Award in Mentoring", learning_hours=10)


def _about(name: str, request) -> Resident:
    """Whom a page about one resident is about: the ``resident`` fixture, unless the page's
    record is someone else's."""
    others = {
        "residents:anonymise": "long_gone_resident",
        "programme:waiting_move": "waiting_entry",
        "programme:referral": "referral",
        "programme:referral_move": "referral",
        "programme:hours_remove": "project_hours",
    }
    record = request.getfixturevalue(others.get(name, "resident"))
    return getattr(record, "resident", record)


@pytest.mark.parametrize("name", sorted(ONE_RESIDENT))
def test_each_view_of_a_resident_writes_one_access_event(
    client, manager, drake_hall, resident, long_gone_resident, everything, request, name
):
    client.force_login(manager)
    before, started = _access_entries().count(), timezone.now()
    response = client.get(_url(name, request))
    assert response.status_code == 200
    (entry,) = _access_entries()[before:]
    seen = _about(name, request)
    assert entry.content_type == ContentType.objects.get_for_model(Resident)
    assert entry.object_pk == str(seen.pk)
    assert entry.actor == manager
    assert entry.additional_data["establishment"] == drake_hall.pk
    assert started <= entry.timestamp <= timezone.now()
    assert entry.additional_data["how"] != "refused"


# Pages with a form; the anonymise and remove pages' POSTs act at once, with nothing to show again.
FORMS = ONE_RESIDENT - {
    "residents:detail",
    "programme:referral",
    "residents:subject_access",
    "residents:anonymise",
    "mentoring:contact_remove",
    "programme:hours_remove",
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_form_shown_again_with_its_errors_is_another_view(client, manager, resident, everything, request, name):
    client.force_login(manager)
    before = _access_entries().count()
    response = client.post(_url(name, request), {"version": "x"})
    assert response.status_code == 200
    assert _access_entries().count() == before + 1


def _many(name, request):
    """The GET that shows the list: the round page stands for its two forms, which show it again."""
    if name in (
        "mentoring:candidate_add",
        "mentoring:nomination_add",
        "programme:cohort_enrol",
        "programme:action_add",
    ):
        return "post", _url(name, request), {}
    if name == "mentoring:round_close":
        return "get", _url(name, request), {}
    return "get", _url(name, request), {"status": ""} if name.startswith("residents:") else {}


@pytest.mark.parametrize("name", sorted(MANY_RESIDENTS))
def test_each_list_or_export_writes_one_access_event_naming_everyone_in_it(
    client, manager, drake_hall, resident, long_gone_resident, everything, request, name
):
    reader = manager
    if name.startswith("evaluation:"):
        # The extract is the evaluator's alone (issue 10), and shows a wing of at least five alike.
        reader = request.getfixturevalue("evaluator")
        Resident.objects.filter(pk=resident.pk).update(evaluation_consent=True)
        alike = {
            "sentence_type": resident.sentence_type,
            "age_band": resident.age_band,
            "arrived_on": resident.arrived_on,
        }
        ResidentFactory.create_batch(4, wing=resident.wing, evaluation_consent=True, **alike)
    client.force_login(reader)
    method, url, data = _many(name, request)
    before, started = _access_entries().count(), timezone.now()
    response = getattr(client, method)(url, data)
    assert response.status_code == 200
    (entry,) = _access_entries()[before:]
    assert entry.content_type == ContentType.objects.get_for_model(Establishment)
    assert entry.object_pk == str(drake_hall.pk)
    assert entry.actor == reader
    assert started <= entry.timestamp <= timezone.now()
    shown = long_gone_resident if name == "residents:retention" else resident
    if name == "programme:referrals":
        shown = request.getfixturevalue("referral").resident
    assert shown.pk in entry.additional_data["residents"]


def _refusals():
    """Every matrix URL about a resident, with each user the matrix refuses there."""
    for name in sorted(ONE_RESIDENT):
        method, _, data, expected = MATRIX[name]
        for user, status in expected.items():
            if status in (403, 404) and user != "anonymous":
                yield pytest.param(name, user, status, id=f"{name}-{user}")


@pytest.mark.parametrize(("name", "user", "status"), list(_refusals()))
def test_each_refused_request_for_a_resident_writes_one_access_event(
    client, drake_hall, resident, long_gone_resident, everything, other_wing, request, name, user, status
):
    """Refused for want of permission (403) or because the record is at another
    establishment (404): recorded either way, with the record's establishment."""
    asker = request.getfixturevalue(user)
    client.force_login(asker)
    method, _, data, _ = MATRIX[name]
    before, started = _access_entries().count(), timezone.now()
    response = getattr(client, method)(_url(name, request), data or {})
    assert response.status_code == status
    asked_for = _about(name, request)
    assert asked_for.pseudonym not in response.content.decode()
    (entry,) = _access_entries()[before:]
    assert entry.content_type == ContentType.objects.get_for_model(Resident)
    assert entry.object_pk == str(asked_for.pk)
    assert entry.actor == asker
    assert entry.additional_data["how"] == "refused"
    assert entry.additional_data["reason"] == ("no permission" if status == 403 else "not found")
    assert entry.additional_data["establishment"] == drake_hall.pk
    assert started <= entry.timestamp <= timezone.now()


def test_a_limited_access_refusal_is_recorded(client, staff, manager, resident, drake_hall):
    resident.limited_access = True
    resident.save()
    resident.permitted_staff.set([manager])
    client.force_login(staff)
    assert client.get(reverse("residents:detail", args=[resident.pk])).status_code == 404
    (entry,) = _access_entries()
    assert (entry.actor, entry.object_pk, entry.additional_data["how"]) == (staff, str(resident.pk), "refused")
    assert entry.additional_data["establishment"] == drake_hall.pk


def test_asking_for_a_resident_who_does_not_exist_is_recorded(client, staff, hamlet_wing):
    client.force_login(staff)
    assert client.get(reverse("residents:detail", args=[987654])).status_code == 404
    (entry,) = _access_entries()
    assert (entry.actor, entry.object_pk, entry.additional_data["establishment"]) == (staff, "987654", None)


def test_a_successful_view_writes_no_refusal(client, staff, resident):
    client.force_login(staff)
    client.get(reverse("residents:detail", args=[resident.pk]))
    assert not _access_entries().filter(additional_data__how="refused").exists()


def test_subject_access_carries_the_audit_trail_so_needs_the_audit_permission(client, resident, drake_hall):
    """Whoever may answer a subject access request but not read audit entries is refused."""
    group = Group.objects.create(name="Subject access without audit")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="residents", codename__in=["view_resident", "subject_access_resident"]
        )
    )
    clerk = UserFactory(role=group.name, establishments=[drake_hall])
    client.force_login(clerk)
    assert client.get(reverse("residents:subject_access", args=[resident.pk])).status_code == 403
    assert client.get(reverse("residents:detail", args=[resident.pk])).status_code == 200


def test_the_audit_log_cannot_be_added_to_in_the_admin_and_reading_it_needs_its_own_permission(
    client, administrator, staff, resident
):
    client.force_login(staff)
    client.get(reverse("residents:detail", args=[resident.pk]))
    client.force_login(administrator)
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
    assert client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    assert client.post(reverse("admin:auditlog_logentry_add"), {"action": 3}).status_code == 403
    # A member of the admin without the audit permission is refused the list.
    administrator.groups.clear()
    administrator.user_permissions.add(Permission.objects.get(codename="view_user"))
    entries = LogEntry.objects.count()  # after those changes, which are in the trail themselves
    client.force_login(administrator)
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 403
    assert LogEntry.objects.count() == entries


# Every page that shows a person records that person; every refused record URL records the refusal.


@pytest.fixture
def named_around(everything, resident, holding):
    """Residents a page about someone else names: a mentee on the mentor's page, the other
    party of a non-association on the resident's page."""
    mentee = ResidentFactory(wing=resident.wing, pseudonym="Rowanberry")
    MentorContactFactory(mentor=resident, mentee=mentee)
    partner = ResidentFactory(wing=resident.wing, pseudonym="Quillon")
    NonAssociationFactory(first=resident, second=partner)
    return [mentee, partner]


def _pages_shown():
    for name, (method, _, _, expected) in MATRIX.items():
        for user, status in expected.items():
            if method == "get" and status == 200 and user != "anonymous" and not name.startswith("admin:"):
                yield pytest.param(name, user, id=f"{name}-{user}")


def _named_in(entries) -> set[int]:
    resident_type = ContentType.objects.get_for_model(Resident)
    named = set()
    for entry in entries:
        if entry.content_type_id == resident_type.pk and entry.object_id:
            named.add(entry.object_id)
        named |= set((entry.additional_data or {}).get("residents", []))
    return named


def _text_of(response) -> str:
    """What a person reads in the response: a page's text, or every cell of a workbook."""
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return " ".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)
    return response.getvalue().decode()  # getvalue(): a streamed download too


@pytest.mark.parametrize(("name", "user"), list(_pages_shown()))
def test_every_resident_a_page_names_is_in_its_access_entries(client, named_around, other_wing, request, name, user):
    client.force_login(request.getfixturevalue(user))
    before = _access_entries().count()
    response = client.get(_url(name, request))
    assert response.status_code == 200
    content = _text_of(response)
    named = _named_in(_access_entries()[before:])
    for person in Resident.objects.all():
        if not person.pseudonym.startswith("Resident ") and person.pseudonym in content:
            assert person.pk in named, f"{name} as {user} shows {person.pseudonym} without recording it"


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("hamlet:wing_detail", "hamlet.Wing"),
        ("hamlet:wing_edit", "hamlet.Wing"),
        ("hamlet:wing_history", "hamlet.Wing"),
        ("mentoring:round", "mentoring.RecruitmentRound"),
    ],
)
def test_a_refused_wing_or_round_is_recorded(client, other_staff, hamlet_wing, everything, request, name, model):
    client.force_login(other_staff)
    before, status = _access_entries().count(), MATRIX[name][3]["other_staff"]
    assert client.get(_url(name, request)).status_code == status
    (entry,) = _access_entries()[before:]
    assert entry.content_type.model_class()._meta.label == model
    assert entry.additional_data["reason"] == ("no permission" if status == 403 else "not found")
    assert entry.additional_data["establishment"] == hamlet_wing.establishment_id


def test_reading_the_audit_log_in_the_admin_records_the_residents_it_shows(client, administrator, resident):
    client.force_login(administrator)
    LogEntry.objects.log_create(resident, action=LogEntry.Action.UPDATE, changes={"room": ["1", "2"]})
    before = _access_entries().count()
    assert client.get("/admin/auditlog/logentry/").status_code == 200
    assert resident.pk in _named_in(_access_entries()[before:])
    entry = LogEntry.objects.get_for_object(resident).exclude(action=LogEntry.Action.ACCESS).first()
    before = _access_entries().count()
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code == 200
    assert resident.pk in _named_in(_access_entries()[before:])
