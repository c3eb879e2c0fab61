"""Peer roles and the people who hold them: the Appendix 2 catalogue, training and
qualifications (1.3.2), supervision (2.2, 2.3) and the mentor contact log (1.4.3)."""

from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from hamlet.access import SiteScopedQuerySet
from hamlet.models import Establishment, Organisation, Wing
from hamlet.versions import VersionedModel
from residents.models import Resident
from residents.selectors import nameable


class Pay(models.TextChoices):
    PAID = "paid", "Paid"
    UNPAID = "unpaid", "Unpaid"


class Representation(models.TextChoices):
    """Collective or civic representation (Appendix 2): a seat on the wing decision-making
    forum (WDF) and/or the Prisoner Council (PC)."""

    NONE = "none", "No"
    WDF = "wdf", "Yes- WDF"
    PC = "pc", "Yes- PC"
    BOTH = "both", "Yes- WDF and PC"
    SOME = "some", "Most WDFs, some PC"


RETIRED_HELP = "Hidden from new choices; kept on the records that already name it"


class PeerRoleQuerySet(SiteScopedQuerySet):
    def offered(self) -> "PeerRoleQuerySet":
        """The roles that may be chosen for something new: not retired."""
        return self.filter(retired=False)

    def pathway(self) -> "PeerRoleQuerySet":
        return self.filter(pathway_step__isnull=False).order_by("pathway_step")


class PeerRole(models.Model):
    """A peer involvement role available at an establishment (Appendix 2)."""

    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="peer_roles")
    title = models.CharField(max_length=120)
    pay = models.CharField(max_length=10, choices=Pay.choices, help_text="As PSO 4460 payment guidance")
    pay_note = models.CharField(max_length=80, blank=True, help_text="For example ‘part of Purple band role’")
    induction = models.BooleanField(help_text="Formal induction, orientation, navigation, signposting or crisis")
    single_issue = models.BooleanField(
        "single issue, skill or task", help_text="A specific health condition, skill or crisis orientated role"
    )
    bridging = models.BooleanField(
        "bridging role", help_text="Formal recruitment, sustaining and motivating participation"
    )
    representation = models.CharField(
        "collective or civic representation", max_length=10, choices=Representation.choices, default="none"
    )
    notes = models.TextField(blank=True)
    is_cfo_role = models.BooleanField("CFO role", default=False)
    pathway_step = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Where the role sits on the progression pathway: 1 first. Blank if not on it."
    )
    places = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(200)],
        help_text="How many residents the wing means to have in the role, for succession planning. Blank if not set.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in the catalogue")
    retired = models.BooleanField(default=False, help_text=RETIRED_HELP)

    objects = PeerRoleQuerySet.as_manager()

    class Meta:
        ordering = ["establishment", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["establishment", "title"], name="unique_peer_role_per_establishment")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def pay_display(self) -> str:
        return f"{self.get_pay_display()} ({self.pay_note})" if self.pay_note else self.get_pay_display()


class HoldingEnd(models.TextChoices):
    STEPPED_DOWN = "stepped_down", "Stepped down"
    PROGRESSED = "progressed", "Moved on to another role"
    REMOVED = "removed", "Removed from the role"
    LEFT_WING = "left_wing", "Left the wing"


class RoleHoldingQuerySet(SiteScopedQuerySet):
    establishment_field = "resident__establishment"

    def current(self) -> "RoleHoldingQuerySet":
        return self.filter(ended_on__isnull=True)


