"""The wing's group programme (sections 1.2.2 and 1.4 of the study): Phase 1, the CFO course
taken in small cohorts, and Phase 2, the community "give back" programme; the waiting list
for each; cohorts and who is enrolled in them; sessions and the register.

Conventions taken from HMPPS Activities Management, which prison staff already use: an
attendance is one row per person per session, and changing a mark keeps the earlier value
in its own history row (who, when, what it was), never overwriting it.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from hamlet.access import SiteScopedQuerySet
from hamlet.models import Wing
from hamlet.versions import VersionedModel
from residents.models import Resident


class Phase(models.TextChoices):
    PHASE_1 = "phase_1", "Phase 1"
    PHASE_2 = "phase_2", "Phase 2"


# The study's programme at the Hamlet (1.2.2, Table 1.2.2b): what a wing starts from.
PHASE_DEFAULTS = {
    Phase.PHASE_1: {
        "title": "CFO course",
        "weeks": 8,
        "min_size": 8,
        "max_size": 10,
        "weekly_hours": None,
        "location": "A CFO dedicated classroom in the Education Building",
    },
    Phase.PHASE_2: {
        "title": "Community programme",
        "weeks": 8,
        "min_size": 8,
        "max_size": 10,
        "weekly_hours": 30,
        "location": "The Arts and Craft workshop",
    },
}


class PhaseSettingsQuerySet(SiteScopedQuerySet):
    establishment_field = "wing__establishment"


class PhaseSettings(VersionedModel):
    """How a wing runs one phase: its length, cohort size range, weekly hours and where it
    is delivered. Editable by the custody manager; until then, the study's programme."""

    wing = models.ForeignKey(Wing, on_delete=models.CASCADE, related_name="phase_settings")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    title = models.CharField(max_length=80)
    weeks = models.PositiveSmallIntegerField(
        "length in weeks", validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    min_size = models.PositiveSmallIntegerField(
        "smallest cohort", validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    max_size = models.PositiveSmallIntegerField(
        "largest cohort", validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    weekly_hours = models.PositiveSmallIntegerField(
        "activity hours a week",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="The hours of activity offered to each resident in a week, if the phase has a target",
    )
    location = models.CharField("delivery location", max_length=120)
    version = models.PositiveIntegerField(default=1)

    objects = PhaseSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "phase settings"
        ordering = ["phase"]
        constraints = [
            models.UniqueConstraint(fields=["wing", "phase"], name="one_setting_per_wing_phase"),
            models.CheckConstraint(condition=Q(min_size__lte=models.F("max_size")), name="phase_size_range_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}: {self.title}"

    @property
    def number(self) -> int:
        """1 for Phase 1, 2 for Phase 2: how the phase's address names it."""
        return Phase.values.index(self.phase) + 1

    @classmethod
    def for_wing(cls, wing: Wing) -> list["PhaseSettings"]:
        """Both phases of the wing; a phase not yet saved has the study's defaults, unsaved
        (reading a page must not write: ``services.phase_settings_save`` creates them)."""
        saved = {setting.phase: setting for setting in cls.objects.filter(wing=wing)}
        return [saved.get(phase) or cls(wing=wing, phase=phase, **PHASE_DEFAULTS[phase]) for phase in Phase]

    @classmethod
    def of(cls, wing: Wing, phase: str) -> "PhaseSettings":
        return next(setting for setting in cls.for_wing(wing) if setting.phase == phase)


class OneResidentsQuerySet(SiteScopedQuerySet):
    """Records that are one resident's (a waiting-list entry, an enrolment, a mark, hours):
    the site rule, and the resident's own rule on top, so a limited-access resident's records
    are, like the resident, Not Found to staff not named on them."""

    establishment_field = "resident__establishment"

    def visible_to(self, user) -> "OneResidentsQuerySet":
        return super().visible_to(user).filter(resident__in=Resident.objects.visible_to(user).values("pk"))


class StatusMove(models.Model):
    """One change of a record's status (a referral's, a waiting-list entry's): dated,
    attributed, with its reason. Each kind names its record and its statuses."""

    on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["on", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} on {self.on:%d/%m/%Y}"


class ReferralSource(models.TextChoices):
    """Who referred a person onto the wing from elsewhere in the establishment (1.3.1, 1.4)."""

    SELF = "self", "Self-referral"
    CFO_OFFICER = "cfo_officer", "CFO officer"
    WING_STAFF = "wing_staff", "Wing staff"
    CASE_MANAGER = "case_manager", "Case manager"
    PEER_MENTOR = "peer_mentor", "Peer mentor"
    OTHER = "other", "Other"


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ASSESSED = "assessed", "Assessed"
    ACCEPTED = "accepted", "Accepted"
    MOVED = "moved", "Moved onto the wing"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Where a referral onto the wing may go from each status. Moving onto the wing, declining and
# withdrawing are final: someone referred again is a new referral (and a new record, as a
# transfer is), so each referral's history reads from start to end.
REFERRAL_MOVES = {
    ReferralStatus.REFERRED: [ReferralStatus.ASSESSED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN],
    ReferralStatus.ASSESSED: [ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN],
    ReferralStatus.ACCEPTED: [ReferralStatus.MOVED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN],
    ReferralStatus.MOVED: [],
    ReferralStatus.DECLINED: [],
    ReferralStatus.WITHDRAWN: [],
}
OPEN_REFERRAL = [ReferralStatus.REFERRED, ReferralStatus.ASSESSED, ReferralStatus.ACCEPTED]


class ReferralQuerySet(OneResidentsQuerySet):
    def open(self) -> "ReferralQuerySet":
        return self.filter(status__in=OPEN_REFERRAL)


class Referral(VersionedModel):
    """A person elsewhere in the establishment referred onto the wing: by whom, why, when, and
    where the referral stands. Until they move onto it they are a resident with no wing."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="referrals")
    wing = models.ForeignKey(Wing, on_delete=models.PROTECT, related_name="referrals")
    referred_by = models.CharField("referred by", max_length=20, choices=ReferralSource.choices)
    why = models.TextField("why they were referred")
    referred_on = models.DateField("referred on")
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED)
    status_on = models.DateField("status since")
    reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["referred_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(status__in=["referred", "assessed", "accepted"]),
                name="one_open_referral_per_resident",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral onto {self.wing}: {self.get_status_display().lower()}"

    def get_absolute_url(self) -> str:
        return reverse("programme:referral", args=[self.pk])

    def moves(self) -> list[ReferralStatus]:
        return REFERRAL_MOVES[ReferralStatus(self.status)]


class ReferralMove(StatusMove):
    """One change of a referral's status: dated, attributed, with its reason."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ReferralStatus.choices)

    class Meta(StatusMove.Meta):
        pass


class Referrer(models.TextChoices):
    SELF = "self", "Self-referral"
    WING_STAFF = "wing_staff", "Wing staff"
    PEER_MENTOR = "peer_mentor", "Peer mentor"
    CASE_MANAGER = "case_manager", "Case manager"
    KEYWORKER = "keyworker", "Keyworker or offender manager"
    OTHER = "other", "Other"


class WaitingStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    ALLOCATED = "allocated", "Allocated"
    REMOVED = "removed", "Removed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Where a waiting-list entry may go from each status. Declined, removed and withdrawn
# entries can be reinstated (back to pending) with a reason. Allocated is where an entry
# ends when its resident is enrolled: someone who leaves a cohort and wants to start again
# joins the list anew.
WAITING_MOVES = {
    WaitingStatus.PENDING: [
        WaitingStatus.APPROVED,
        WaitingStatus.DECLINED,
        WaitingStatus.WITHDRAWN,
        WaitingStatus.REMOVED,
    ],
    WaitingStatus.APPROVED: [WaitingStatus.DECLINED, WaitingStatus.WITHDRAWN, WaitingStatus.REMOVED],
    WaitingStatus.DECLINED: [WaitingStatus.PENDING],
    WaitingStatus.REMOVED: [WaitingStatus.PENDING],
    WaitingStatus.WITHDRAWN: [WaitingStatus.PENDING],
    WaitingStatus.ALLOCATED: [],
}
# Moves that need a reason: a refusal, and reinstating someone.
REASON_NEEDED = {WaitingStatus.DECLINED, WaitingStatus.REMOVED, WaitingStatus.WITHDRAWN}
OPEN_WAITING = [WaitingStatus.PENDING, WaitingStatus.APPROVED]


class WaitingQuerySet(OneResidentsQuerySet):
    def open(self) -> "WaitingQuerySet":
        return self.filter(status__in=OPEN_WAITING)


class WaitingListEntry(VersionedModel):
    """A resident waiting for a phase: who referred them, when, and where the entry stands."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="waiting_list_entries")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    referred_by = models.CharField("referred by", max_length=20, choices=Referrer.choices)
    referred_on = models.DateField("referred on")
    status = models.CharField(max_length=10, choices=WaitingStatus.choices, default=WaitingStatus.PENDING)
    status_on = models.DateField("status since")
    reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = WaitingQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "waiting list entries"
        ordering = ["referred_on", "pk"]
        constraints = [
            # One open place in the queue per phase; the closed ones stay as history.
            models.UniqueConstraint(
                fields=["resident", "phase"],
                condition=Q(status__in=["pending", "approved"]),
                name="one_open_waiting_entry_per_phase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} waiting list: {self.get_status_display().lower()}"

    def moves(self) -> list[WaitingStatus]:
        return WAITING_MOVES[WaitingStatus(self.status)]


class WaitingMove(StatusMove):
    """One change of a waiting-list entry's status: dated, attributed, with its reason."""

    entry = models.ForeignKey(WaitingListEntry, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=WaitingStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=WaitingStatus.choices)

    class Meta(StatusMove.Meta):
        pass


class CohortStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    CANCELLED = "cancelled", "Cancelled"


class CohortQuerySet(SiteScopedQuerySet):
    establishment_field = "wing__establishment"


class Cohort(VersionedModel):
    """A group that takes one phase together, for its number of weeks from ``starts_on``."""

    wing = models.ForeignKey(Wing, on_delete=models.PROTECT, related_name="cohorts")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    name = models.CharField(max_length=80, help_text="For example ‘Cohort 5’ or ‘Spring 2027’")
    starts_on = models.DateField("starts on")
    ends_on = models.DateField("ends on", help_text="Follows from the start and the phase's length")
    location = models.CharField(max_length=120)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    peer_mentors = models.ManyToManyField(Resident, blank=True, related_name="cohorts_supported")
    status = models.CharField(max_length=10, choices=CohortStatus.choices, default=CohortStatus.PLANNED)
    version = models.PositiveIntegerField(default=1)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["wing", "phase", "name"], name="unique_cohort_name_per_wing_phase"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("programme:cohort", args=[self.pk])


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    MOVED = "moved", "Moved to another cohort"


class WithdrawalReason(models.TextChoices):
    CHANGED_MIND = "changed_mind", "Changed their mind"
    SAFETY = "safety", "Removed from the wing for safety or security"
    HEALTH = "health", "Health"
    BEHAVIOUR = "behaviour", "Behaviour"
    PRIORITIES = "priorities", "Other priorities"
    BY_STAFF = "by_staff", "Withdrawn by staff"
    LEFT_WING = "left_wing", "Left the wing"


class EnrolmentQuerySet(OneResidentsQuerySet):
    def open(self) -> "EnrolmentQuerySet":
        return self.filter(status=EnrolmentStatus.ENROLLED)


class Enrolment(models.Model):
    """A resident's place in a cohort. The phase is kept here too, so that the database
    holds the rule of one open enrolment per phase."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="enrolments")
    phase = models.CharField(max_length=10, choices=Phase.choices)
    enrolled_on = models.DateField("enrolled on")
    status = models.CharField(max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED)
    ended_on = models.DateField("ended on", null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=WithdrawalReason.choices, blank=True)
    justification = models.TextField(blank=True)
    graduated_on = models.DateField("graduation", null=True, blank=True)
    attended_ceremony = models.BooleanField("attended the celebration", null=True, blank=True)
    waiting_entry = models.ForeignKey(
        WaitingListEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="enrolments"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["resident__pseudonym", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "phase"], condition=Q(status="enrolled"), name="one_open_enrolment_per_phase"
            ),
            models.CheckConstraint(
                condition=Q(status="enrolled", ended_on__isnull=True)
                | ~Q(status="enrolled") & Q(ended_on__isnull=False),
                name="enrolment_ended_unless_enrolled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort}: {self.get_status_display().lower()}"


class Topic(models.TextChoices):
    SELF_REFLECTION = "self_reflection", "Self-reflection"
    THINKING_SKILLS = "thinking_skills", "Thinking skills"
    EMPLOYABILITY = "employability", "Employability"
    RESETTLEMENT = "resettlement", "Resettlement planning"
    GYM = "gym", "Gym team building"
    LIVED_EXPERIENCE = "lived_experience", "Lived-experience session"
    COMMUNITY_PROJECT = "community_project", "Community project"
    OTHER = "other", "Other"


class DeliveredBy(models.TextChoices):
    CFO_STAFF = "cfo_staff", "CFO staff"
    PRIME_PROVIDER = "prime_provider", "Prime provider"
    PE = "pe", "PE department"
    CHARITY = "charity", "External charity"
    LIVED_EXPERIENCE = "lived_experience", "Lived-experience tutor"


class CancelReason(models.TextChoices):
    STAFF_UNAVAILABLE = "staff_unavailable", "Staff unavailable"
    STAFF_TRAINING = "staff_training", "Staff training"
    LOCATION = "location", "Location unavailable"
    OPERATIONAL = "operational", "Prison operational issue"
    NOT_REQUIRED = "not_required", "Not required"


class SessionQuerySet(SiteScopedQuerySet):
    establishment_field = "cohort__wing__establishment"

    def held(self, *, today) -> "SessionQuerySet":
        """Sessions that took place: not cancelled, and not in the future."""
        return self.filter(cancel_reason="", on__lte=today)


class Session(VersionedModel):
    """One meeting of a cohort. ``version`` guards its register: two people marking the
    same session at once cannot silently overwrite each other."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    on = models.DateField("date")
    starts_at = models.TimeField("starts at")
    ends_at = models.TimeField("ends at")
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.OTHER)
    delivered_by = models.CharField("delivered by", max_length=20, choices=DeliveredBy.choices)
    co_delivered_by = models.ManyToManyField(
        Resident, blank=True, related_name="sessions_co_delivered", verbose_name="co-delivered by peer mentors"
    )
    location = models.CharField(max_length=120, blank=True)
    # A catch-up is for the residents named; the cohort's other sessions are for everyone enrolled.
    catch_up_for = models.ManyToManyField(Resident, blank=True, related_name="catch_up_sessions")
    # A session that fell on a bank holiday and was moved to the end of the sequence.
    moved_from = models.DateField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=20, choices=CancelReason.choices, blank=True)
    cancel_note = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["on", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "on", "starts_at"], name="one_session_per_cohort_slot"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} session on {self.on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("programme:session", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return bool(self.cancel_reason)


class Mark(models.TextChoices):
    ATTENDED = "attended", "Attended"
    SICK = "sick", "Sick"
    REFUSED = "refused", "Refused"
    EXCUSED = "excused", "Not required or excused"
    REST_DAY = "rest_day", "Rest day"
    CLASH = "clash", "Clash with another appointment"
    OTHER = "other", "Other"


# Absences that do not count against a resident's attendance: the session was not theirs to
# attend. "Refused" and "other" are absences.
EXCUSED_MARKS = [Mark.EXCUSED, Mark.REST_DAY, Mark.CLASH, Mark.SICK]


class AttendanceQuerySet(OneResidentsQuerySet):
    pass


class Attendance(models.Model):
    """One resident's mark for one session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="attendances")
    mark = models.CharField(max_length=10, choices=Mark.choices)
    other_reason = models.CharField("other reason", max_length=200, blank=True)
    supported_by = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="attendances_supported"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["session__on", "resident__pseudonym"]
        constraints = [
            models.UniqueConstraint(fields=["session", "resident"], name="one_mark_per_session_resident"),
            models.CheckConstraint(condition=Q(mark="other") | Q(other_reason=""), name="other_reason_only_for_other"),
        ]

    def __str__(self) -> str:
        return f"{self.get_mark_display()}: {self.session}"


class AttendanceChange(models.Model):
    """A mark as it was before a correction: what it said, who had recorded it, and who
    changed it when."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="changes")
    mark = models.CharField(max_length=10, choices=Mark.choices)
    other_reason = models.CharField(max_length=200, blank=True)
    supported_by = models.ForeignKey(Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"was {self.get_mark_display().lower()}"


# Meetings, suggestions and "You said, we did" (sections 1.4.2, 2.1 and Appendix 1).


class MeetingKind(models.TextChoices):
    COMMUNITY = "community", "Weekly community meeting"
    HIG = "hig", "Hamlet Improvement Group"
    COUNCIL = "council", "Prisoner Council"
    FORUM = "forum", "Wing decision-making forum"
    BEYOND = "beyond", "Forum beyond the prison"


class MeetingQuerySet(SiteScopedQuerySet):
    establishment_field = "wing__establishment"


class Meeting(VersionedModel):
    """A meeting of the wing's community or a forum it takes part in. The minutes are staff's
    record: they name residents only by pseudonym, and each resident's attendance is their
    own row (``MeetingAttendee``)."""

    wing = models.ForeignKey(Wing, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=10, choices=MeetingKind.choices)
    held_on = models.DateField("held on")
    title = models.CharField(max_length=120, blank=True, help_text="For a forum beyond the prison: which")
    chair = models.CharField(max_length=80, blank=True, help_text="Who chaired it: a job title or a pseudonym")
    staff_present = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    minutes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("programme:meeting", args=[self.pk])


class MeetingAttendee(models.Model):
    """One resident at one meeting: the person's own row in a shared record."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="meetings_attended")
    as_peer_mentor = models.BooleanField("there as a peer mentor", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "resident"], name="one_attendance_per_meeting")]

    def __str__(self) -> str:
        return f"At {self.meeting}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionQuerySet(SiteScopedQuerySet):
    establishment_field = "meeting__wing__establishment"

    def open(self) -> "ActionQuerySet":
        return self.filter(status=ActionStatus.OPEN)


class Action(VersionedModel):
    """Something a meeting agreed to do. An open action is carried forward to the next
    meeting of the same kind, where it is reviewed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField("what", max_length=300)
    owner_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="owner (staff)",
    )
    owner_resident = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_actions",
        verbose_name="owner (resident)",
    )
    due_on = models.DateField("due", null=True, blank=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_on = models.DateField("done on", null=True, blank=True)
    reviewed_at = models.ManyToManyField(Meeting, blank=True, related_name="actions_reviewed")
    version = models.PositiveIntegerField(default=1)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | ~Q(status="done") & Q(done_on__isnull=True),
                name="action_done_on_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class SuggestionSource(models.TextChoices):
    BOX = "box", "Suggestion box"
    COURSE_FORM = "course_form", "End-of-course evaluation form"


class MentorPart(models.TextChoices):
    """Appendix 1's consultation rung: a peer mentor's part in gathering residents' views."""

    NONE = "none", "None"
    HANDED_OUT = "handed_out", "Handed it out"
    COLLECTED = "collected", "Collected it"
    BROUGHT = "brought", "Brought it from a resident"


class Answer(models.TextChoices):
    ADOPTED = "adopted", "Adopted"
    ADAPTED = "adapted", "Adapted"
    DECLINED = "declined", "Declined"


class SuggestionQuerySet(SiteScopedQuerySet):
    establishment_field = "wing__establishment"

    def answered(self) -> "SuggestionQuerySet":
        return self.exclude(answer="")


class Suggestion(VersionedModel):
    """A suggestion-box entry or course evaluation form, taken to a meeting and answered."""

    wing = models.ForeignKey(Wing, on_delete=models.PROTECT, related_name="suggestions")
    source = models.CharField(max_length=12, choices=SuggestionSource.choices)
    received_on = models.DateField("received on")
    text = models.TextField("what they said")
    resident = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        help_text="Empty if it was anonymous",
    )
    mentor_part = models.CharField(
        "a peer mentor's part", max_length=12, choices=MentorPart.choices, default=MentorPart.NONE
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions", verbose_name="taken to"
    )
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    reason = models.CharField("why it was declined", max_length=300, blank=True)
    we_did = models.TextField("what was done", blank=True)
    done_on = models.DateField("done on", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} of {self.received_on:%-d %B %Y}"


# Community projects (Phase 2): residents giving back to the wing and beyond.


class Proposer(models.TextChoices):
    RESIDENT = "resident", "A resident"
    PEER_MENTOR = "peer_mentor", "A peer mentor"
    STAFF = "staff", "Staff"
    MEETING = "meeting", "A meeting"


class Beneficiary(models.TextChoices):
    WING = "wing", "The wing"
    PRISON = "prison", "The prison"
    CHARITY = "charity", "A charity outside"
    COMMUNITY = "community", "A community outside"


class ProjectStatus(models.TextChoices):
    IDEA = "idea", "Idea"
    AGREED = "agreed", "Agreed"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ProjectQuerySet(SiteScopedQuerySet):
    establishment_field = "wing__establishment"


class Project(VersionedModel):
    """A Phase 2 community project: an idea, who proposed it, who it is for, and the hours
    residents give to it."""

    wing = models.ForeignKey(Wing, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(max_length=120)
    idea = models.TextField(blank=True)
    proposed_by = models.CharField("proposed by", max_length=12, choices=Proposer.choices)
    for_whom = models.CharField("for", max_length=10, choices=Beneficiary.choices)
    beneficiary = models.CharField("who outside (optional)", max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.IDEA)
    version = models.PositiveIntegerField(default=1)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["status", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:project", args=[self.pk])


class ProjectHoursQuerySet(OneResidentsQuerySet):
    pass


class ProjectHours(models.Model):
    """Hours one resident gave to a project on one day."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="hours")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="project_hours")
    on = models.DateField("date")
    hours = models.DecimalField(
        max_digits=3, decimal_places=1, validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(12)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProjectHoursQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "resident", "on"], name="one_hours_entry_per_project_day")
        ]

    def __str__(self) -> str:
        return f"{self.hours} hours on {self.on:%d/%m/%Y}"
