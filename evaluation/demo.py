"""Demo evaluation for the Hamlet: a closed baseline and an open follow-up. The follow-up's
grid is rated as the study found it (stages 1 and 2 green, 3 to 5 orange, 6 red), the
baseline's weaker; the Peer mentors role stands at rung 2 (consultation) with a plan to reach
3, a rung up on the baseline; a Phase 1 and a Phase 2 cohort map the wing's relationships as
section 1.5.4.1 found, and the baseline's cohort did so before; monthly climate counts fall
over the pilot; the focus groups' findings, the attributes 26 interviews named, section 2's
findings as actions at mixed stages, the staff team with a vacancy for a while, and Table
1.3's words. The other establishment gets a smaller baseline and three months of climate
counts. Built through the services, so every rule holds. Loaded once: a wing that has periods is left alone."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from evaluation import climate, services
from evaluation.mapping import Construct
from evaluation.models import (
    AssessmentPeriod,
    Attribute,
    AttributeSurvey,
    ClimateIndicator,
    ClimateMonth,
    Finding,
    GridRating,
    Rating,
    RelationalMapping,
    RoleDeliveryNote,
    RoleRung,
    StaffMonth,
    StaffPost,
    Voice,
)
from hamlet.models import Organisation, Wing
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


# Scores out of 10 on knowledgeable, trusted, supportive, honest and power to change, as
# section 1.5.4.1 found: CFO staff above generic wing officers on all but power; a Phase 1 cohort
# puts the wing community above peer mentors on all but power; a Phase 2 cohort puts peer
# mentors first on all but knowledge, where they come second to the wing community.
PHASE_1 = {
    "custody_manager": (9, 8, 8, 8, 6),
    "cfo_officers": (8, 9, 9, 8, 5),
    "wing_officers": (6, 5, 5, 6, 7),
    "case_managers": (7, 6, 6, 7, 5),
    "wing_community": (7, 8, 8, 7, 3),
    "peer_mentors": (6, 7, 7, 6, 4),
    "Chaplaincy": (5, 7, 7, 7, 2),
    "Education staff": (6, 5, 5, 5, 3),
}
PHASE_2 = {
    "custody_manager": (7, 7, 7, 8, 7),
    "cfo_officers": (7, 8, 8, 8, 6),
    "wing_officers": (5, 4, 4, 5, 6),
    "case_managers": (6, 6, 6, 6, 4),
    "wing_community": (9, 8, 9, 8, 5),
    "peer_mentors": (8, 10, 10, 9, 8),
}
BASELINE_MAP = {
    "custody_manager": (8, 7, 7, 7, 6),
    "cfo_officers": (7, 7, 7, 7, 5),
    "wing_officers": (6, 5, 5, 6, 7),
    "case_managers": (6, 5, 5, 6, 5),
    "wing_community": (6, 6, 6, 6, 2),
    "peer_mentors": (4, 5, 5, 5, 3),
}


def _map(period: AssessmentPeriod, cohort: Cohort | None, scores: dict, by) -> None:
    if cohort is None:
        return
    held_on = min(period.ends_on, max(period.starts_on, cohort.starts_on + timedelta(weeks=6)))
    given = {
        (element, construct): score
        for element, row in scores.items()
        for construct, score in zip(Construct.values, row, strict=True)
    }
    services.mapping_save(
        mapping=RelationalMapping(period=period, cohort=cohort, held_on=held_on), scores=given, version=None, by=by
    )


def _cohort_in(period: AssessmentPeriod, phase: str) -> Cohort | None:
    return (
        Cohort.objects.filter(wing=period.wing_id, phase=phase, starts_on__lte=period.ends_on)
        .filter(ends_on__gte=period.starts_on)
        .order_by("-starts_on")
        .first()
    )


# Each indicator's count in the first month of the pilot and in the latest: the months between
# fall in a straight line, as the study's staff described (section 1.5.5).
CLIMATE = {
    "Self-harm incidents": (6, 1),
    "Fights and violence": (8, 2),
    "Adjudications": (10, 4),
    "Use of force": (3, 0),
    "Complaints": (5, 3),
}


def _climate(wing: Wing, start: date, today: date, by) -> None:
    months = climate.months_between(start, today)
    indicators = {indicator.name: indicator.pk for indicator in ClimateIndicator.objects.all()}
    for index, month in enumerate(months):
        share = index / max(1, len(months) - 1)
        counts = {indicators[name]: round(first + (last - first) * share) for name, (first, last) in CLIMATE.items()}
        services.climate_save(record=ClimateMonth(wing=wing, month=month), counts=counts, version=None, by=by)


# What the focus groups found (section 1.7) and the interviews (1.5), in priority order, in Hamlet's words.
VOICES = [
    ("enabler", "Keeping in touch with family", "Ways to stay in regular contact with family.", ""),
    ("enabler", "Relationships with peers", "Looking out for each other and a social life on the wing.",
     "Peer mentors welcome newcomers and draw them into wing life."),
    ("enabler", "Meaningful activity", "Things to do that give purpose, progress and responsibility.", ""),
    ("enabler", "Keeping hope", "Believing a better future is possible.", "Peer mentors show it can be done."),
    ("barrier", "Distance and red tape", "Both get in the way of family contact.", ""),
    ("barrier", "Too few jobs", "And fewer still that mean something.", ""),
    ("barrier", "The same courses again", "Repetitive activities lose people.", ""),
    ("barrier", "No way forward in sight", "Without it, hope goes and old habits return.", ""),
    ("aspiration", "A community like the Hamlet for everyone", "", ""),
    ("aspiration", "More investment in prisons", "Buildings, facilities, education and activities.", ""),
    ("aspiration", "A say in how the prison is run", "Residents asked to help make prison-wide decisions.",
     "Peer mentors could carry the wing's views to the Prisoner Council."),
    ("impact_mentors", "Belonging and respect", "Feeling part of something and trusted.", ""),
    ("impact_mentors", "Responsibility, purpose and hope", "A second chance to give something back.", ""),
    ("impact_supported", "Someone to turn to", "Support from a peer who has been there.", ""),
    ("benefits_most", "Residents who struggle to engage", "Those staff find hardest to reach.", ""),
    ("benefits_most", "People new to prison or isolated", "", ""),
]  # fmt: skip

FINDINGS = [
    ("good_practice", "Lived-experience input is a core part of the programme", "done", None, None),
    ("good_practice", "A committed staff team with ring-fenced funding and prison backing", "done", None, None),
    ("good_practice", "Intensive one-to-one support before engagement reaches residents who resisted it", "done",
     None, None),
    ("challenge", "No proper space for supervising peer mentors", "in_progress", None, None),
    ("challenge", "Peer mentors get little time off on an open houseblock", "in_progress", None, None),
    ("challenge", "Staffing has not been steady", "open", None, None),
    ("lesson", "A standard recruitment process from the start plans succession", "done", None, None),
    ("lesson", "Hard-to-engage residents need extra support before they join", "done", None, None),
    ("recommendation", "Make peer roles more visible across the programme cycle", "in_progress", 3, None),
    ("recommendation", "Build a progression pathway ending in accredited peer training", "open", None, None),
    ("recommendation", "Bring peer mentors into course delivery and wing decision-making", "in_progress", 4, 3),
    ("recommendation", "Link peer mentors to the Prisoner Council", "open", 5, None),
]  # fmt: skip


# How many of 26 interviews named each attribute (section 1.6), most named first.
ATTRIBUTES = {
    "Has lived experience": 19,
    "Trustworthy and discreet": 17,
    "Listening": 16,
    "Caring": 15,
    "Non-judgemental": 13,
    "Approachable": 12,
    "Encouraging small steps": 11,
    "A positive role model": 10,
    "Patient": 9,
    "Knows how the prison works": 8,
    "Respected by residents and staff": 6,
    "Resilient": 5,
    "Keeps boundaries": 4,
}


def _attributes(period: AssessmentPeriod) -> None:
    catalogue = {attribute.name: attribute.pk for attribute in Attribute.objects.all()}
    counts = {catalogue[name]: count for name, count in ATTRIBUTES.items() if name in catalogue}
    services.attributes_save(survey=AttributeSurvey(period=period, interviews=26), counts=counts, version=None)


# The staff team section 1.2.1 describes, by organisation, and one officer post vacant for a
# stretch (section 2.2: consistent staffing was a challenge).
POSTS = [
    ("CFO custody manager", "HMPPS", 1),
    ("CFO dedicated prison officer", "HMPPS", 2),
    ("Case manager", "Shaw Trust/Ixion", 3),
]


def _staff_team(wing: Wing, start: date, today: date) -> None:
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    posts = []
    for order, (title, organisation, funded) in enumerate(POSTS):
        post = StaffPost(wing=wing, title=title, organisation=organisations[organisation], funded=funded, order=order)
        posts.append(services.staff_post_save(post=post, version=None))
    months = climate.months_between(start, today)
    for index, month in enumerate(months):
        short = 1 if len(months) // 3 <= index < len(months) // 3 + 3 else 0
        counts = {post.pk: post.funded - (short if "officer" in post.title else 0) for post in posts}
        services.staff_month_save(record=StaffMonth(wing=wing, month=month), counts=counts, version=None)


def _voices_and_findings(period: AssessmentPeriod, today: date, by) -> None:
    priorities: dict[str, int] = {}
    for kind, summary, detail, help_text in VOICES:
        priorities[kind] = priorities.get(kind, 0) + 1
        voice = Voice(period=period, kind=kind, priority=priorities[kind], summary=summary, detail=detail,
                      mentors_could_help=help_text)  # fmt: skip
        services.voice_save(voice=voice, version=None)
    for number, (kind, summary, status, stage, rung) in enumerate(FINDINGS):
        finding = services.finding_save(
            finding=Finding(
                period=period,
                kind=kind,
                summary=summary,
                owner=by,
                grid_stage=stage,
                ladder_rung=rung,
                due_on=today + timedelta(weeks=4 + number),
            ),  # fmt: skip
            version=None,
        )
        if status != "open":
            services.finding_progress(finding=finding, note="Discussed at the staff team meeting", status=status,
                                      on=today, version=finding.version, by=by)  # fmt: skip


def _delivery_note(wing: Wing) -> None:
    """Table 1.3's words where the records are silent: supervision at the weekly community meeting,
    progression still being worked out."""
    for role in PeerRole.objects.filter(establishment=wing.establishment_id, is_cfo_role=True):
        note = RoleDeliveryNote(role=role, supervision="Weekly CFO community meeting", progression="Being considered")
        services.delivery_note_save(note=note, version=None)


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
    if follow_up:
        _map(baseline, _cohort_in(baseline, "phase_1"), BASELINE_MAP, by)
        _climate(wing, start, today, by)
        _staff_team(wing, start, today)
        _delivery_note(wing)
    else:
        # The months since the wing began counting, for the dashboard's climate trend.
        _climate(wing, today - timedelta(days=62), today, by)
    services.period_close(period=baseline, version=baseline.version, by=by)
    if follow_up and baseline_end + timedelta(days=1) < today:
        period = AssessmentPeriod(
            wing=wing, label="Follow-up", starts_on=baseline_end + timedelta(days=1), ends_on=today
        )
        period = services.period_add(period=period)
        _rate(period, FOLLOW_UP, by)
        _map(period, _cohort_in(period, "phase_1"), PHASE_1, by)
        _map(period, _cohort_in(period, "phase_2"), PHASE_2, by)
        _voices_and_findings(period, today, by)
        _attributes(period)
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
