"""Demo mentoring: the sixteen Drake Hall peer roles of Appendix 2, the six lifers as
peer mentors with their training, and eight weeks of contacts and supervision in which
one mentor is overloaded and one is overdue for supervision. For the dashboard's succession
panel the Peer mentors role aims for eight places: an earlier round appointed two of the
lifers and kept a resident in reserve, and a round is open now. Training is under way and a
course was completed this week. Thornbury Vale has a smaller programme: two mentors, one
overdue for supervision, a round open, and a role short of holders with no one in reserve."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from hamlet.models import Establishment, Organisation, Wing
from mentoring.models import (
    CRITERIA,
    Candidate,
    ContactType,
    Decision,
    Interview,
    MentorContact,
    MentoringSettings,
    NextStep,
    Nomination,
    PeerRole,
    Qualification,
    RecruitmentRound,
    RoleHolding,
    Route,
    Setting,
    SupervisionSession,
    TrainingRecord,
    TrainingStatus,
    Voice,
)
from residents.models import Resident, SentenceType

PURPLE_BAND = (
    "In the female estate a Purple Band is a resident with special trusted status, who may work unsupervised "
    "and move around parts of the prison unescorted."
)
# title, pay, pay note, induction, single issue, bridging, representation, notes
APPENDIX_2 = [
    ("Induction orderly", "paid", "", True, True, True, "none", ""),
    ("House Rep", "paid", "", True, True, False, "wdf", ""),
    ("Listener", "unpaid", "", True, True, False, "none", ""),
    ("Cleaners, Food servers, Laundry, etc.", "paid", "", False, True, False, "none", ""),
    ("Purple Band", "unpaid", "", False, False, True, "none", PURPLE_BAND),
    ("Shannon Trust Mentor", "unpaid", "", False, True, True, "none", ""),
    ("Neurodiversity mentor", "paid", "", True, False, True, "none", ""),
    ("Chaplaincy mentor", "unpaid", "", True, False, True, "none", ""),
    ("Education Mentors & Peer Support Classroom Assistants", "paid", "", False, True, False, "none", ""),
    ("Healthcare Orderly", "paid", "", False, True, False, "none", ""),
    ("Safer Custody Champion & Equalities Reps", "paid", "", True, True, False, "none", ""),
    ("Domestic Abuse Rep", "paid", "", True, True, True, "none", ""),
    ("SMT Communications Officer", "unpaid", "part of Purple band role", False, True, True, "none", ""),
    ("Employment Rep", "paid", "", True, True, True, "none", ""),
    (
        "Peer mentors", "unpaid", "", True, False, True, "some",
        "Many Purple Bands also sat on the Prisoner Council, but not automatically.",
    ),
    ("Offender Management Unit orderly", "paid", "part of Purple band role", False, True, False, "none", ""),
]  # fmt: skip
# An example progression pathway for the demo: induction, then mentoring, then the wing forum.
PATHWAY = {"Induction orderly": 1, "Peer mentors": 2, "House Rep": 3}
# Places the wing means to fill, for succession planning: six lifers hold eight places.
PLACES = {"Peer mentors": 8}
QUALIFICATIONS = [
    ("NCFE Level 2 Award in Mentoring", "NCFE", "Level 2", True),
    ("Level 1 Mentoring", "NCFE", "Level 1", True),
    ("Level 2 Information, Advice and Guidance", "NCFE", "Level 2", True),
]
# Contacts logged each week, and how many of them out of hours, per mentor (by position).
WEEKLY_CONTACTS = [(8, 1), (10, 1), (7, 0), (9, 1), (6, 1), (8, 0)]
OVERLOADED, OVERDUE = 0, 1  # Rowan is overloaded this week; Tamsin's supervision has lapsed


def _roles(drake_hall: Establishment) -> dict[str, PeerRole]:
    roles = {}
    for order, (title, pay, note, induction, single, bridging, representation, notes) in enumerate(APPENDIX_2):
        roles[title], _ = PeerRole.objects.update_or_create(
            establishment=drake_hall,
            title=title,
            defaults={
                "pay": pay, "pay_note": note, "induction": induction, "single_issue": single, "bridging": bridging,
                "representation": representation, "notes": notes, "order": order,
                "is_cfo_role": title == "Peer mentors", "pathway_step": PATHWAY.get(title),
                "places": PLACES.get(title),
            },
        )  # fmt: skip
    return roles


def _training(mentor: Resident, today, index: int) -> None:
    ncfe, level_1 = (Qualification.objects.get(name=name) for name in QUALIFICATIONS_NAMES)
    people_plus = Organisation.objects.get(name="People Plus")
    TrainingRecord.objects.get_or_create(
        resident=mentor, qualification=ncfe,
        defaults={
            "attained_at": "HMP Styal", "status": TrainingStatus.ACHIEVED, "learning_hours": Decimal("60"),
            "started_on": today.replace(year=today.year - 6 - index % 3),
            "completed_on": today.replace(year=today.year - 6 - index % 3) + timedelta(days=90),
        },
    )  # fmt: skip
    TrainingRecord.objects.get_or_create(
        resident=mentor, qualification=level_1, refresher=True,
        defaults={
            "provider": people_plus, "attained_at": "HMP Drake Hall", "status": TrainingStatus.ACHIEVED,
            "learning_hours": Decimal("12"), "started_on": today - timedelta(days=70),
            "completed_on": today - timedelta(days=56),
        },
    )  # fmt: skip


QUALIFICATIONS_NAMES = ("NCFE Level 2 Award in Mentoring", "Level 1 Mentoring")


def _eight_weeks(mentor: Resident, index: int, today, officer, mentees: list[Resident]) -> None:
    if MentorContact.objects.filter(mentor=mentor).exists():
        return
    types = list(ContactType.values)[:-1]
    now = timezone.now()
    contacts = []
    for week in range(8):
        count, out_of_hours = WEEKLY_CONTACTS[index]
        if index == OVERLOADED and week == 0:
            count, out_of_hours = 28, 11  # the shower at night, and much else
        for n in range(count):
            day = today - timedelta(days=week * 7 + n % 7)
            evening = n < out_of_hours
            at = time(21, 15) if evening else time(10 + n % 6, 30)
            occurred_at = timezone.make_aware(datetime.combine(day, at))
            if occurred_at > now:  # later today: it happened at that time yesterday instead
                occurred_at -= timedelta(days=1)
            contacts.append(
                MentorContact(
                    mentor=mentor,
                    mentee=mentees[(index + n) % len(mentees)] if n % 3 else None,
                    occurred_at=occurred_at,
                    contact_type=types[(n + week) % len(types)],
                    setting=list(Setting.values)[n % 4],
                    minutes=10 + (n * 7) % 40,
                    out_of_hours=evening,
                    recorded_by=officer,
                )
            )
    MentorContact.objects.bulk_create(contacts)
    last_session = 3 if index == OVERDUE else 0  # weeks ago
    for week in range(last_session, 8):
        held_on = today - timedelta(days=week * 7 + 1)
        SupervisionSession.objects.create(
            mentor=mentor, held_on=held_on, supervisor=officer, kind="group" if week % 2 else "one_to_one",
            enough_down_time=not (index == OVERLOADED and week == 1), out_of_hours_demands=index == OVERLOADED,
            notes="", next_due=held_on + timedelta(days=7),
        )  # fmt: skip


def _open_round(hamlet: Wing, role: PeerRole, manager, today) -> None:
    """One open round for two more peer mentors: four candidates, residents' voices and
    three scored interviews, waiting for the panel's decision."""
    if RecruitmentRound.objects.filter(wing=hamlet, role=role).exists():
        return
    recruitment = RecruitmentRound.objects.create(
        role=role, wing=hamlet, opened_on=today - timedelta(days=12), places=2, opened_by=manager
    )
    current = Resident.objects.filter(wing=hamlet).current()
    people = {resident.pseudonym: resident for resident in current}
    candidates = {}
    for name, route in [("Harriet", Route.PEER), ("Lowri", Route.SELF), ("Phoebe", Route.STAFF), ("Zara", Route.PEER)]:
        candidates[name] = Candidate.objects.create(
            round=recruitment, resident=people[name], route=route, added_on=today - timedelta(days=10)
        )
    voices = [
        ("Harriet", "Rowan", Voice.NOMINATION, "She sat with me every night my first week."),
        ("Harriet", "Niamh", Voice.ENDORSEMENT, "Calm when things kick off."),
        ("Zara", "Freya", Voice.NOMINATION, "Gets people to the course who would never go."),
        ("Lowri", "Jodie", Voice.ENDORSEMENT, ""),
    ]
    for candidate, by, kind, comment in voices:
        Nomination.objects.create(
            candidate=candidates[candidate],
            by=people[by],
            kind=kind,
            comment=comment,
            recorded_on=today - timedelta(days=8),
        )
    for name, scores in [("Harriet", (4, 4, 3, 3, 4)), ("Lowri", (2, 4, 2, 3, 2)), ("Zara", (3, 3, 4, 3, 3))]:
        interview = Interview.objects.create(
            candidate=candidates[name], held_on=today - timedelta(days=3),
            **{criterion: score for (criterion, _), score in zip(CRITERIA, scores, strict=True)},
        )  # fmt: skip
        interview.interviewers.set([manager])


