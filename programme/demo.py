"""Demo programme for the Hamlet: three finished Phase 1 cohorts and one running, a running
Phase 2 cohort of those who completed Phase 1, a waiting list in every status, realistic
attendance with two corrections, a cancelled session and one moved off a bank holiday,
eight weekly community meetings and four Hamlet Improvement Groups with actions and
answered suggestions; referrals onto the wing from the main prison in every status (two
lifers among them, one considered by the open recruitment round, one moved onto the wing);
and a smaller set at the other establishment. Built through the services, so every rule holds.
Loaded once: a wing that already has cohorts is left alone."""

from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from hamlet.models import Wing
from mentoring import services as mentoring_services
from mentoring.models import RecruitmentRound
from mentoring.selectors import mentors_on
from programme import calendar, services
from programme.models import (
    Action,
    ActionStatus,
    Beneficiary,
    CancelReason,
    Cohort,
    DeliveredBy,
    Mark,
    Meeting,
    MeetingKind,
    Phase,
    Project,
    ProjectHours,
    ProjectStatus,
    Proposer,
    Referral,
    ReferralSource,
    ReferralStatus,
    Referrer,
    Suggestion,
    Topic,
    WaitingListEntry,
    WaitingStatus,
    WithdrawalReason,
)
from residents.models import AgeBand, Resident, SentenceType

# A resident's mark at a session, by a fixed pattern: about four in five attended.
PATTERN = [Mark.ATTENDED] * 15 + [Mark.SICK, Mark.REFUSED, Mark.REST_DAY, Mark.CLASH, Mark.ATTENDED]


def _approved(resident: Resident, phase: str, on: date, by, referred_by: str = Referrer.WING_STAFF):
    entry = services.waiting_add(
        entry=WaitingListEntry(resident=resident, phase=phase, referred_by=referred_by, referred_on=on), by=by
    )
    return services.waiting_move(entry=entry, to=WaitingStatus.APPROVED, on=on, reason="", by=by, version=1)


def _register(cohort: Cohort, by, today: date, mentors: list[Resident]) -> None:
    for number, session in enumerate(cohort.sessions.filter(on__lte=today, cancel_reason="")):
        people = [enrolment.resident for enrolment in cohort.enrolments.all() if enrolment.enrolled_on <= session.on]
        rows = []
        for place, resident in enumerate(people):
            mark = PATTERN[(place * 7 + number * 3) % len(PATTERN)]
            helper = mentors[place % len(mentors)] if mentors and mark == Mark.ATTENDED and place % 3 == 0 else None
            rows.append(services.MarkEntry(resident=resident, mark=mark, supported_by=helper))
        co_delivering = mentors[:1] if mentors and number % 2 == 0 else []
        session.refresh_from_db(fields=["version"])
        services.register_save(
            session=session, rows=rows, co_delivered_by=co_delivering, version=session.version, by=by
        )


def _cohort(wing, phase, name, start: date, residents, *, by, today, finish: bool, weekdays=(1, 3)) -> Cohort:
    """A cohort of ``residents`` from the waiting list, started, its register taken; if
    ``finish``, all but one complete and graduate and the last leaves for other priorities."""
    mentors = list(mentors_on(wing, by).order_by("pseudonym")[:2])
    entries = [_approved(resident, phase, start - timedelta(days=21), by) for resident in residents]
    cohort = services.cohort_create(
        cohort=Cohort(wing=wing, phase=phase, name=name, starts_on=start, location=""),
        facilitators=[by],
        peer_mentors=mentors,
    )
    topics = [Topic.SELF_REFLECTION, Topic.THINKING_SKILLS] if phase == Phase.PHASE_1 else [Topic.COMMUNITY_PROJECT]
    delivered = DeliveredBy.PRIME_PROVIDER if phase == Phase.PHASE_1 else DeliveredBy.CFO_STAFF
    for index, day in enumerate(weekdays):
        services.sessions_generate(
            cohort=cohort,
            weekdays=[day],
            starts_at=time(9, 30),
            ends_at=time(12),
            topic=topics[index % len(topics)],
            delivered_by=delivered,
        )
    services.cohort_enrol(cohort=cohort, entries=entries, on=start - timedelta(days=7), accept_size=True, by=by)
    services.cohort_start(cohort=cohort, by=by)
    _register(cohort, by, today, mentors)
    if finish:
        enrolments = list(cohort.enrolments.open().select_related("resident"))
        for place, enrolment in enumerate(enrolments):
            if place == len(enrolments) - 1:
                services.enrolment_withdraw(
                    enrolment=enrolment,
                    ended_on=start + timedelta(weeks=5),
                    reason=WithdrawalReason.PRIORITIES,
                    by=by,
                    justification="Took up a full-time place in the kitchens",
                )
            else:
                services.enrolment_complete(
                    enrolment=enrolment,
                    ended_on=cohort.ends_on,
                    by=by,
                    graduated_on=cohort.ends_on + timedelta(days=4),
                    attended_ceremony=place % 4 != 3,
                )
        services.cohort_finish(cohort=cohort)
    return cohort


