"""Demo evaluation for the Hamlet: a closed baseline and an open follow-up. The follow-up's
grid is rated as the study found it (stages 1 and 2 green, 3 to 5 orange, 6 red), the
baseline's weaker; the Peer mentors role stands at rung 2 (consultation) with a plan to reach
3, a rung up on the baseline. The other establishment gets a smaller baseline. Built through
the services, so every rule holds. Loaded once: a wing that has periods is left alone."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from evaluation import services
from evaluation.models import AssessmentPeriod, GridRating, Rating, RoleRung
from hamlet.models import Wing
from mentoring.models import PeerRole
from programme.models import Cohort

FOLLOW_UP = {
    1: (
        Rating.GREEN,
        "The phased programme gives residents regular, strength-based activity together. "
        "Trusting friendships and group bonds formed across the wing, with peer mentors supporting.",
    ),
    2: (
        Rating.GREEN,
        "Residents on the course reflected and solved problems together in a group they "
        "trusted, with peer mentors attending the sessions.",
    ),
    3: (
        Rating.ORANGE,
        "Peer mentors took informal chances to help deliver sessions. There is clear scope "
        "for more formal delivery roles in the core programme.",
    ),
    4: (
        Rating.ORANGE,
        "Ideas reach staff day to day and through the Hamlet Improvement Group. Formal "
        "representation of the wing's wishes by peer mentors could be developed.",
    ),
    5: (Rating.ORANGE, "A wing resident sat on the Prisoner Council, though not as part of a peer mentor role."),
    6: (Rating.RED, "Nothing recorded yet. Possible future opportunities were identified."),
}

BASELINE = {
    1: (Rating.ORANGE, "The first cohort had started; friendships across the wing were only beginning."),
    2: (Rating.ORANGE, "Reflective group work had begun, with no peer mentor support yet."),
    3: (Rating.RED, "Peer mentors had no part in delivering activities."),
    4: (Rating.RED, "No forum yet carried the wing's ideas to staff."),
    5: (Rating.RED, "No wing representation at prison-wide forums was recorded."),
    6: (Rating.RED, "Nothing recorded."),
}


def _rung(period: AssessmentPeriod, rung: int, evidence: str, plan: str, by) -> None:
    for role in PeerRole.objects.filter(establishment=period.wing.establishment_id, is_cfo_role=True):
        services.rung_rate(
            rung=RoleRung(period=period, role=role, rung=rung, evidence=evidence, plan=plan), version=None, by=by
        )


def _rate(period: AssessmentPeriod, ratings: dict, by) -> None:
    for stage, (rating, evidence) in ratings.items():
        services.grid_rate(
            rating=GridRating(period=period, stage=stage, rating=rating, evidence=evidence), version=None, by=by
        )


def _periods(wing: Wing, start: date, today: date, by, *, follow_up: bool) -> None:
    if AssessmentPeriod.objects.filter(wing=wing).exists():
        return
    baseline_end = min(start + timedelta(weeks=8) - timedelta(days=1), today - timedelta(days=1))
    baseline = services.period_add(
        period=AssessmentPeriod(wing=wing, label="Baseline", starts_on=start, ends_on=baseline_end, baseline=True)
    )
    _rate(baseline, BASELINE if follow_up else dict(list(BASELINE.items())[:3]), by)
    _rung(baseline, 1, "Staff told peer mentors what was on offer, and they passed it on round the wing.",
          "Ask peer mentors to hand out and collect course feedback forms.", by)  # fmt: skip
    services.period_close(period=baseline, version=baseline.version, by=by)
    if follow_up and baseline_end + timedelta(days=1) < today:
        period = AssessmentPeriod(
            wing=wing, label="Follow-up", starts_on=baseline_end + timedelta(days=1), ends_on=today
        )
        period = services.period_add(period=period)
        _rate(period, FOLLOW_UP, by)
        _rung(period, 2, "Peer mentors hand out and collect feedback forms, and residents' choices reach staff "
              "through the Hamlet Improvement Group.", "Decide with peer mentors at the HiG who does what for the "
              "summer open day, and have them gather and present the wing's feedback.", by)  # fmt: skip


def load() -> list[str]:
    today = timezone.localdate()
    users = get_user_model().objects
    for wing, username, full in (
        (Wing.objects.get(establishment__nomis_code="DHI", name="The Hamlet"), "manager.dhi", True),
        (Wing.objects.filter(establishment__nomis_code="ZTV").first(), "admin", False),
    ):
        first = Cohort.objects.filter(wing=wing).order_by("starts_on").first()
        if wing and first:
            _periods(wing, first.starts_on, today, users.get(username=username), follow_up=full)
    return []