def load() -> list[str]:
    today = timezone.localdate()
    drake_hall = Establishment.objects.get(nomis_code="DHI")
    hamlet = Wing.objects.get(establishment=drake_hall, name="The Hamlet")
    MentoringSettings.objects.get_or_create(wing=hamlet)
    roles = _roles(drake_hall)
    for name, body, level, accredited in QUALIFICATIONS:
        Qualification.objects.update_or_create(
            name=name, defaults={"awarding_body": body, "level": level, "accredited": accredited}
        )
    officer = get_user_model().objects.get(username="officer.dhi")
    lifers = list(Resident.objects.filter(wing=hamlet, sentence_type=SentenceType.LIFE).current().order_by("pk")[:6])
    mentees = list(Resident.objects.filter(wing=hamlet).current().exclude(pk__in=[m.pk for m in lifers])[:12])
    for index, mentor in enumerate(lifers):
        RoleHolding.objects.get_or_create(
            resident=mentor, role=roles["Peer mentors"], ended_on=None,
            defaults={"started_on": max(mentor.arrived_on, today - timedelta(days=120))},
        )  # fmt: skip
        _training(mentor, today, index)
        _eight_weeks(mentor, index, today, officer, mentees)
    if lifers and not NextStep.objects.filter(resident=lifers[2]).exists():
        NextStep.objects.create(
            resident=lifers[2], target_role=roles["House Rep"], recorded_on=today - timedelta(days=4),
            recorded_by=officer, description="Sit in on the wing decision-making forum twice before standing",
        )  # fmt: skip
    manager = get_user_model().objects.get(username="manager.dhi")
    _open_round(hamlet, roles["Peer mentors"], manager, today)
    _earlier_round(hamlet, roles["Peer mentors"], manager, today, lifers)
    _training_now(hamlet, lifers, today)
    _thornbury_vale(today)
    return []