def _bank_holiday_start(today: date) -> date:
    """A Monday 12 weeks or so ago whose cohort's eight weeks hold a bank holiday Monday."""
    day = today - timedelta(days=100)
    while not (day.weekday() == 0 and calendar.is_bank_holiday(day)):
        day -= timedelta(days=1)
    return day - timedelta(weeks=2)


def _hamlet(today: date) -> None:
    users = get_user_model().objects
    officer, manager = users.get(username="officer.dhi"), users.get(username="manager.dhi")
    wing = Wing.objects.get(establishment__nomis_code="DHI", name="The Hamlet")
    if Cohort.objects.filter(wing=wing).exists():
        return
    people = list(
        Resident.objects.current().filter(wing=wing).exclude(sentence_type=SentenceType.LIFE).order_by("arrived_on")
    )

    def arrived_by(day: date, count: int, taken: set) -> list[Resident]:
        chosen = [
            person for person in people if person.arrived_on <= day - timedelta(days=28) and person.pk not in taken
        ]
        return chosen[:count]

    taken: set[int] = set()
    starts = [today - timedelta(days=300), _bank_holiday_start(today), today - timedelta(days=140)]
    finished = []
    for number, start in enumerate(starts, start=1):
        group = arrived_by(start, 6, taken)
        taken |= {person.pk for person in group}
        weekdays = (0, 3) if number == 2 else (1, 3)
        finished.append(
            _cohort(
                wing,
                Phase.PHASE_1,
                f"Cohort {number}",
                start,
                group,
                by=officer,
                today=today,
                finish=True,
                weekdays=weekdays,
            )
        )
    # Phase 2 for those who completed the first two cohorts.
    graduates = [e.resident for cohort in finished[:2] for e in cohort.enrolments.filter(status="completed")][:8]
    phase_2 = _cohort(
        wing,
        Phase.PHASE_2,
        "Give back 1",
        today - timedelta(days=24),
        graduates,
        by=officer,
        today=today,
        finish=False,
        weekdays=(0, 2, 4),
    )
    running = _cohort(
        wing,
        Phase.PHASE_1,
        "Cohort 4",
        today - timedelta(days=18),
        arrived_by(today, 8, taken),
        by=officer,
        today=today,
        finish=False,
    )
    taken |= {e.resident_id for e in running.enrolments.all()}
    _corrections_and_cancellation(running, phase_2, officer, manager, today)
    _projects(wing, phase_2, officer, today)
    _waiting_list(wing, [p for p in people if p.pk not in taken], officer, today)
    _meetings(wing, today, officer, manager)


PROJECTS = [
    # title, idea, proposed by, for whom, who outside, status
    ("Herbs for the landings", "Grow herbs in the workshop and pot them up for each landing.", Proposer.RESIDENT,
     Beneficiary.WING, "", ProjectStatus.RUNNING),
    ("Blankets for the hospice", "Knit blankets for the local hospice's day room.", Proposer.PEER_MENTOR,
     Beneficiary.CHARITY, "A hospice near the prison", ProjectStatus.RUNNING),
    ("A welcome pack for new arrivals", "What we wish we had known on our first night.", Proposer.MEETING,
     Beneficiary.WING, "", ProjectStatus.IDEA),
]  # fmt: skip


def _projects(wing, phase_2: Cohort, officer, today: date) -> None:
    """The Phase 2 cohort's community projects, with hours given on its weekdays so far."""
    projects = [
        services.project_add(
            project=Project(wing=wing, title=title, idea=idea, proposed_by=by, for_whom=whom, beneficiary=outside,
                            status=status)
        )
        for title, idea, by, whom, outside, status in PROJECTS
    ]  # fmt: skip
    givers = [enrolment.resident for enrolment in phase_2.enrolments.filter(status="enrolled")]
    day = phase_2.starts_on
    while day <= today:
        if day.weekday() < 5:
            for index, resident in enumerate(givers):
                project = projects[(index + day.day) % 2]
                hours = Decimal(2 + (index + day.day) % 3)
                entry = ProjectHours(project=project, resident=resident, on=day, hours=hours)
                services.hours_log(entry=entry, by=officer)
        day += timedelta(days=1)


