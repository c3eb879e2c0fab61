"""Synthetic mentoring for ``manage.py generate_data`` (see ``hamlet.synthetic``): the
Appendix 2 roles at every establishment, peer mentors and other role holders among the
residents who stayed long enough, their training, supervision and contact log, recruitment
rounds with candidates, nominations and interviews, and the audit trail of all of it.

Every date falls within the resident's stay and the holding it belongs to, no one holds a
role twice at once, and no contact or session is in the future.
"""

import bisect
import random
from datetime import timedelta
from decimal import Decimal

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from hamlet.synthetic import Context, aware, created_changes, day_between, insert_rows, log_entry, log_entry_columns
from hamlet.synthetic import weights as establishment_weights
from mentoring.demo import APPENDIX_2, PATHWAY, QUALIFICATIONS
from mentoring.models import (
    CRITERIA,
    Candidate,
    ContactType,
    Decision,
    HoldingEnd,
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
    SupervisionKind,
    SupervisionSession,
    TrainingRecord,
    TrainingStatus,
    Voice,
)

VOLUMES = {
    "small": {"current_mentors": 8, "contacts": 6_000, "supervision": 600, "round_every_days": 240},
    "national": {"current_mentors": 12, "contacts": 500_000, "supervision": 25_000, "round_every_days": 180},
}
CFO_ROLE = "Peer mentors"


