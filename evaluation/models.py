from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from evaluation.ladder import RUNG_CHOICES
from evaluation.mapping import Construct
from hamlet.access import SiteScopedQuerySet
from hamlet.models import Organisation, Wing
from hamlet.versions import VersionedModel
from mentoring.models import PeerRole
from programme.models import Cohort
from residents.models import Resident


class ExtractedResident(Resident):
    """A resident as the research extract gives them: pseudonymised, consenting only. A proxy
    with no table of its own, here to carry the evaluation app's permission to see and
    download the extract."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("view_research_extract", "Can see and download the pseudonymised research extract")]


class PeriodQuerySet(SiteScopedQuerySet):
    establishment_field = "wing__establishment"

    def open(self) -> "PeriodQuerySet":
        return self.filter(closed_on__isnull=True)

    def closed(self) -> "PeriodQuerySet":
        return self.filter(closed_on__isnull=False)


class AssessmentPeriod(VersionedModel):
    """A stretch of time over which a wing's evaluation instruments are recorded, so that any
    two periods can be compared. Closed, it is read-only until a custody manager reopens it."""

    wing = models.ForeignKey(Wing, on_delete=models.PROTECT, related_name="assessment_periods")
    label = models.CharField(max_length=80, help_text="For example ‘Baseline’ or ‘Follow-up, spring 2027’")
    starts_on = models.DateField("starts on")
    ends_on = models.DateField("ends on")
    baseline = models.BooleanField("this is the wing's baseline", default=False)
    closed_on = models.DateField("closed on", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["wing", "label"], name="unique_period_label_per_wing"),
            models.UniqueConstraint(fields=["wing"], condition=Q(baseline=True), name="one_baseline_per_wing"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("evaluation:period", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def dates(self) -> str:
        return f"{self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"


class PeriodReopening(models.Model):
    """A closed period opened again: when, by whom and why."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="reopenings")
    reason = models.CharField(max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Reopened on {timezone.localtime(self.at):%-d %B %Y}"


class Rating(models.TextChoices):
    """The grid's three ratings, each with its word: the colour is never shown alone."""

    GREEN = "green", "Successes identified"
    ORANGE = "orange", "Realistic future potential"
    RED = "red", "Little or no opportunity"


STAGE_CHOICES = [(number, f"Stage {number}") for number in range(1, 7)]

RATING_ORDER = {Rating.RED: 0, Rating.ORANGE: 1, Rating.GREEN: 2}


class GridRatingQuerySet(SiteScopedQuerySet):
    establishment_field = "period__wing__establishment"


class GridRating(VersionedModel):
    """One stage of the social-capital grid (``evaluation.grid``) rated for one period."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="grid_ratings")
    stage = models.PositiveSmallIntegerField(choices=STAGE_CHOICES)
    rating = models.CharField(max_length=6, choices=Rating.choices)
    evidence = models.TextField(max_length=2000)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rated_on = models.DateField("rated on", default=timezone.localdate)
    version = models.PositiveIntegerField(default=1)

    objects = GridRatingQuerySet.as_manager()

    class Meta:
        ordering = ["stage"]
        constraints = [models.UniqueConstraint(fields=["period", "stage"], name="one_rating_per_stage_per_period")]

    def __str__(self) -> str:
        return f"Stage {self.stage}: {self.get_rating_display()}"


class RoleRungQuerySet(SiteScopedQuerySet):
    establishment_field = "period__wing__establishment"


class RoleRung(VersionedModel):
    """Where one peer role stands on the participation ladder (``evaluation.ladder``) in one
    period, why, and what the wing plans to reach the next rung."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="role_rungs")
    role = models.ForeignKey(PeerRole, on_delete=models.PROTECT, related_name="rungs")
    rung = models.PositiveSmallIntegerField(choices=RUNG_CHOICES)
    evidence = models.TextField(max_length=2000)
    plan = models.TextField("plan for the next rung", max_length=2000, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rated_on = models.DateField("rated on", default=timezone.localdate)
    version = models.PositiveIntegerField(default=1)

    objects = RoleRungQuerySet.as_manager()

    class Meta:
        ordering = ["role__order", "role__title"]
        constraints = [models.UniqueConstraint(fields=["period", "role"], name="one_rung_per_role_per_period")]

    def __str__(self) -> str:
        return f"{self.role}: rung {self.get_rung_display()}"


class MappingQuerySet(SiteScopedQuerySet):
    establishment_field = "period__wing__establishment"


class RelationalMapping(VersionedModel):
    """One cohort's relational mapping exercise in one period (``evaluation.mapping``)."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="mappings")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="mappings")
    held_on = models.DateField("held on")
    notes = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    objects = MappingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["period", "cohort"], name="one_mapping_per_cohort_per_period")]

    def __str__(self) -> str:
        return f"{self.cohort}, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:mapping", args=[self.pk])


class MappingScore(models.Model):
    """One element's score on one construct in a mapping. ``element`` is one of
    ``mapping.Element`` or a name the cohort gave."""

    mapping = models.ForeignKey(RelationalMapping, on_delete=models.CASCADE, related_name="scores")
    element = models.CharField(max_length=60)
    construct = models.CharField(max_length=15, choices=Construct.choices)
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mapping", "element", "construct"], name="one_score_per_cell"),
            models.CheckConstraint(condition=Q(score__lte=10), name="score_out_of_ten"),
        ]

    def __str__(self) -> str:
        return f"{self.element}, {self.get_construct_display()}: {self.score}"


class ClimateIndicator(models.Model):
    """One of the social-climate measures counted monthly (self-harm incidents, fights and
    violence, ...): a catalogue the administrator keeps in the admin."""

    name = models.CharField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in forms and tables")
    retired = models.BooleanField(default=False, help_text="No longer counted; earlier counts are kept")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ClimateMonthQuerySet(SiteScopedQuerySet):
    establishment_field = "wing__establishment"


class ClimateMonth(VersionedModel):
    """A wing's social-climate counts for one calendar month (``month`` is its first day)."""

    wing = models.ForeignKey(Wing, on_delete=models.PROTECT, related_name="climate_months")
    month = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)  # the chart says when its figures last changed
    version = models.PositiveIntegerField(default=1)

    objects = ClimateMonthQuerySet.as_manager()

    class Meta:
        ordering = ["-month"]
        # The first of the month, as the service stores it (a CHECK on the day would need a
        # function SQLite does not have in its schema).
        constraints = [models.UniqueConstraint(fields=["wing", "month"], name="one_climate_record_per_wing_month")]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}"