def _earlier_round(hamlet: Wing, role: PeerRole, manager, today, lifers: list[Resident]) -> None:
    """The round that appointed the last two lifers, four months ago, keeping one resident in
    reserve: the succession the study's lesson 2.3 asks a standard recruitment to give."""
    if RecruitmentRound.objects.filter(wing=hamlet, role=role, closed_on__isnull=False).exists() or len(lifers) < 6:
        return
    opened_on = today - timedelta(days=140)
    recruitment = RecruitmentRound.objects.create(
        role=role, wing=hamlet, opened_on=opened_on, closed_on=today - timedelta(days=118), places=2, opened_by=manager
    )
    waiting = set(
        Candidate.objects.filter(round__wing=hamlet, round__closed_on__isnull=True).values_list("resident", flat=True)
    )
    reserve = (
        Resident.objects.filter(wing=hamlet, arrived_on__lt=opened_on).current()
        .exclude(pk__in=[lifer.pk for lifer in lifers]).exclude(pk__in=waiting).order_by("arrived_on").first()
    )  # fmt: skip
    decided = today - timedelta(days=121)
    for resident, decision, reason in [
        (lifers[4], Decision.APPOINTED, ""),
        (lifers[5], Decision.APPOINTED, ""),
        (reserve, Decision.RESERVE, "Strong interview; to step in when a place comes free"),
    ]:
        if resident:
            Candidate.objects.create(
                round=recruitment, resident=resident, route=Route.STAFF, added_on=opened_on + timedelta(days=2),
                decision=decision, decision_reason=reason, decided_on=decided, decided_by=manager,
            )  # fmt: skip


