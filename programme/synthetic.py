"""Synthetic programme for ``manage.py generate_data`` (see ``hamlet.synthetic``): at every
wing, a Phase 1 cohort every eight weeks over the five years, Phase 2 cohorts of those who
completed it, two sessions a week with every resident's mark, the weekly community meeting
(for the last two years) and the monthly Hamlet Improvement Group with who was there and
their actions, and a waiting list now. Referrals onto each wing: about one resident in ten
came through one (moved onto the wing the day they arrived), a few in twenty-five were
declined or withdrew over the years (their records closed), and a handful are open now
(people elsewhere in the establishment, on no wing yet).

At national scale that is about 70,000 enrolments, a million attendance marks and 20,000
meetings. Every enrolment falls within its resident's stay on the wing, a resident is in
one cohort of a phase at a time and starts Phase 2 only after completing Phase 1, and no
mark is for a session in the future.
"""

import bisect
import random
from datetime import time, timedelta

from hamlet.synthetic import Context, aware, day_between, insert_rows
from programme import models
from residents.models import AgeBand, DepartureReason, Resident, SentenceType, Stage
from residents.synthetic import prison_number

VOLUMES = {
    "small": {"cohort_every_days": 56, "community_weeks": 26},
    "national": {"cohort_every_days": 56, "community_weeks": 104},
}
MARKS = [models.Mark.ATTENDED] * 16 + [models.Mark.SICK, models.Mark.REFUSED, models.Mark.REST_DAY, models.Mark.CLASH]
WEEKS = 8


class _Ids:
    """The next id of each table: explicit ids let each row name the rows it belongs to."""

    def __init__(self):
        self.last: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self.last[table] = self.last.get(table, 0) + 1
        return self.last[table]


def generate(*, scale: str, rng: random.Random, context: Context) -> None:
    volumes = VOLUMES[scale]
    today = context.today
    ids = _Ids()
    by_wing: dict[int, list[tuple]] = {}
    for row in context.residents:
        by_wing.setdefault(row[2], []).append(row)
    cohorts, enrolments, sessions, marks = [], [], [], []
    for wing in context.wings:
        people = sorted(by_wing.get(wing.pk, []), key=lambda row: row[3])
        arrivals = [row[3] for row in people]
        staff = context.staff.get(wing.establishment_id, [None])
        completed_phase_1: list[tuple] = []  # residents free for Phase 2, with when they completed
        done_phase_1: set[int] = set()
        start = (wing.pilot_start or today - timedelta(days=5 * 365)) + timedelta(days=rng.randint(7, 30))
        number = 0
        while start <= today + timedelta(days=28):
            number += 1
            for phase in models.Phase:
                if phase == models.Phase.PHASE_1:
                    # Those on the wing a fortnight before the start who stay the eight weeks.
                    arrived = people[: bisect.bisect_right(arrivals, start - timedelta(days=14))]
                    fits = [
                        row
                        for row in arrived
                        if row[0] not in done_phase_1 and (row[4] is None or row[4] > start + timedelta(weeks=WEEKS))
                    ]
                else:
                    stays = start + timedelta(weeks=WEEKS)
                    fits = [
                        row
                        for row, finished in completed_phase_1
                        if finished < start and (row[4] is None or row[4] > stays)
                    ]
                group = rng.sample(fits, min(len(fits), rng.randint(8, 10)))
                if not group:
                    continue
                cohort_id = ids("cohort")
                ends = start + timedelta(weeks=WEEKS, days=-1)
                running = start <= today
                status = (
                    models.CohortStatus.FINISHED
                    if ends < today
                    else models.CohortStatus.RUNNING
                    if running
                    else models.CohortStatus.PLANNED
                )
                cohorts.append(
                    (
                        cohort_id,
                        wing.pk,
                        phase,
                        f"{'Cohort' if phase == 'phase_1' else 'Give back'} {number}",
                        start,
                        ends,
                        "Synthetic classroom",
                        status,
                    )
                )
                days = [start + timedelta(days=offset) for offset in range(WEEKS * 7) if offset % 7 in (1, 3)]
                session_ids = []
                for day in days:
                    session_id = ids("session")
                    session_ids.append((session_id, day))
                    sessions.append(
                        (
                            session_id,
                            cohort_id,
                            day,
                            time(9, 30),
                            time(12),
                            models.Topic.THINKING_SKILLS if phase == "phase_1" else models.Topic.COMMUNITY_PROJECT,
                            models.DeliveredBy.PRIME_PROVIDER,
                            "",
                        )
                    )
                for row in group:
                    finished = status == models.CohortStatus.FINISHED
                    left = finished and rng.random() < 0.15
                    ended = start + timedelta(days=rng.randint(7, 40)) if left else (ends if finished else None)
                    enrolment_status = (
                        models.EnrolmentStatus.WITHDRAWN
                        if left
                        else models.EnrolmentStatus.COMPLETED
                        if finished
                        else models.EnrolmentStatus.ENROLLED
                    )
                    enrolments.append(
                        (
                            ids("enrolment"),
                            cohort_id,
                            row[0],
                            phase,
                            start - timedelta(days=7),
                            enrolment_status,
                            ended,
                            "priorities" if left else "",
                            "Synthetic reason" if left else "",
                            ends + timedelta(days=4) if finished and not left else None,
                        )
                    )
                    for session_id, day in session_ids:
                        if day <= today and (ended is None or day <= ended):
                            marks.append(
                                (
                                    ids("attendance"),
                                    session_id,
                                    row[0],
                                    rng.choice(MARKS),
                                    rng.choice(staff),
                                    aware(day, 12),
                                )
                            )
                    if phase == models.Phase.PHASE_1:
                        done_phase_1.add(row[0])
                        if finished and not left:
                            completed_phase_1.append((row, ends))
                    else:
                        completed_phase_1 = [(r, f) for r, f in completed_phase_1 if r[0] != row[0]]
            start += timedelta(days=volumes["cohort_every_days"])
    insert_rows(
        models.Cohort,
        ["id", "wing_id", "phase", "name", "starts_on", "ends_on", "location", "status"],
        cohorts,
        context,
    )
    insert_rows(
        models.Session,
        ["id", "cohort_id", "on", "starts_at", "ends_at", "topic", "delivered_by", "location"],
        sessions,
        context,
    )
    insert_rows(
        models.Enrolment,
        [
            "id",
            "cohort_id",
            "resident_id",
            "phase",
            "enrolled_on",
            "status",
            "ended_on",
            "end_reason",
            "justification",
            "graduated_on",
        ],
        enrolments,
        context,
    )
    insert_rows(
        models.Attendance, ["id", "session_id", "resident_id", "mark", "recorded_by_id", "recorded_at"], marks, context
    )
    _meetings(volumes, rng, context, by_wing, ids)
    _referrals(rng, context, by_wing, ids)
    context.extra["programme"] = {"enrolments": len(enrolments), "marks": len(marks), "cohorts": len(cohorts)}


