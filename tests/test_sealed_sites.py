"""Sites are sealed (ASVS 8.2.2, 8.4.1): no page shows another establishment's rows.

Both prisons get the same records, every text a page could show carrying the prison's
canary word (Kestrel at Drake Hall, Osprey at Thornbury Vale) or its prison numbers. Each
member of staff then opens every page the permission matrix lets them open — lists,
dashboards, searches, exports in both formats, and the pages of their own records with
the choices their forms offer — and must find their own prison's canaries and none of the
other's. Every URL about a record, given the other prison's record, is Not Found.
"""

import io
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote_plus

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import FindingProgress, PeriodReopening, RoleDeliveryNote, RoleRung
from mentoring.models import Candidate, MentorContact
from residents.models import DepartureReason, Resident
from tests.evaluation.factories import (
    AssessmentPeriodFactory,
    FindingFactory,
    GridRatingFactory,
    MappingScoreFactory,
    RelationalMappingFactory,
    StaffPostFactory,
    VoiceFactory,
)
from tests.hamlet.factories import HouseblockFactory, OrganisationFactory
from tests.mentoring.factories import (
    CandidateFactory,
    InterviewFactory,
    MentorContactFactory,
    NextStepFactory,
    NominationFactory,
    PeerRoleFactory,
    QualificationFactory,
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
from tests.test_permissions import MATRIX


@dataclass
class Site:
    word: str
    prison_numbers: list[str]
    objects: dict  # MATRIX fixture name → this prison's record

    @property
    def canaries(self) -> list[str]:
        return [self.word, *self.prison_numbers]


def plant(wing, word: str, letter: str, staff_user) -> Site:
    """One prison's records, with ``word`` in every text a page or export could show."""
    today = timezone.localdate()
    numbers = iter(f"{letter}{n:04d}{letter}{letter}" for n in range(1, 10))
    houseblock = HouseblockFactory(wing=wing, name=f"{word} Houseblock", rooms=12)

    def resident(name, **fields):
        fields.setdefault("prison_number", next(numbers))
        return ResidentFactory(wing=wing, houseblock=houseblock, pseudonym=f"{word} {name}", **fields)

    mentor = resident("Mentor", cats_id=f"{word}CATS", room="7")
    mentee, voice, hopeful = resident("Mentee"), resident("Voice"), resident("Candidate")
    resident("Leaver", departed_on=today - timedelta(days=3), departure_reason=DepartureReason.RELEASED)
    gone = resident(
        "Departed",
        arrived_on=today.replace(year=today.year - 9),
        departed_on=today.replace(year=today.year - 8),
        departure_reason=DepartureReason.TRANSFERRED,
    )
    StageChangeFactory(resident=mentor, stage="pre_engagement", note=f"{word} stage note")
    SupportContactFactory(
        resident=mentor,
        staff=staff_user,
        contact_type="anxiety",
        notes=f"{word} support note",
        next_step=f"{word} support next step",
    )
    NonAssociationFactory(
        first=min(mentor, mentee, key=lambda r: r.pk),
        second=max(mentor, mentee, key=lambda r: r.pk),
        reason=f"{word} keep apart",
    )
    role = PeerRoleFactory(
        establishment=wing.establishment,
        title=f"{word} Listener",
        pay="paid",
        pay_note=f"{word} band",
        induction=True,
        bridging=True,
        notes=f"{word} role notes",
        is_cfo_role=True,
        pathway_step=1,
    )
    holding = RoleHoldingFactory(resident=mentor, role=role)
    RoleHoldingFactory(
        resident=mentee, role=role, ended_on=today, end_reason="stepped_down", end_note=f"{word} end note"
    )
    # Qualifications and providers are catalogues every prison shares (forms offer them all),
    # so they carry no canary; where the training was taken is this prison's own.
    TrainingRecordFactory(
        resident=mentor,
        qualification=QualificationFactory(name=f"Award in Mentoring {letter}"),
        provider=OrganisationFactory(name=f"Learning provider {letter}"),
        attained_at=f"{word} classroom",
        status="achieved",
        completed_on=today,
        learning_hours=12,
    )
    supervision = SupervisionSessionFactory(
        mentor=mentor,
        supervisor=staff_user,
        enough_down_time=False,
        out_of_hours_demands=True,
        hand_back=f"{word} hand back",
        notes=f"{word} supervision note",
    )
    contact = MentorContactFactory(mentor=mentor, mentee=mentee, notes=f"{word} contact note", recorded_by=staff_user)
    NextStepFactory(resident=mentor, target_role=role, description=f"{word} next step", recorded_by=staff_user)
    recruitment = RecruitmentRoundFactory(role=role, wing=wing, opened_by=staff_user)
    candidate = CandidateFactory(
        round=recruitment,
        resident=hopeful,
        route="staff",
        decision="reserve",
        decision_reason=f"{word} decision reason",
        decided_on=today,
        decided_by=staff_user,
    )
    NominationFactory(candidate=candidate, by=voice, kind="endorsement", comment=f"{word} endorsement")
    # A decided candidate's decision form is not offered again: the decision page is this one's.
    waiting = CandidateFactory(round=recruitment, resident=mentee, route="self")
    InterviewFactory(
        candidate=candidate,
        ready_notes=f"{word} interview note",
        wants_responsibility=4,
        practical_skills=2,
        interviewers=[staff_user],
    )
    # The programme: a cohort with a session and a mark, and someone waiting for Phase 1.
    cohort = CohortFactory(wing=wing, name=f"{word} Cohort", location=f"{word} classroom", status="running")
    cohort.peer_mentors.set([mentor])
    enrolment = EnrolmentFactory(cohort=cohort, resident=mentee, justification=f"{word} justification")
    session = SessionFactory(cohort=cohort, location=f"{word} workshop")
    AttendanceFactory(
        session=session, resident=mentee, mark="other", other_reason=f"{word} other reason", supported_by=mentor
    )
    waiting_entry = WaitingListEntryFactory(resident=voice, reason=f"{word} waiting reason")
    project = ProjectFactory(wing=wing, title=f"{word} project", beneficiary=f"{word} charity")
    hours = ProjectHoursFactory(project=project, resident=mentee)
    meeting = MeetingFactory(
        wing=wing, kind="beyond", title=f"{word} forum", chair=f"{word} chair", minutes=f"{word} minutes"
    )
    MeetingAttendeeFactory(meeting=meeting, resident=voice)
    action = ActionFactory(meeting=meeting, description=f"{word} action", owner_resident=mentor)
    suggestion = SuggestionFactory(
        wing=wing, text=f"{word} suggestion", resident=voice, meeting=meeting, answer="adopted", we_did=f"{word} we did"
    )
    # Someone elsewhere in the prison, referred onto the wing and not on it yet.
    referral = ReferralFactory(
        wing=wing,
        resident__pseudonym=f"{word} Referred",
        resident__prison_number=next(numbers),
        why=f"{word} referral why",
        reason=f"{word} referral reason",
    )
    # The evaluation: an open period with a rated stage, reopened once.
    period = AssessmentPeriodFactory(wing=wing, label=f"{word} period")
    GridRatingFactory(period=period, stage=3, evidence=f"{word} evidence")
    PeriodReopening.objects.create(period=period, reason=f"{word} reopen reason", by=staff_user)
    mapping = RelationalMappingFactory(period=period, cohort=cohort, notes=f"{word} mapping notes")
    MappingScoreFactory(mapping=mapping, element=f"{word} element")
    voice = VoiceFactory(period=period, summary=f"{word} enabler", mentors_could_help=f"{word} help")
    finding = FindingFactory(period=period, summary=f"{word} finding", detail=f"{word} detail")
    FindingProgress.objects.create(finding=finding, on=today, note=f"{word} progress", status="done", by=staff_user)
    staff_post = StaffPostFactory(wing=wing, title=f"{word} officer")
    RoleDeliveryNote.objects.create(role=role, progression=f"{word} progression")
    RoleRung.objects.create(period=period, role=role, rung=2, evidence=f"{word} rung evidence", plan=f"{word} plan")
    objects = {
        "referral": referral,
        "period": period,
        "peer_mentor_role": role,
        "mapping": mapping,
        "voice": voice,
        "finding": finding,
        "staff_post": staff_post,
        "waiting_entry": waiting_entry,
        "cohort": cohort,
        "enrolment": enrolment,
        "programme_session": session,
        "meeting": meeting,
        "meeting_action": action,
        "suggestion": suggestion,
        "project": project,
        "project_hours": hours,
        "hamlet_wing": wing,
        "drake_hall": wing.establishment,  # the matrix names the establishment by its fixture
        "resident": mentor,
        "mentor": mentor,  # the canary resident holds the peer role
        "long_gone_resident": gone,
        "holding": holding,
        "supervision_session": supervision,
        "mentor_contact": contact,
        "recruitment_round": recruitment,
        "candidate": candidate,
        "waiting_candidate": waiting,
    }
    people = Resident.objects.filter(establishment=wing.establishment)
    return Site(word, list(people.values_list("prison_number", flat=True)), objects)


@pytest.fixture
def sites(hamlet_wing, other_wing, staff, other_staff):
    return {
        "drake_hall": plant(hamlet_wing, "Kestrel", "K", staff),
        "other_prison": plant(other_wing, "Osprey", "Q", other_staff),
    }


# Who is at which prison, and which column of the matrix says what their role may open.
PEOPLE = {
    "staff": ("drake_hall", "staff"),
    "manager": ("drake_hall", "manager"),
    "other_staff": ("other_prison", "staff"),
}

# Pages that show nothing of a prison's records, so there is no canary of one's own to find.
SHOWS_NO_RECORDS = {
    "hamlet:healthz",
    "hamlet:password_change",
    "hamlet:password_change_done",
    "hamlet:wing_edit",
    "hamlet:wing_history",
    "hamlet:establishment_staff",  # staff, not residents
    "hamlet:regional",  # counts only: what it must show is checked below
    "hamlet:regional_export",
    "residents:admit",
    "residents:import",
    "mentoring:settings",
    "programme:phase_edit",
    "programme:sessions_plan",
    "programme:project_add",
    "programme:referral_add",
    "evaluation:period_add",
}


def _text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return response.getvalue().decode()  # getvalue(): a streamed download too


def _args(args, objects: dict) -> list:
    return [objects[arg[1:]].pk if str(arg).startswith("@") else arg for arg in args or []]


def _pages(site: Site, other: Site, column: str):
    """Every page the role may open, for its own prison's records: (label, URL, query)."""
    other_resident = other.objects["resident"]
    searches = [
        {},
        {"status": ""},
        {"status": "left"},
        {"q": other_resident.pseudonym, "status": ""},
        {"q": other_resident.prison_number.lower(), "status": ""},
        {"q": other.word, "status": "left"},
        {"wing": other.objects["hamlet_wing"].pk, "status": ""},
        {"houseblock": other_resident.houseblock_id, "status": ""},
    ]
    for name, (method, args, _, expected) in MATRIX.items():
        if method != "get" or expected[column] != 200 or name.startswith("admin:"):
            continue
        objects = (
            {**site.objects, "candidate": site.objects["waiting_candidate"]} if name == "mentoring:decide" else None
        )
        url = reverse(name, args=_args(args, objects or site.objects))
        if name == "residents:list":
            yield from ((name, url, query) for query in searches)
        elif name in ("residents:export", "mentoring:training_export"):
            for fmt in ("csv", "xlsx"):
                query_list = searches if name == "residents:export" else [{}]
                yield from ((f"{name} {fmt}", reverse(name, args=[fmt]), query) for query in query_list)
        else:
            yield name, url, {}
    # Not in the matrix as a GET: the round-closing page lists who is still waiting.
    if MATRIX["mentoring:round_close"][3][column] == 302:
        yield "mentoring:round_close", reverse("mentoring:round_close", args=[site.objects["recruitment_round"].pk]), {}


@pytest.mark.parametrize("person", list(PEOPLE))
def test_no_page_list_search_or_export_shows_another_prisons_records(client, request, sites, person):
    own_key, column = PEOPLE[person]
    own = sites[own_key]
    other = next(site for key, site in sites.items() if key != own_key)
    client.force_login(request.getfixturevalue(person))
    opened = 0
    for label, url, query in _pages(own, other, column):
        # A search travels by POST and waits in the session; the rest of the query is the address.
        client.post(reverse("residents:search"), {"q": query.get("q", "")})
        response = client.get(url, {key: value for key, value in query.items() if key != "q"})
        assert response.status_code == 200, f"{label} {query}"
        text = _text(response)
        for value in query.values():
            # The search box and the sort and download links repeat what was searched for.
            text = text.replace(f'value="{value}"', "").replace(quote_plus(str(value)), "")
        opened += 1
        leaked = [canary for canary in other.canaries if canary in text]
        assert not leaked, f"{person} sees {leaked} on {label} {query}"
        if any(other.word in str(value) or str(value).upper() in other.prison_numbers for value in query.values()):
            continue  # a search for the other prison's people rightly finds no one
        # Evaluation pages show residents under keyed pseudonyms, so only leaks are looked for.
        if label.split()[0] not in SHOWS_NO_RECORDS and not label.startswith("evaluation:"):
            assert own.word in text, f"{person} sees none of their own prison's records on {label} {query}"
        if label.split()[0] in ("residents:list", "residents:export"):
            # Prison numbers appear only in rows, never in the filter's choices.
            assert any(number in text for number in own.prison_numbers), f"{person}: no one listed on {label} {query}"
    assert opened >= 20


def test_a_custody_managers_regional_dashboard_lists_only_their_establishments(client, manager, sites, other_wing):
    """Counts carry no canary: the other prison must not be a column, nor its wing, on the page or in a download."""
    client.force_login(manager)
    texts = [client.get(reverse("hamlet:regional")).content.decode()]
    for fmt in ("csv", "xlsx"):
        texts.append(_text(client.get(reverse("hamlet:regional_export", args=[fmt]))))
    for text in texts:
        assert "HMP Drake Hall" in text
        assert "The Hamlet" in text
        assert other_wing.establishment.name not in text
        assert other_wing.name not in text


def _other_prison_urls(own: Site, other: Site):
    """Every matrix URL about a record, with the other prison's record in one or every place."""
    for name, (method, args, data, _) in MATRIX.items():
        places = [i for i, arg in enumerate(args or []) if str(arg).startswith("@")]
        if not places:
            continue
        choices = [[own.objects, other.objects] if i in places else [None] for i in range(len(args))]
        combinations = [[]]
        for options in choices:
            combinations = [done + [option] for done in combinations for option in options]
        for combination in combinations:
            if other.objects not in combination:
                continue  # only its own prison's records
            values = [
                objects[arg[1:]].pk if objects is not None else arg
                for arg, objects in zip(args, combination, strict=True)
            ]
            yield name, method, values, {key: _args([value], own.objects)[0] for key, value in (data or {}).items()}


@pytest.mark.parametrize("person", list(PEOPLE))
def test_every_record_url_is_not_found_for_another_prisons_record(client, request, sites, person):
    """Not Found, never Forbidden: a 403 would confirm the record exists. A role that may
    not use the page at all is refused with 403 whatever the record, as the matrix says."""
    own_key, column = PEOPLE[person]
    own = sites[own_key]
    other = next(site for key, site in sites.items() if key != own_key)
    client.force_login(request.getfixturevalue(person))
    checked = 0
    for name, method, args, data in _other_prison_urls(own, other):
        allowed = MATRIX[name][3][column]
        expected = 404 if allowed < 400 else allowed
        response = getattr(client, method)(reverse(name, args=args), data)
        assert response.status_code == expected, f"{person} {method.upper()} {name} {args}"
        assert other.objects["resident"].pseudonym not in response.content.decode()
        checked += 1
    assert checked >= 25


@pytest.mark.parametrize("person", list(PEOPLE))
def test_the_site_report_of_another_prisons_period_is_not_found(client, request, sites, person):
    """The report names its period in the query string, which the walk above does not vary."""
    own_key, _ = PEOPLE[person]
    own = sites[own_key]
    other = next(site for key, site in sites.items() if key != own_key)
    client.force_login(request.getfixturevalue(person))
    url = reverse("evaluation:site_report")
    refused = client.get(url, {"period": other.objects["period"].pk})
    assert refused.status_code == 404
    assert other.word not in refused.content.decode()
    shown = client.get(url, {"period": own.objects["period"].pk}).content.decode()
    assert f"{own.word} period" in shown
    assert not [canary for canary in other.canaries if canary in shown]


def test_choosing_another_prisons_wing_changes_nothing(client, staff, sites, other_wing):
    client.force_login(staff)
    client.post(reverse("hamlet:wing_switch"), {"wing": other_wing.pk})
    home = client.get(reverse("hamlet:home")).content.decode()
    assert "Kestrel Houseblock" in home
    assert "Osprey" not in home
    assert other_wing.name not in home
    listed = client.get(reverse("residents:list")).content.decode()
    assert "Kestrel Mentor" in listed
    assert "Osprey" not in listed


def test_a_form_on_ones_own_record_will_not_take_another_prisons_resident(client, staff, sites):
    own, other = sites["drake_hall"], sites["other_prison"]
    client.force_login(staff)
    mentor = own.objects["resident"]
    response = client.post(
        reverse("mentoring:mentor", args=[mentor.pk]),
        {"mentee": other.objects["resident"].pk, "contact_type": "welcome", "setting": "houseblock", "minutes": 10},
    )
    assert response.status_code == 200
    assert "mentee" in response.context["form"].errors
    assert not MentorContact.objects.filter(mentor=mentor, mentee=other.objects["resident"]).exists()
    response = client.post(
        reverse("mentoring:candidate_add", args=[own.objects["recruitment_round"].pk]),
        {"candidate-resident": other.objects["resident"].pk, "candidate-route": "self"},
    )
    assert "resident" in response.context["candidate_form"].errors
    assert not Candidate.objects.filter(resident=other.objects["resident"], round=own.objects["recruitment_round"])
    # Nor a person referred onto the other prison's wing, whom a round may consider at their own.
    referred = other.objects["referral"].resident
    response = client.post(
        reverse("mentoring:candidate_add", args=[own.objects["recruitment_round"].pk]),
        {"candidate-resident": referred.pk, "candidate-route": "self"},
    )
    assert "resident" in response.context["candidate_form"].errors
    assert not Candidate.objects.filter(resident=referred).exists()


# Issue 10, item 2: a prison number is no existence oracle. Unique among the current residents
# of one establishment; a number held at another prison, or by a limited-access record the user
# may not open, gets exactly the answer an unused number gets.

HELD_ELSEWHERE, HELD_BY_HIDDEN, UNUSED = "A4131FM", "A4132FM", "A4133FM"


@pytest.fixture
def held_numbers(hamlet_wing, other_wing, manager):
    """At Drake Hall: one ordinary resident, and a limited-access one only the manager may open.
    At Thornbury Vale: one held elsewhere, as seen from Drake Hall."""
    ResidentFactory(wing=other_wing, prison_number=HELD_ELSEWHERE, pseudonym="Elsewhere")
    hidden = ResidentFactory(wing=hamlet_wing, prison_number=HELD_BY_HIDDEN, pseudonym="Hidden", limited_access=True)
    hidden.permitted_staff.set([manager])
    return hidden


def _without_csrf(response, number: str) -> tuple[int, str]:
    """Status and page, less the CSRF token and the number typed (which the form shows back)."""
    import re

    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return response.status_code, body.replace(number, "NUMBER")


def _admit_answers(prison_number: str, **extra) -> dict:
    today = timezone.localdate()
    return {
        "prison_number": prison_number,
        "sentence_type": "short",
        "age_band": "30-39",
        "arrived_on_0": today.day,
        "arrived_on_1": today.month,
        "arrived_on_2": today.year,
        **extra,
    }


def _import_file(prison_number: str, age_band: str = "30 to 39"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    today = timezone.localdate()
    text = (
        "prison_number,pseudonym,houseblock,room,sentence_type,age_band,arrived_on,cats_id\n"
        f"{prison_number},Robin,,,Short,{age_band},{today:%d/%m/%Y},\n"
    )
    return SimpleUploadedFile("residents.csv", text.encode())


def test_admitting_a_number_held_elsewhere_or_by_a_hidden_record_answers_as_an_unused_one(client, staff, held_numbers):
    client.force_login(staff)
    url = reverse("residents:admit")
    # Otherwise incomplete (no pseudonym), so the page comes back with its errors every time.
    answers = [
        _without_csrf(client.post(url, _admit_answers(number)), number)
        for number in (HELD_ELSEWHERE, HELD_BY_HIDDEN, UNUSED)
    ]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 200
    assert "already" not in answers[0][1]


def test_referring_a_number_held_elsewhere_or_by_a_hidden_record_answers_as_an_unused_one(client, staff, held_numbers):
    client.force_login(staff)
    url = reverse("programme:referral_add")
    # Otherwise incomplete (no pseudonym), so the page comes back with its errors every time.
    answers = [
        _without_csrf(client.post(url, {"prison_number": number, "sentence_type": "short"}), number)
        for number in (HELD_ELSEWHERE, HELD_BY_HIDDEN, UNUSED)
    ]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 200
    assert "already" not in answers[0][1]


def test_importing_a_number_held_elsewhere_or_by_a_hidden_record_answers_as_an_unused_one(client, staff, held_numbers):
    client.force_login(staff)
    url = reverse("residents:import")
    for age_band in ("30 to 39", "not an age band"):  # a file that passes the check, and one that does not
        answers = [
            _without_csrf(client.post(url, {"file": _import_file(number, age_band)}), number)
            for number in (HELD_ELSEWHERE, HELD_BY_HIDDEN, UNUSED)
        ]
        assert answers[0] == answers[1] == answers[2]
        assert answers[0][0] == 200
        bodies = [answers[0][1]]
        assert "already" not in bodies[0]


def test_a_person_transferred_in_is_a_new_record_at_the_receiving_prison(client, other_staff, held_numbers, other_wing):
    from residents.models import Resident

    client.force_login(other_staff)
    client.post(reverse("hamlet:wing_switch"), {"wing": other_wing.pk})
    # Held at Drake Hall by an ordinary record: a new record at Thornbury Vale.
    drake = ResidentFactory(wing=held_numbers.wing, prison_number="A4134FM")
    response = client.post(reverse("residents:admit"), _admit_answers(drake.prison_number, pseudonym="Robin"))
    assert response.status_code == 302
    assert Resident.objects.filter(prison_number=drake.prison_number).count() == 2


def test_a_number_held_by_a_current_resident_the_user_can_open_is_refused_at_the_field(client, staff, resident):
    client.force_login(staff)
    response = client.post(reverse("residents:admit"), _admit_answers(resident.prison_number, pseudonym="Robin"))
    assert response.status_code == 200
    assert response.context["form"].errors["prison_number"] == [
        "A current resident of this establishment already has this prison number"
    ]


def test_a_number_of_someone_who_has_left_can_be_admitted_again(client, staff, resident, manager):
    from residents import services

    services.resident_depart(resident=resident, departed_on=resident.arrived_on, reason="released", by=manager)
    client.force_login(staff)
    response = client.post(reverse("residents:admit"), _admit_answers(resident.prison_number, pseudonym="Robin"))
    assert response.status_code == 302


def test_admitting_a_number_a_hidden_record_holds_is_noted_for_the_custody_manager_without_naming_it(
    client, staff, manager, held_numbers, hamlet_wing
):
    client.force_login(staff)
    response = client.post(reverse("residents:admit"), _admit_answers(HELD_BY_HIDDEN, pseudonym="Robin"))
    assert response.status_code == 302  # exactly as for an unused number
    client.force_login(manager)
    history = client.get(reverse("hamlet:wing_history", args=[hamlet_wing.pk])).content.decode()
    assert "Robin was admitted with a prison number a limited-access record here also has" in history
    assert "Hidden" not in history


def test_the_database_keeps_a_prison_number_unique_among_an_establishments_current_residents(hamlet_wing, resident):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentFactory(wing=hamlet_wing, prison_number=resident.prison_number)