def generate(*, scale: str, rng: random.Random, context: Context) -> None:
    volumes = VOLUMES[scale]
    today = context.today
    roles, cfo_role = _roles(context)
    qualifications = [
        Qualification(pk=index + 1, name=name, awarding_body=body, level=level, accredited=accredited)
        for index, (name, body, level, accredited) in enumerate(QUALIFICATIONS)
    ]
    Qualification.objects.bulk_create(qualifications)
    MentoringSettings.objects.bulk_create(MentoringSettings(pk=wing.pk, wing=wing) for wing in context.wings)
    context.models_written |= {PeerRole, Qualification, MentoringSettings}

    by_wing: dict[int, list[tuple]] = {}
    for row in context.residents:
        by_wing.setdefault(row[2], []).append(row)
    holdings, mentor_holdings = [], []  # (pk, resident, role, started, ended, reason); mentor ones also (…, wing)
    for wing in context.wings:
        people = by_wing[wing.pk]
        long_stayers_now = [row for row in people if row[4] is None and (today - row[3]).days >= 60]
        mentors_now = {
            row[0] for row in rng.sample(long_stayers_now, min(volumes["current_mentors"], len(long_stayers_now)))
        }  # noqa: E501
        other_roles = [role for role in roles[wing.establishment_id] if role != cfo_role[wing.establishment_id]]
        for pk, _establishment, _wing, arrived, departed in people:
            end = departed or today
            stay = (end - arrived).days
            if stay < 45:
                continue
            started = arrived + timedelta(days=rng.randint(21, max(21, min(90, stay // 3))))
            ending = (departed, HoldingEnd.LEFT_WING) if departed else (None, "")
            if pk in mentors_now or (departed and stay >= 90 and rng.random() < 0.12):
                holding = (len(holdings) + 1, pk, cfo_role[wing.establishment_id], started, *ending)
                holdings.append(holding)
                mentor_holdings.append((*holding, wing))
            if rng.random() < 0.2:
                role = rng.choice(other_roles)
                holdings.append((len(holdings) + 1, pk, role, started + timedelta(days=rng.randint(0, 10)), *ending))
    # A holding cannot start after its stay ended, nor in the future.
    holdings = [(pk, r, role, min(s, e or today), e, why) for pk, r, role, s, e, why in holdings]
    mentor_holdings = [(pk, r, role, min(s, e or today), e, why, w) for pk, r, role, s, e, why, w in mentor_holdings]
    insert_rows(
        RoleHolding,
        ["id", "resident_id", "role_id", "started_on", "ended_on", "end_reason", "end_note"],
        ((*holding, "") for holding in holdings),
        context,
    )
    contacts = _contacts(volumes, mentor_holdings, by_wing, rng, context)
    sessions = _supervision(volumes, mentor_holdings, rng, context)
    _training(qualifications, mentor_holdings, rng, context)
    _next_steps(mentor_holdings, roles, rng, context)
    _recruitment(volumes, by_wing, cfo_role, mentor_holdings, rng, context)
    _audit_trail(holdings, contacts, sessions, rng, context)


def _roles(context: Context) -> tuple[dict[int, list[int]], dict[int, int]]:
    rows, roles, cfo_role = [], {}, {}
    for establishment in context.establishments:
        for order, (title, pay, note, induction, single, bridging, representation, notes) in enumerate(APPENDIX_2):
            pk = len(rows) + 1
            rows.append(
                PeerRole(
                    pk=pk, establishment=establishment, title=title, pay=pay, pay_note=note, induction=induction,
                    single_issue=single, bridging=bridging, representation=representation, notes=notes,
                    is_cfo_role=title == CFO_ROLE, pathway_step=PATHWAY.get(title), order=order,
                )
            )  # fmt: skip
            roles.setdefault(establishment.pk, []).append(pk)
            if title == CFO_ROLE:
                cfo_role[establishment.pk] = pk
    PeerRole.objects.bulk_create(rows)
    return roles, cfo_role


def _contacts(volumes, mentor_holdings, by_wing, rng: random.Random, context: Context) -> list[tuple]:
    """Each wing's share of the contacts, spread over its mentors by how long each held
    the role; the mentee, when there is one, was on the wing that day."""
    today = context.today
    yesterday = today - timedelta(days=1)
    shares = dict(zip((wing.pk for wing in context.wings), establishment_weights(len(context.wings)), strict=True))
    total_share = sum(shares.values())
    arrivals = {wing: sorted(people, key=lambda row: row[3]) for wing, people in by_wing.items()}
    arrival_days = {wing: [row[3] for row in people] for wing, people in arrivals.items()}
    contacts = []
    for wing in context.wings:
        held = [h for h in mentor_holdings if h[6] is wing and h[3] <= yesterday]
        days = [((h[4] or yesterday) - h[3]).days + 1 for h in held]
        budget = round(volumes["contacts"] * shares[wing.pk] / total_share)
        for holding, length in zip(held, days, strict=True):
            _pk, mentor, _role, started, ended = holding[:5]
            last = min(ended or yesterday, yesterday)
            for _ in range(round(budget * length / sum(days))):
                on = day_between(rng, started, last)
                out_of_hours = rng.random() < 0.2
                hour = rng.randint(18, 21) if out_of_hours else rng.randint(8, 17)
                mentee = None
                if rng.random() < 0.75:
                    candidates = arrivals[wing.pk][: bisect.bisect_right(arrival_days[wing.pk], on)]
                    for _try in range(4):
                        row = rng.choice(candidates)
                        if row[0] != mentor and (row[4] is None or row[4] >= on):
                            mentee = row[0]
                            break
                contacts.append(
                    (
                        len(contacts) + 1,
                        mentor,
                        aware(on, hour, rng.randint(0, 59)),
                        mentee,
                        rng.choice(ContactType.values),
                        rng.choice(Setting.values),
                        rng.choice((10, 15, 20, 30, 45, 60)),
                        out_of_hours,
                        "",
                        rng.choice(context.staff[wing.establishment_id]),
                    )
                )
    columns = ["id", "mentor_id", "occurred_at", "mentee_id", "contact_type", "setting", "minutes", "out_of_hours"]
    insert_rows(MentorContact, [*columns, "notes", "recorded_by_id"], contacts, context)
    return contacts


def _supervision(volumes, mentor_holdings, rng: random.Random, context: Context) -> list[tuple]:
    today = context.today
    days = [((h[4] or today) - h[3]).days + 1 for h in mentor_holdings]
    per_day = volumes["supervision"] / sum(days)
    sessions = []
    for holding, length in zip(mentor_holdings, days, strict=True):
        _pk, mentor, _role, started, ended, _reason, wing = holding
        count = max(1, round(length * per_day))
        for number in range(count):
            # Evenly through the holding, the latest up to five weeks ago: some are overdue.
            held = started + timedelta(days=(length - 1) * (number + 1) // (count + 1))
            if number == count - 1 and ended is None:
                held = max(started, today - timedelta(days=rng.randint(0, 35)))
            sessions.append(
                (
                    len(sessions) + 1,
                    mentor,
                    held,
                    rng.choice(context.staff[wing.establishment_id]),
                    rng.choice(SupervisionKind.values),
                    rng.random() < 0.8,
                    rng.random() < 0.25,
                    "",
                    "",
                    held + timedelta(days=rng.choice((7, 14, 28))),
                    1,
                )
            )
    insert_rows(
        SupervisionSession,
        [
            "id",
            "mentor_id",
            "held_on",
            "supervisor_id",
            "kind",
            "enough_down_time",
            "out_of_hours_demands",
            "hand_back",
            "notes",
            "next_due",
            "version",
        ],
        sessions,
        context,
    )
    return sessions


def _training(qualifications, mentor_holdings, rng: random.Random, context: Context) -> None:
    """Each mentor's mentoring qualifications, started once they held the role."""
    today = context.today
    rows = []
    for _pk, mentor, _role, started, ended, _reason, _wing in mentor_holdings:
        end = ended or today
        for qualification in qualifications:
            if rng.random() < 0.3:
                continue
            begun = day_between(rng, started, end)
            completed = begun + timedelta(days=rng.randint(30, 120))
            status = TrainingStatus.ACHIEVED if completed <= end else TrainingStatus.IN_PROGRESS
            rows.append(
                (
                    len(rows) + 1,
                    mentor,
                    qualification.pk,
                    None,
                    "",
                    status,
                    begun,
                    completed if status == TrainingStatus.ACHIEVED else None,
                    False,
                    Decimal(rng.choice((12, 30, 60))),
                )
            )
    columns = ["id", "resident_id", "qualification_id", "provider_id", "attained_at", "status", "started_on"]
    insert_rows(TrainingRecord, [*columns, "completed_on", "refresher", "learning_hours"], rows, context)


def _next_steps(mentor_holdings, roles, rng: random.Random, context: Context) -> None:
    rows = [
        (pk, mentor, rng.choice(roles[wing.establishment_id]), "Synthetic next step", context.today, None)
        for pk, (_h, mentor, _role, _started, ended, _reason, wing) in enumerate(
            (h for h in mentor_holdings if h[4] is None), start=1
        )
    ]
    columns = ["id", "resident_id", "target_role_id", "description", "recorded_on", "recorded_by_id"]
    insert_rows(NextStep, columns, rows, context)


def _recruitment(volumes, by_wing, cfo_role, mentor_holdings, rng: random.Random, context: Context) -> None:
    """A round for peer mentors every few months on every wing, the latest still open,
    each with candidates and other residents' nominations; closed rounds interviewed and decided."""
    today = context.today
    mentors_now = {h[1] for h in mentor_holdings if h[4] is None}
    rounds, candidates, nominations, interviews, interviewers = [], [], [], [], []
    for wing in context.wings:
        manager = context.managers[wing.establishment_id]
        people = by_wing[wing.pk]
        opened = today - timedelta(days=20)
        starts = []
        while opened > wing.pilot_start:
            starts.append(opened)
            opened -= timedelta(days=volumes["round_every_days"])
        for number, opened in enumerate(reversed(starts)):
            is_open = number == len(starts) - 1
            closed = None if is_open else opened + timedelta(days=21)
            round_pk = len(rounds) + 1
            rounds.append((round_pk, cfo_role[wing.establishment_id], wing.pk, opened, closed, 2, manager))
            # Living on the wing from the round's opening until it closes (or today).
            until = closed or today
            living = [row for row in people if row[3] <= opened and (row[4] is None or row[4] >= until)]
            if is_open:
                living = [row for row in living if row[0] not in mentors_now]
            chosen = rng.sample(living, min(6, len(living)))
            places = 2
            for row in chosen:
                candidate_pk = len(candidates) + 1
                added = opened + timedelta(days=rng.randint(0, 5))
                interviewed = not is_open or rng.random() < 0.5
                decision, reason = "", ""
                if not is_open:
                    decision = Decision.APPOINTED if places else rng.choice((Decision.RESERVE, Decision.NOT_NOW))
                    places -= decision == Decision.APPOINTED
                    reason = "" if decision == Decision.APPOINTED else "Synthetic reason"
                candidates.append(
                    (
                        candidate_pk,
                        round_pk,
                        row[0],
                        rng.choice(Route.values),
                        added,
                        decision,
                        reason,
                        closed if decision else None,
                        manager if decision else None,
                    )
                )
                voices = [other for other in rng.sample(living, min(3, len(living))) if other[0] != row[0]][:2]
                for voice_number, other in enumerate(voices):
                    nominations.append(
                        (
                            len(nominations) + 1,
                            candidate_pk,
                            other[0],
                            Voice.NOMINATION if voice_number == 0 else Voice.ENDORSEMENT,
                            "",
                            added,
                        )
                    )
                if interviewed:
                    scores = [rng.randint(1, 4) for _ in CRITERIA]
                    held = min(added + timedelta(days=3), until)
                    interviews.append((candidate_pk, candidate_pk, held, *[x for s in scores for x in (s, "")]))
                    interviewers.append((candidate_pk, manager))
    insert_rows(
        RecruitmentRound,
        ["id", "role_id", "wing_id", "opened_on", "closed_on", "places", "opened_by_id"],
        rounds,
        context,
    )
    columns = ["id", "round_id", "resident_id", "route", "added_on", "decision", "decision_reason", "decided_on"]
    insert_rows(Candidate, [*columns, "decided_by_id"], candidates, context)
    insert_rows(Nomination, ["id", "candidate_id", "by_id", "kind", "comment", "recorded_on"], nominations, context)
    scored = [field for name, _label in CRITERIA for field in (name, f"{name}_notes")]
    insert_rows(Interview, ["id", "candidate_id", "held_on", *scored], interviews, context)
    insert_rows(Interview.interviewers.through, ["interview_id", "user_id"], interviewers, context)


def _audit_trail(holdings, contacts, sessions, rng: random.Random, context: Context) -> None:
    """The create entries django-auditlog would have written for every holding, contact and session."""
    holding_type = ContentType.objects.get_for_model(RoleHolding).pk
    contact_type = ContentType.objects.get_for_model(MentorContact).pk
    session_type = ContentType.objects.get_for_model(SupervisionSession).pk

    def entries():
        for pk, resident, role, started, _ended, _reason in holdings:
            changes = created_changes(resident=resident, role=role, started_on=started)
            yield log_entry(holding_type, pk, "role holding", LogEntry.Action.CREATE, None, aware(started, 9), changes)
        for pk, mentor, at, mentee, kind, *_rest, recorded_by in contacts:
            changes = created_changes(mentor=mentor, mentee=mentee, contact_type=kind)
            yield log_entry(contact_type, pk, kind, LogEntry.Action.CREATE, recorded_by, at, changes)
        for pk, mentor, held, supervisor, *_rest in sessions:
            changes = created_changes(mentor=mentor, held_on=held)
            yield log_entry(
                session_type, pk, "supervision", LogEntry.Action.CREATE, supervisor, aware(held, 11), changes
            )

    insert_rows(LogEntry, log_entry_columns(), entries(), context)