def _corrections_and_cancellation(running: Cohort, phase_2: Cohort, officer, manager, today: date) -> None:
    """Two marks corrected a day later by the custody manager, and a session cancelled."""
    first = running.sessions.filter(on__lte=today).first()
    if first is not None:
        marks = list(first.attendances.select_related("resident").order_by("resident__pseudonym")[:2])
        rows = [
            services.MarkEntry(resident=mark.resident, mark=Mark.CLASH if index else Mark.SICK)
            for index, mark in enumerate(marks)
        ]
        first.refresh_from_db(fields=["version"])
        services.register_save(
            session=first, rows=rows, co_delivered_by=first.co_delivered_by.all(), version=first.version, by=manager
        )
    upcoming = phase_2.sessions.filter(on__gt=today).first()
    if upcoming is not None:
        services.session_cancel(
            session=upcoming,
            reason=CancelReason.STAFF_TRAINING,
            version=upcoming.version,
            note="CFO team's first-aid refresher",
        )


def _waiting_list(wing, people: list[Resident], by, today: date) -> None:
    """Someone in every status, referred by different people."""
    plan = [
        (Referrer.SELF, None, ""),
        (Referrer.PEER_MENTOR, None, ""),
        (Referrer.CASE_MANAGER, WaitingStatus.APPROVED, ""),
        (Referrer.KEYWORKER, WaitingStatus.APPROVED, ""),
        (Referrer.WING_STAFF, WaitingStatus.DECLINED, "Not ready yet: agreed to try pre-engagement support first"),
        (Referrer.OTHER, WaitingStatus.WITHDRAWN, "Changed her mind after a taster session"),
        (Referrer.WING_STAFF, WaitingStatus.REMOVED, "Starting full-time education in the Education Building"),
    ]
    for index, (person, (referred_by, to, reason)) in enumerate(zip(people, plan, strict=False)):
        on = max(person.arrived_on, today - timedelta(days=30 - 3 * index))
        entry = services.waiting_add(
            entry=WaitingListEntry(resident=person, phase=Phase.PHASE_1, referred_by=referred_by, referred_on=on),
            by=by,
        )
        if to:
            services.waiting_move(
                entry=entry, to=to, on=min(today, on + timedelta(days=2)), reason=reason, by=by, version=entry.version
            )


SUGGESTIONS = [
    (
        "box",
        "A rota for the washing machines so no one waits all evening",
        "adopted",
        "A weekly rota on the laundry door, drawn up by the house reps",
        "collected",
    ),
    (
        "course_form",
        "More sessions with the lived-experience tutor",
        "adapted",
        "Her sessions are now every other week instead of once a course",
        "handed_out",
    ),
    ("box", "Plants for the landing", "adopted", "The Arts and Craft workshop potted herbs for each landing", "none"),
    ("box", "Later lock-up on Fridays", "declined", "", "brought"),
    ("course_form", "A quiet room on Sunday afternoons", "", "", "none"),
]
ACTIONS = [
    "Ask the garden party for seeds",
    "Put the laundry rota on the door",
    "Book the gym for team building",
    "Invite the Prisoner Council rep to the next meeting",
    "Find a second lived-experience session",
    "Agree a welcome pack with the house reps",
]


def _meetings(wing, today: date, officer, manager) -> None:
    """Eight weekly community meetings and four Hamlet Improvement Groups, with actions, some
    done and some carried forward, and the suggestions they answered."""
    residents = list(Resident.objects.current().filter(wing=wing).order_by("pseudonym")[:14])
    mentors = list(mentors_on(wing, officer).order_by("pseudonym")[:2])
    held = []
    for week in range(8, 0, -1):
        held.append((MeetingKind.COMMUNITY, today - timedelta(weeks=week, days=-1), "CFO Prison Officer"))
    for month in range(4, 0, -1):
        held.append((MeetingKind.HIG, today - timedelta(days=30 * month - 3), "CFO Custody Manager"))
    meetings = {}
    for number, (kind, on, chair) in enumerate(sorted(held, key=lambda item: item[1])):
        there = residents[number % 4 : number % 4 + 8] + mentors
        meeting = services.meeting_record(
            meeting=Meeting(
                wing=wing,
                kind=kind,
                held_on=on,
                chair=chair,
                minutes="Residents raised the laundry queue and the state of the landing plants. "
                "The peer mentors reported on welcoming two newcomers.",
            ),
            staff_present=[officer, manager] if kind == MeetingKind.HIG else [officer],
            attendees=list(dict.fromkeys(there)),
            peer_mentors=mentors,
            by=officer,
        )
        meetings.setdefault(kind, []).append(meeting)
        if number < len(ACTIONS):
            owner = {"owner_staff": officer} if number % 2 else {"owner_resident": there[0]}
            action = services.action_add(
                action=Action(meeting=meeting, description=ACTIONS[number], due_on=on + timedelta(days=14), **owner)
            )
            if number % 3 == 0:
                services.action_review(
                    action=action,
                    status=ActionStatus.DONE,
                    done_on=on + timedelta(days=6),
                    at=None,
                    version=action.version,
                )
    for number, (source, text, answer, we_did, part) in enumerate(SUGGESTIONS):
        hig = meetings[MeetingKind.HIG][min(number, 3)]
        suggestion = services.suggestion_add(
            suggestion=Suggestion(
                wing=wing, source=source, received_on=hig.held_on - timedelta(days=5), text=text, mentor_part=part
            )
        )
        if answer:
            suggestion.meeting, suggestion.answer, suggestion.we_did = hig, answer, we_did
            suggestion.reason = "The regime sets lock-up times for the whole prison" if answer == "declined" else ""
            suggestion.done_on = min(today, hig.held_on + timedelta(days=10)) if we_did else None
            services.suggestion_answer(suggestion=suggestion, version=suggestion.version)