class ClimateCount(models.Model):
    record = models.ForeignKey(ClimateMonth, on_delete=models.CASCADE, related_name="counts")
    indicator = models.ForeignKey(ClimateIndicator, on_delete=models.PROTECT, related_name="counts")
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "indicator"], name="one_count_per_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.count}"


class VoiceKind(models.TextChoices):
    """What focus groups and interviews found (sections 1.5 and 1.7), each kept in priority order."""

    ENABLER = "enabler", "Enablers of a more fulfilling life in prison"
    BARRIER = "barrier", "Barriers to a more fulfilling life in prison"
    ASPIRATION = "aspiration", "Aspirations"
    IMPACT_MENTORS = "impact_mentors", "Impact on peer mentors"
    IMPACT_SUPPORTED = "impact_supported", "Impact on those peer mentors support"
    BENEFITS_MOST = "benefits_most", "Residents who benefit most"


class VoiceQuerySet(SiteScopedQuerySet):
    establishment_field = "period__wing__establishment"


class Voice(VersionedModel):
    """One thing a period's focus groups or interviews found, at its place in priority order,
    with how peer mentors could help (section 1.7.4) where the group said."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="voices")
    kind = models.CharField(max_length=20, choices=VoiceKind.choices)
    priority = models.PositiveSmallIntegerField(help_text="1 for the highest priority")
    summary = models.CharField(max_length=120, help_text="A few words, as a heading")
    detail = models.TextField(max_length=1000, blank=True)
    mentors_could_help = models.TextField("how peer mentors could help", max_length=1000, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = VoiceQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "priority", "pk"]

    def __str__(self) -> str:
        return self.summary


class FindingKind(models.TextChoices):
    """The study's section 2."""

    GOOD_PRACTICE = "good_practice", "Good practice"
    CHALLENGE = "challenge", "Challenge"
    LESSON = "lesson", "Lesson learnt"
    RECOMMENDATION = "recommendation", "Recommendation"


class FindingStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class FindingQuerySet(SiteScopedQuerySet):
    establishment_field = "period__wing__establishment"


