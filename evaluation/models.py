from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from evaluation.ladder import RUNG_CHOICES
from hamlet.access import SiteScopedQuerySet
from hamlet.models import Wing
from hamlet.versions import VersionedModel
from mentoring.models import PeerRole
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


RATING_ORDER = {Rating.RED: 0, Rating.ORANGE: 1, Rating.GREEN: 2}


class GridRatingQuerySet(SiteScopedQuerySet):
    establishment_field = "period__wing__establishment"


class GridRating(VersionedModel):
    """One stage of the social-capital grid (``evaluation.grid``) rated for one period."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="grid_ratings")
    stage = models.PositiveSmallIntegerField(choices=[(number, f"Stage {number}") for number in range(1, 7)])
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