def _other(today: date) -> None:
    officer = get_user_model().objects.get(username="officer.other")
    residents = list(
        Resident.objects.current().filter(establishment__nomis_code="ZTV", wing__isnull=False).order_by("arrived_on")
    )
    if not residents or Cohort.objects.filter(wing=residents[0].wing).exists():
        return
    wing = residents[0].wing
    start = today - timedelta(days=10)
    group = [person for person in residents if person.arrived_on <= start][:5]
    _cohort(wing, Phase.PHASE_1, "Cohort A", start, group, by=officer, today=today, finish=False)


# People elsewhere in Drake Hall referred onto the Hamlet: (pseudonym, sentence, age band,
# who referred them, why, the statuses they went through after "referred", and a reason).
REFERRALS = [
    ("Aurelia", SentenceType.LIFE, AgeBand.FORTIES, ReferralSource.CFO_OFFICER,
     "Interviewed on her house unit for a peer role; a calm voice other lifers listen to.",
     [ReferralStatus.ASSESSED, ReferralStatus.ACCEPTED], ""),
    ("Briony", SentenceType.INTERMEDIATE, AgeBand.UNDER_25, ReferralSource.SELF,
     "Asked a peer mentor at education how to get onto the Hamlet.", [], ""),
    ("Cressida", SentenceType.LIFE, AgeBand.FIFTIES, ReferralSource.CASE_MANAGER,
     "Her case manager thinks the wing would help her sentence plan; wary of groups.",
     [ReferralStatus.ASSESSED], ""),
    ("Delphine", SentenceType.SHORT, AgeBand.UNDER_30, ReferralSource.PEER_MENTOR,
     "Met the Ambassador at the induction stand; wants to do the course.",
     [ReferralStatus.ASSESSED, ReferralStatus.ACCEPTED, ReferralStatus.MOVED], ""),
    ("Esme", SentenceType.REMAND, AgeBand.THIRTIES, ReferralSource.WING_STAFF,
     "Her wing officer asked for support with anxiety.",
     [ReferralStatus.ASSESSED, ReferralStatus.DECLINED], "On remand: to be referred again once sentenced"),
    ("Fenella", SentenceType.INTERMEDIATE, AgeBand.THIRTIES, ReferralSource.OTHER,
     "Referred by the chaplaincy.", [ReferralStatus.WITHDRAWN], "She chose to stay on her own unit"),
]  # fmt: skip


def _referrals(today: date) -> None:
    wing = Wing.objects.get(establishment__nomis_code="DHI", name="The Hamlet")
    if Referral.objects.filter(wing=wing).exists():
        return
    officer = get_user_model().objects.get(username="officer.dhi")
    # Delphine moves onto the wing before a room is allocated: the demo keeps its free rooms.
    for number, (name, sentence, age, source, why, moves, reason) in enumerate(REFERRALS, start=1):
        referred_on = today - timedelta(days=6 * number + 10)
        person = Resident(prison_number=f"R{1000 + number}DH", pseudonym=name, sentence_type=sentence, age_band=age)
        referral = services.referral_add(
            referral=Referral(wing=wing, referred_by=source, why=why, referred_on=referred_on),
            resident=person,
            by=officer,
        )
        for step, to in enumerate(moves, start=1):
            services.referral_move(
                referral=referral,
                to=to,
                on=referred_on + timedelta(days=3 * step),
                reason=reason if to in (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN) else "",
                by=officer,
                version=referral.version,
            )
    # The open recruitment round considers the lifer interviewed in the main prison.
    recruitment = RecruitmentRound.objects.filter(wing=wing, closed_on__isnull=True).first()
    if recruitment is not None:
        lifer = Resident.objects.get(establishment=wing.establishment, prison_number="R1001DH")
        mentoring_services.candidate_add(round=recruitment, resident=lifer, route="staff")


def load() -> list[str]:
    today = timezone.localdate()
    _hamlet(today)
    _other(today)
    _referrals(today)
    return []