class Finding(VersionedModel):
    """Good practice, a challenge, a lesson or a recommendation from a period, tracked as an
    action: who owns it, when it is due, how far it has got. A recommendation may aim to move
    a stage of the grid or a rung of the ladder."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=15, choices=FindingKind.choices)
    summary = models.CharField(max_length=160)
    detail = models.TextField(max_length=2000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField("due", null=True, blank=True)
    status = models.CharField(max_length=12, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    grid_stage = models.PositiveSmallIntegerField(
        "grid stage it aims to move", null=True, blank=True, choices=[(n, f"Stage {n}") for n in range(1, 7)]
    )
    ladder_rung = models.PositiveSmallIntegerField(
        "ladder rung it aims for", null=True, blank=True, choices=RUNG_CHOICES
    )
    version = models.PositiveIntegerField(default=1)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.summary

    def get_absolute_url(self) -> str:
        return reverse("evaluation:finding", args=[self.pk])


class FindingProgress(models.Model):
    """A dated note of how a finding's action is going, and the status it moved to."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="progress")
    on = models.DateField()
    note = models.TextField(max_length=1000)
    status = models.CharField(max_length=12, choices=FindingStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on:%-d %B %Y}: {self.get_status_display()}"


class Attribute(models.Model):
    """A quality of a good peer-role holder (section 1.6): a catalogue the administrator keeps
    in the admin, starting from the three core conditions of peer mentoring."""

    name = models.CharField(max_length=80, unique=True)
    core = models.BooleanField("one of the three core conditions", default=False)
    order = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False, help_text="No longer asked about; earlier counts are kept")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class AttributeSurveyQuerySet(SiteScopedQuerySet):
    establishment_field = "period__wing__establishment"


class AttributeSurvey(VersionedModel):
    """How many of a period's interviews named each attribute."""

    period = models.OneToOneField(AssessmentPeriod, on_delete=models.CASCADE, related_name="attribute_survey")
    interviews = models.PositiveIntegerField("interviews held")
    updated_at = models.DateTimeField(auto_now=True)  # the chart says when its figures last changed
    version = models.PositiveIntegerField(default=1)

    objects = AttributeSurveyQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Attributes named in {self.period}"


class AttributeCount(models.Model):
    survey = models.ForeignKey(AttributeSurvey, on_delete=models.CASCADE, related_name="counts")
    attribute = models.ForeignKey(Attribute, on_delete=models.PROTECT, related_name="counts")
    interviews = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "attribute"], name="one_count_per_attribute")]

    def __str__(self) -> str:
        return f"{self.attribute}: {self.interviews}"


class StaffPostQuerySet(SiteScopedQuerySet):
    establishment_field = "wing__establishment"


class StaffPost(VersionedModel):
    """A funded post in the wing's staff team (section 1.2.1): its job title, who employs it
    and how many are funded."""

    wing = models.ForeignKey(Wing, on_delete=models.PROTECT, related_name="staff_posts")
    title = models.CharField("job title", max_length=120)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    funded = models.PositiveSmallIntegerField("posts funded")
    order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    objects = StaffPostQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        constraints = [models.UniqueConstraint(fields=["wing", "title", "organisation"], name="unique_staff_post")]

    def __str__(self) -> str:
        return f"{self.title}, {self.organisation}"

    @property
    def name(self) -> str:
        return str(self)


class StaffMonth(VersionedModel):
    """How many of each of the wing's funded posts were filled in a month (its first day)."""

    wing = models.ForeignKey(Wing, on_delete=models.PROTECT, related_name="staff_months")
    month = models.DateField()
    version = models.PositiveIntegerField(default=1)

    objects = StaffPostQuerySet.as_manager()

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["wing", "month"], name="one_staff_record_per_wing_month")]

    def __str__(self) -> str:
        return f"Staff team, {self.month:%B %Y}"


class StaffFilled(models.Model):
    record = models.ForeignKey(StaffMonth, on_delete=models.CASCADE, related_name="filled")
    post = models.ForeignKey(StaffPost, on_delete=models.CASCADE, related_name="filled")
    count = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "post"], name="one_filled_count_per_post")]

    def __str__(self) -> str:
        return f"{self.post}: {self.count}"


class DeliveryNoteQuerySet(SiteScopedQuerySet):
    establishment_field = "role__establishment"


class RoleDeliveryNote(VersionedModel):
    """Table 1.3 for one CFO peer role, in words, where the mentoring records do not say it:
    who trains holders, in what, how they are supervised, and where the role leads."""

    role = models.OneToOneField(PeerRole, on_delete=models.CASCADE, related_name="delivery_note")
    training_provider = models.CharField(max_length=300, blank=True)
    training = models.CharField(max_length=300, blank=True)
    supervision = models.CharField("supervision and oversight", max_length=300, blank=True)
    progression = models.CharField("progression routes", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = DeliveryNoteQuerySet.as_manager()

    def __str__(self) -> str:
        return f"How {self.role} is delivered"