def _meetings(volumes, rng: random.Random, context: Context, by_wing: dict, ids: _Ids) -> None:
    today = context.today
    meetings, attendees, actions = [], [], []
    for wing in context.wings:
        people = by_wing.get(wing.pk, [])
        held = [
            (models.MeetingKind.COMMUNITY, today - timedelta(weeks=week, days=rng.randint(0, 2)))
            for week in range(volumes["community_weeks"])
        ]
        held += [(models.MeetingKind.HIG, today - timedelta(days=30 * month + 3)) for month in range(60)]
        recorder = context.managers.get(wing.establishment_id)
        for kind, on in held:
            if wing.pilot_start and on < wing.pilot_start:
                continue
            meeting_id = ids("meeting")
            meetings.append((meeting_id, wing.pk, kind, on, "CFO Custody Manager", "Synthetic minutes", recorder))
            there = [row for row in people if row[3] <= on and (row[4] is None or row[4] >= on)]
            for row in rng.sample(there, min(len(there), rng.randint(5, 12))):
                attendees.append((ids("attendee"), meeting_id, row[0], False))
            status = models.ActionStatus.OPEN if on > today - timedelta(days=30) else models.ActionStatus.DONE
            done = on + timedelta(days=7) if status == models.ActionStatus.DONE else None
            actions.append((ids("action"), meeting_id, "Synthetic action", on + timedelta(days=14), status, done))
    insert_rows(
        models.Meeting, ["id", "wing_id", "kind", "held_on", "chair", "minutes", "recorded_by_id"], meetings, context
    )
    insert_rows(models.MeetingAttendee, ["id", "meeting_id", "resident_id", "as_peer_mentor"], attendees, context)
    insert_rows(models.Action, ["id", "meeting_id", "description", "due_on", "status", "done_on"], actions, context)