def _training_now(hamlet: Wing, lifers: list[Resident], today) -> None:
    """A mentor on the Level 2 IAG now, another who completed it this week, and a candidate
    starting Level 1 before the panel decides."""
    if len(lifers) < 5:
        return
    iag, level_1 = (Qualification.objects.get(name=name) for name in (QUALIFICATIONS[2][0], QUALIFICATIONS[1][0]))
    people_plus = Organisation.objects.get(name="People Plus")
    completed = max(today - timedelta(days=today.weekday()), today.replace(day=1))  # this week and this month
    harriet = Resident.objects.filter(wing=hamlet, pseudonym="Harriet").current().first()
    for resident, qualification, status, hours, started, done in [
        (lifers[3], iag, TrainingStatus.IN_PROGRESS, "0", today - timedelta(days=30), None),
        (lifers[4], iag, TrainingStatus.ACHIEVED, "40", completed - timedelta(days=84), completed),
        (harriet, level_1, TrainingStatus.IN_PROGRESS, "0", today - timedelta(days=9), None),
    ]:
        if resident:
            TrainingRecord.objects.get_or_create(
                resident=resident, qualification=qualification, refresher=False,
                defaults={"provider": people_plus, "attained_at": "HMP Drake Hall", "status": status,
                          "learning_hours": Decimal(hours), "started_on": started, "completed_on": done},
            )  # fmt: skip


def _thornbury_vale(today) -> None:
    """Two peer mentors on the other prison's wing (one not yet supervised, so overdue), a week
    of contacts, one training and one trained this week, a round open for a third, and a Listener."""
    wing = Wing.objects.filter(establishment__nomis_code="ZTV").first()
    residents = list(Resident.objects.filter(wing=wing).current().order_by("arrived_on")[:3]) if wing else []
    if len(residents) < 3 or RoleHolding.objects.filter(resident__wing=wing).exists():
        return
    officer = get_user_model().objects.get(username="officer.other")
    MentoringSettings.objects.get_or_create(wing=wing)
    mentors_role, _ = PeerRole.objects.update_or_create(
        establishment=wing.establishment, title="Peer mentors",
        defaults={"pay": "unpaid", "induction": True, "single_issue": False, "bridging": True,
                  "representation": "wdf", "is_cfo_role": True, "places": 3, "order": 0},
    )  # fmt: skip
    PeerRole.objects.update_or_create(
        establishment=wing.establishment, title="Listener",
        defaults={"pay": "unpaid", "induction": True, "single_issue": True, "bridging": False, "order": 1},
    )  # fmt: skip
    first, second, candidate = residents
    now = timezone.now()
    for number, mentor in enumerate([first, second]):
        since = max(mentor.arrived_on, today - timedelta(days=60))
        RoleHolding.objects.create(resident=mentor, role=mentors_role, started_on=since)
        contacts = []
        for n in range(4 + number):
            evening = n == 0
            at = timezone.make_aware(
                datetime.combine(today - timedelta(days=n % 3), time(20, 0) if evening else time(10, 30))
            )
            if at > now:  # later today: it happened at that time yesterday instead
                at -= timedelta(days=1)
            contacts.append(
                MentorContact(
                    mentor=mentor, occurred_at=at, contact_type=ContactType.WELCOME, setting=Setting.HOUSEBLOCK,
                    minutes=15 + 5 * n, out_of_hours=evening, recorded_by=officer,
                )
            )  # fmt: skip
        MentorContact.objects.bulk_create(contacts)
    held_on = today - timedelta(days=3)
    SupervisionSession.objects.create(
        mentor=first, held_on=held_on, supervisor=officer, enough_down_time=True, out_of_hours_demands=False,
        next_due=held_on + timedelta(days=7),
    )  # fmt: skip
    level_1 = Qualification.objects.get(name=QUALIFICATIONS[1][0])
    completed = max(today - timedelta(days=today.weekday()), today.replace(day=1))  # this week and this month
    TrainingRecord.objects.create(
        resident=first, qualification=level_1, status=TrainingStatus.IN_PROGRESS, started_on=today - timedelta(days=20)
    )
    TrainingRecord.objects.create(
        resident=second, qualification=level_1, status=TrainingStatus.ACHIEVED, learning_hours=Decimal("12"),
        started_on=completed - timedelta(days=28), completed_on=completed,
    )  # fmt: skip
    recruitment = RecruitmentRound.objects.create(
        role=mentors_role, wing=wing, opened_on=today - timedelta(days=5), places=1, opened_by=officer
    )
    Candidate.objects.create(
        round=recruitment, resident=candidate, route=Route.SELF, added_on=today - timedelta(days=4)
    )