class RoleHolding(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="role_holdings")
    role = models.ForeignKey(PeerRole, on_delete=models.PROTECT, related_name="holdings")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=HoldingEnd.choices, blank=True)
    end_note = models.CharField(max_length=200, blank=True)

    objects = RoleHoldingQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True, end_reason="")
                | models.Q(ended_on__isnull=False) & ~models.Q(end_reason=""),
                name="role_holding_end_has_reason",
            ),
            models.UniqueConstraint(
                fields=["resident", "role"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_holding_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} as {self.role}"


class Qualification(models.Model):
    """A course or qualification mentors take, such as the NCFE Level 2 Award in Mentoring."""

    name = models.CharField(max_length=150, unique=True)
    awarding_body = models.CharField(max_length=100, blank=True)
    level = models.CharField(max_length=20, blank=True, help_text="For example ‘Level 2’ or ‘Entry level’")
    accredited = models.BooleanField(default=True)
    retired = models.BooleanField(default=False, help_text=RETIRED_HELP)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class TrainingRecordQuerySet(SiteScopedQuerySet):
    establishment_field = "resident__establishment"


class TrainingRecord(models.Model):
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="training")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="records")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    attained_at = models.CharField(
        "where", max_length=100, blank=True, help_text="The prison where it was taken, for example HMP Styal"
    )
    status = models.CharField(max_length=12, choices=TrainingStatus.choices)
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    refresher = models.BooleanField(default=False)
    learning_hours = models.DecimalField(
        max_digits=5, decimal_places=1, default=0, validators=[MinValueValidator(0), MaxValueValidator(999)]
    )

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-started_on"]

    def __str__(self) -> str:
        return f"{self.qualification} ({self.get_status_display()})"


class MentoringSettings(VersionedModel):
    """What a wing has agreed about its mentors' supervision and workload."""

    wing = models.OneToOneField(Wing, on_delete=models.CASCADE, related_name="mentoring_settings")
    supervision_interval_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    overload_contacts_per_week = models.PositiveSmallIntegerField(
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text="More logged contacts than this in a week flags a mentor as overloaded",
    )
    overload_out_of_hours_percent = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="A larger share of a week's contacts out of hours flags a mentor as overloaded",
    )
    quiet_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="A mentor with no logged contact for this many days is flagged",
    )
    # The wing's core day, when staff are on hand: a contact outside it is out of hours.
    # Weekdays and weekends, as a regime is published; the start is in the core day, the end is not.
    weekday_core_start = models.TimeField("core day on weekdays starts", default=time(8, 0))
    weekday_core_end = models.TimeField("core day on weekdays ends", default=time(17, 30))
    weekend_core_start = models.TimeField("core day at weekends starts", default=time(9, 0))
    weekend_core_end = models.TimeField("core day at weekends ends", default=time(16, 30))
    # Two custody managers changing the settings at once: see hamlet.versions.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name_plural = "mentoring settings"
        permissions = [("view_workload", "Can see mentors' workload and wellbeing flags")]

    def __str__(self) -> str:
        return f"Mentoring settings for {self.wing}"

    def clean(self) -> None:
        errors = {}
        for days, words in (("weekday", "on weekdays"), ("weekend", "at weekends")):
            start, end = getattr(self, f"{days}_core_start"), getattr(self, f"{days}_core_end")
            if start and end and end <= start:
                errors[f"{days}_core_end"] = f"The core day {words} must end after it starts"
        if errors:
            raise ValidationError(errors)

    def core_day(self, on: date) -> tuple[time, time]:
        """When the core day starts and ends on that day."""
        if on.weekday() >= 5:  # Saturday, Sunday
            return self.weekend_core_start, self.weekend_core_end
        return self.weekday_core_start, self.weekday_core_end

    def core_day_in_words(self) -> str:
        weekdays = f"{self.weekday_core_start:%H:%M} to {self.weekday_core_end:%H:%M} on weekdays"
        return f"{weekdays}, {self.weekend_core_start:%H:%M} to {self.weekend_core_end:%H:%M} at weekends"

    def is_out_of_hours(self, when: datetime) -> bool:
        """Whether a contact at ``when`` (the wing's local time) falls outside the core day."""
        local = timezone.localtime(when)
        start, end = self.core_day(local.date())
        return not start <= local.time() < end

    @classmethod
    def for_wing(cls, wing: Wing) -> "MentoringSettings":
        """The wing's settings; until a custody manager first saves them, the defaults, unsaved
        (reading a page must not write: ``services.mentoring_settings_save`` creates them)."""
        return cls.objects.filter(wing=wing).first() or cls(wing=wing)


class SupervisionKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One-to-one"
    GROUP = "group", "Group"


class SupervisionQuerySet(SiteScopedQuerySet):
    establishment_field = "mentor__establishment"


class SupervisionSession(VersionedModel):
    mentor = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="supervision_sessions")
    held_on = models.DateField()
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=12, choices=SupervisionKind.choices, default=SupervisionKind.ONE_TO_ONE)
    enough_down_time = models.BooleanField("has enough down time")
    out_of_hours_demands = models.BooleanField("asked for help out of hours")
    hand_back = models.TextField("anything to hand back to staff", blank=True)
    # What is handed back stays in view (mentor page, workload page) until staff deal with it.
    hand_back_dealt_with_on = models.DateField("handed back, dealt with on", null=True, blank=True)
    hand_back_dealt_with_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="handed back, dealt with by",
    )
    notes = models.TextField(blank=True)
    next_due = models.DateField()
    # A note can be corrected after it is recorded; two people doing so at once: see hamlet.versions.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Supervision of {self.mentor} on {self.held_on:%d/%m/%Y}"


class ContactType(models.TextChoices):
    """The study's typology of what peer mentors do (1.4.3)."""

    WELCOME = "welcome", "Warm welcome to a newcomer"
    BRIDGING = "bridging", "Bridging into engagement"
    GROUP_SUPPORT = "group_support", "Support during group activity"
    CLIMATE = "climate", "Positive wing climate"
    ROLE_MODEL = "role_model", "Role modelling"
    CHALLENGE = "challenge", "Constructive (non-confrontational) challenge"
    OTHER = "other", "Other"


class Setting(models.TextChoices):
    HOUSEBLOCK = "houseblock", "Houseblock"
    CLASSROOM = "classroom", "Classroom"
    WORKSHOP = "workshop", "Phase 2 workshop"
    ELSEWHERE = "elsewhere", "Elsewhere"


class MentorContactQuerySet(SiteScopedQuerySet):
    establishment_field = "mentor__establishment"


class MentorContact(VersionedModel):
    mentor = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="mentor_contacts")
    occurred_at = models.DateTimeField("when")
    mentee = models.ForeignKey(Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    contact_type = models.CharField("type of contact", max_length=20, choices=ContactType.choices)
    setting = models.CharField(max_length=12, choices=Setting.choices)
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(600)])
    out_of_hours = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # A logged contact can be corrected; two people doing so at once: see hamlet.versions.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MentorContactQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        # Whoever logged a contact may correct or remove it; this lets a custody manager do so for anyone's.
        permissions = [("correct_any_mentorcontact", "Can correct or remove a contact someone else logged")]
        indexes = [
            # A mentor's contacts by time: the workload page's weekly counts and the mentor
            # page's latest contacts read a slice of it instead of all the mentor's contacts.
            models.Index(fields=["mentor", "occurred_at"], name="mentor_contact_mentor_when"),
            # Every contact of a week, for the home page's count of each wing's: a slice of
            # the table instead of every contact of every resident the wing has had.
            models.Index(fields=["occurred_at"], name="mentor_contact_when"),
        ]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} by {self.mentor}"

    def correctable_by(self, user) -> bool:
        """Whose contact it is to correct or remove (the permission to do so at all is the
        view's): the person who logged it, or a custody manager."""
        is_theirs = self.recorded_by_id is not None and self.recorded_by_id == user.pk
        return is_theirs or user.has_perm("mentoring.correct_any_mentorcontact")


def mentor_url(resident: Resident) -> str:
    return reverse("mentoring:mentor", args=[resident.pk])


class RoundQuerySet(SiteScopedQuerySet):
    establishment_field = "wing__establishment"