OPEN_REFERRAL_PATHS = [
    [models.ReferralStatus.REFERRED],
    [models.ReferralStatus.REFERRED, models.ReferralStatus.ASSESSED],
    [models.ReferralStatus.REFERRED, models.ReferralStatus.ASSESSED, models.ReferralStatus.ACCEPTED],
]
CLOSED_REFERRAL_PATHS = [
    [models.ReferralStatus.REFERRED, models.ReferralStatus.ASSESSED, models.ReferralStatus.DECLINED],
    [models.ReferralStatus.REFERRED, models.ReferralStatus.WITHDRAWN],
    [models.ReferralStatus.REFERRED, models.ReferralStatus.ASSESSED, models.ReferralStatus.ACCEPTED,
     models.ReferralStatus.WITHDRAWN],
]  # fmt: skip
MOVED_PATH = [
    models.ReferralStatus.REFERRED,
    models.ReferralStatus.ASSESSED,
    models.ReferralStatus.ACCEPTED,
    models.ReferralStatus.MOVED,
]


def _referrals(rng: random.Random, context: Context, by_wing: dict, ids: _Ids) -> None:
    """Referrals onto every wing, with the people on no wing they are about (numbered after
    the residents app's, with synthetic prison numbers the same way)."""
    today = context.today
    first_day = today - timedelta(days=5 * 365)
    next_resident = max((row[0] for row in context.residents), default=0) + 1
    people, referrals, moves = [], [], []

    def refer(wing, resident_id: int, path: list, dates: list, staff: list) -> None:
        referral_id = ids("referral")
        reason = "Synthetic reason" if path[-1] == models.ReferralStatus.DECLINED else ""
        for step, (status, on) in enumerate(zip(path, dates, strict=True)):
            before = path[step - 1] if step else ""
            moves.append(
                (ids("referralmove"), referral_id, before, status, on, reason if step else "", rng.choice(staff))
            )
        referrals.append(
            (referral_id, resident_id, wing.pk, rng.choice(models.ReferralSource.values), "Synthetic referral",
             dates[0], path[-1], dates[-1], reason, rng.choice(staff))
        )  # fmt: skip

    def not_on_a_wing(wing, closed_on) -> int:
        nonlocal next_resident
        pk, next_resident = next_resident, next_resident + 1
        people.append(
            (pk, prison_number(pk), f"Referred {pk}",
             wing.establishment_id, rng.choice(SentenceType.values), rng.choice(AgeBand.values), closed_on,
             DepartureReason.REFERRAL_CLOSED if closed_on else "", Stage.NOT_ENGAGED)
        )  # fmt: skip
        return pk

    def dated(path: list, referred_on) -> list:
        later = sorted(day_between(rng, referred_on, min(today, referred_on + timedelta(days=60))) for _ in path[1:])
        return [referred_on, *later]

    for wing in context.wings:
        staff = context.staff.get(wing.establishment_id, [None])
        residents = by_wing.get(wing.pk, [])
        # About one in ten came onto the wing through a referral, moving onto it the day they arrived.
        for row in rng.sample(residents, len(residents) // 10):
            referred_on = row[3] - timedelta(days=rng.randint(14, 60))
            dates = [referred_on, referred_on + timedelta(days=5), referred_on + timedelta(days=10), row[3]]
            refer(wing, row[0], MOVED_PATH, dates, staff)
        # Some never came: each record closed the day its referral did.
        for _ in range(max(1, len(residents) // 25)):
            path = rng.choice(CLOSED_REFERRAL_PATHS)
            dates = dated(path, day_between(rng, first_day, today - timedelta(days=61)))
            refer(wing, not_on_a_wing(wing, closed_on=dates[-1]), path, dates, staff)
        # And a few are open now: elsewhere in the establishment, on no wing yet.
        for _ in range(rng.randint(2, 5)):
            path = rng.choice(OPEN_REFERRAL_PATHS)
            dates = dated(path, today - timedelta(days=rng.randint(0, 45)))
            refer(wing, not_on_a_wing(wing, closed_on=None), path, dates, staff)
    insert_rows(
        Resident,
        ["id", "prison_number", "pseudonym", "establishment_id", "sentence_type", "age_band", "departed_on",
         "departure_reason", "stage"],
        people,
        context,
    )  # fmt: skip
    insert_rows(
        models.Referral,
        ["id", "resident_id", "wing_id", "referred_by", "why", "referred_on", "status", "status_on", "reason",
         "recorded_by_id"],
        referrals,
        context,
    )  # fmt: skip
    insert_rows(
        models.ReferralMove, ["id", "referral_id", "from_status", "to_status", "on", "reason", "by_id"], moves, context
    )