class RecruitmentRound(models.Model):
    """Recruiting residents to a peer role on a wing, with residents' own nominations and
    endorsements: the co-produced selection of recommendation 2.4.2."""

    role = models.ForeignKey(PeerRole, on_delete=models.PROTECT, related_name="rounds")
    wing = models.ForeignKey(Wing, on_delete=models.PROTECT, related_name="recruitment_rounds")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    places = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(50)])
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.role} recruitment from {self.opened_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:round", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Route(models.TextChoices):
    SELF = "self", "Self-referral"
    STAFF = "staff", "Staff referral"
    PEER = "peer", "Peer nomination"


class Decision(models.TextChoices):
    APPOINTED = "appointed", "Appointed"
    RESERVE = "reserve", "Reserve"
    NOT_NOW = "not_now", "Not now"


class CandidateQuerySet(SiteScopedQuerySet):
    establishment_field = "round__wing__establishment"

    def visible_to(self, user) -> "CandidateQuerySet":
        """A candidate whose record is limited to other staff is left out, scores and all."""
        return super().visible_to(user).filter(resident__in=nameable(user=user))


class Candidate(models.Model):
    round = models.ForeignKey(RecruitmentRound, on_delete=models.CASCADE, related_name="candidates")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="candidacies")
    route = models.CharField(max_length=10, choices=Route.choices)
    added_on = models.DateField()
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["resident__pseudonym"]
        constraints = [models.UniqueConstraint(fields=["round", "resident"], name="one_candidacy_per_round")]

    def __str__(self) -> str:
        return f"{self.resident} for {self.round.role}"


class Voice(models.TextChoices):
    NOMINATION = "nomination", "Nomination"
    ENDORSEMENT = "endorsement", "Endorsement"


class Nomination(models.Model):
    """A resident nominating or endorsing a candidate, in their own words."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="nominations")
    by = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Voice.choices)
    comment = models.TextField(blank=True)
    recorded_on = models.DateField()

    class Meta:
        ordering = ["recorded_on"]
        constraints = [models.UniqueConstraint(fields=["candidate", "by"], name="one_voice_per_resident")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.candidate.resident} by {self.by}"


SCORE = [MinValueValidator(1), MaxValueValidator(4)]

# The study's interview criteria (1.3.1), in the order interviewers take them.
CRITERIA = [
    ("ready", "Ready: own problems no bigger than others'"),
    ("wants_responsibility", "Wants the responsibility"),
    ("emotional_skills", "Emotional skills"),
    ("practical_skills", "Practical skills"),
    ("life_skills", "Life skills"),
]


class Interview(VersionedModel):
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="interview")
    held_on = models.DateField()
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    ready = models.PositiveSmallIntegerField(validators=SCORE)
    ready_notes = models.TextField(blank=True)
    wants_responsibility = models.PositiveSmallIntegerField(validators=SCORE)
    wants_responsibility_notes = models.TextField(blank=True)
    emotional_skills = models.PositiveSmallIntegerField(validators=SCORE)
    emotional_skills_notes = models.TextField(blank=True)
    practical_skills = models.PositiveSmallIntegerField(validators=SCORE)
    practical_skills_notes = models.TextField(blank=True)
    life_skills = models.PositiveSmallIntegerField(validators=SCORE)
    life_skills_notes = models.TextField(blank=True)
    # Two interviewers scoring the same candidate: see hamlet.versions.
    version = models.PositiveIntegerField(default=1, editable=False)

    def __str__(self) -> str:
        return f"Interview of {self.candidate.resident}"

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name, _ in CRITERIA)

    @property
    def scores(self) -> list[tuple[str, int, str]]:
        return [(label, getattr(self, name), getattr(self, f"{name}_notes")) for name, label in CRITERIA]


class NextStepQuerySet(SiteScopedQuerySet):
    establishment_field = "resident__establishment"


class NextStep(models.Model):
    """Where a mentor is heading next on the progression pathway (2.4.1–2.4.2)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="next_steps")
    target_role = models.ForeignKey(
        PeerRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="towards the role"
    )
    description = models.CharField("next step", max_length=300)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = NextStepQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_on", "-pk"]

    def __str__(self) -> str:
        return self.description
