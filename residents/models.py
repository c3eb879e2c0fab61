"""Residents of a CFO wing, their engagement journey and the pre-engagement support
staff give them (section 1.4 of the study)."""

from collections import Counter
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from hamlet.access import SiteScopedQuerySet
from hamlet.models import Establishment, Houseblock, Wing
from hamlet.versions import VersionedModel

PRISON_NUMBER_CONSTRAINT = "unique_prison_number_among_current_residents"
PRISON_NUMBER_RE = r"^[A-Z][0-9]{4}[A-Z]{2}$"
prison_number_validator = RegexValidator(
    PRISON_NUMBER_RE, "Enter a prison number in the format one letter, four numbers, two letters, like A1234BC"
)


class SentenceType(models.TextChoices):
    SHORT = "short", "Short"
    INTERMEDIATE = "intermediate", "Intermediate"
    LONG_DETERMINATE = "long_determinate", "Long determinate"
    LIFE = "life", "Life"
    IPP = "ipp", "IPP"
    REMAND = "remand", "Remand"


class AgeBand(models.TextChoices):
    UNDER_21 = "18-20", "18 to 20"
    UNDER_25 = "21-24", "21 to 24"
    UNDER_30 = "25-29", "25 to 29"
    THIRTIES = "30-39", "30 to 39"
    FORTIES = "40-49", "40 to 49"
    FIFTIES = "50-59", "50 to 59"
    OVER_60 = "60+", "60 or over"


class DepartureReason(models.TextChoices):
    RELEASED = "released", "Released"
    TRANSFERRED = "transferred", "Transferred"
    OPEN_CONDITIONS = "open_conditions", "Transferred to open conditions"
    RECALLED = "recalled", "Recalled"
    MOVED_OFF_WING = "moved_off_wing", "Moved off the wing"
    # A person referred onto the wing who never came: the referral was declined or withdrawn.
    REFERRAL_CLOSED = "referral_closed", "Referral closed without moving onto the wing"


class Stage(models.TextChoices):
    """The engagement journey of section 1.4, as one sequence. Residents records the
    first three; the programme moves people into and through the phases."""

    NOT_ENGAGED = "not_engaged", "Not engaged"
    PRE_ENGAGEMENT = "pre_engagement", "Pre-engagement support"
    READY = "ready", "Ready for the course"
    PHASE_1 = "phase_1", "Phase 1"
    PHASE_2 = "phase_2", "Phase 2"
    COMPLETED = "completed", "Completed"


# The earliest arrival Hamlet accepts: anything before is a typing mistake, not a long stay.
EARLIEST_ARRIVAL = date(1990, 1, 1)

PRE_ENGAGEMENT_STAGES = [Stage.NOT_ENGAGED, Stage.PRE_ENGAGEMENT, Stage.READY]

ARRIVAL_MISSING = "Enter the date they arrived on the wing"


class ResidentQuerySet(SiteScopedQuerySet):
    def visible_to(self, user) -> "ResidentQuerySet":
        """The site rule, plus limited-access records only for the staff named on them."""
        named = Resident.permitted_staff.through.objects.filter(resident=OuterRef("pk"), user=user.pk)
        return super().visible_to(user).filter(Q(limited_access=False) | Exists(named))

    def current(self) -> "ResidentQuerySet":
        return self.filter(departed_on__isnull=True)

    def departed(self) -> "ResidentQuerySet":
        return self.filter(departed_on__isnull=False)

    def on_wing(self, wing: Wing) -> "ResidentQuerySet":
        return self.filter(wing=wing)

    def not_on_a_wing(self) -> "ResidentQuerySet":
        """People of the establishment referred onto a wing who have not moved onto it yet."""
        return self.filter(wing__isnull=True)

    def not_anonymised(self) -> "ResidentQuerySet":
        return self.filter(anonymised_on__isnull=True)


class Resident(VersionedModel):
    # Null, not blank, once anonymised. Unique among the current residents of one establishment
    # (see Meta.constraints): a person transferred in is a new record at the receiving prison.
    prison_number = models.CharField(  # noqa: DJ001
        max_length=7,
        null=True,
        blank=False,
        validators=[prison_number_validator],
    )
    pseudonym = models.CharField(
        max_length=60, help_text="The name Hamlet shows on screen. Never use the person's real name."
    )
    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="residents")
    # No wing (and no arrival) for a person referred onto the wing from elsewhere in the
    # establishment who has not moved onto it yet (the programme's referrals).
    wing = models.ForeignKey(Wing, on_delete=models.PROTECT, null=True, blank=True, related_name="residents")
    houseblock = models.ForeignKey(Houseblock, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    room = models.CharField(max_length=10, blank=True)
    sentence_type = models.CharField(max_length=20, choices=SentenceType.choices)
    age_band = models.CharField(max_length=5, choices=AgeBand.choices)
    arrived_on = models.DateField("arrived on the wing", null=True, blank=True)
    departed_on = models.DateField("left the wing", null=True, blank=True)
    departure_reason = models.CharField(max_length=20, choices=DepartureReason.choices, blank=True)
    cats_id = models.CharField("CATS participant ID", max_length=20, blank=True)
    evaluation_consent = models.BooleanField("consents to take part in the evaluation", default=False)
    consent_date = models.DateField(null=True, blank=True)
    consent_witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    limited_access = models.BooleanField(
        default=False,
        help_text="Only the staff named below can open this record; everyone else is told it does not exist",
    )
    permitted_staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NOT_ENGAGED)
    anonymised_on = models.DateField(null=True, blank=True)
    # Bumped on every edit, so a second person saving an older copy is stopped.
    version = models.PositiveIntegerField(default=1)

    objects = ResidentQuerySet.as_manager()

    # Set while residents are admitted together (an import): the rooms and names of the wing,
    # read once for all of them, with those admitted before this one counted as if saved.
    intake: "Intake | None" = None

    class Meta:
        ordering = ["pseudonym"]
        permissions = [
            ("export_resident", "Can export lists of residents"),
            ("import_resident", "Can import residents from a spreadsheet"),
            ("anonymise_resident", "Can anonymise residents who left long ago"),
            ("subject_access_resident", "Can download everything held about a resident"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(departed_on__isnull=True, departure_reason="")
                | Q(departed_on__isnull=False) & ~Q(departure_reason=""),
                name="resident_departure_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(departed_on__isnull=True)
                | Q(arrived_on__isnull=True)
                | Q(departed_on__gte=models.F("arrived_on")),
                name="resident_departs_after_arriving",
            ),
            # On a wing since a date, or on none yet (referred onto it): never one without the other.
            models.CheckConstraint(
                condition=Q(wing__isnull=True, arrived_on__isnull=True)
                | Q(wing__isnull=False, arrived_on__isnull=False),
                name="resident_wing_and_arrival_together",
            ),
            # A limited-access record is left out, so admitting someone whose number a hidden record
            # holds is refused by nothing the admitting user could notice (residents.services).
            models.UniqueConstraint(
                fields=["establishment", "prison_number"],
                condition=Q(departed_on__isnull=True, limited_access=False, prison_number__isnull=False),
                name=PRISON_NUMBER_CONSTRAINT,
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    def get_absolute_url(self) -> str:
        return reverse("residents:detail", args=[self.pk])

    def validate_constraints(self, exclude=None):
        # Django's own check would say "already exists" of a record the user may not open;
        # the forms and the importer check the user's own scope instead (residents.selectors).
        constraints = [(model, [c for c in checks if c.name != PRISON_NUMBER_CONSTRAINT])
                       for model, checks in self.get_constraints()]  # fmt: skip
        errors = {}
        for model_class, model_constraints in constraints:
            for constraint in model_constraints:
                if exclude and isinstance(constraint, models.CheckConstraint):
                    # Django skips a check on a field left out of validation only after building
                    # its query (a FieldError); an import leaves out the departure, each row.
                    if Q(constraint.condition).referenced_base_fields & set(exclude):
                        continue
                try:
                    constraint.validate(model_class, self, exclude=exclude)
                except ValidationError as error:
                    errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        return self.departed_on is None

    @property
    def on_a_wing(self) -> bool:
        """False for a person referred onto the wing who has not moved onto it (yet)."""
        return self.wing_id is not None

    def clean(self) -> None:
        """The rules for every way a resident gets in: the admit and edit forms, and the import."""
        super().clean()
        errors: dict[str, str] = {}
        if self.wing_id is not None and self.arrived_on is None:
            errors["arrived_on"] = ARRIVAL_MISSING
        elif self.arrived_on and self.arrived_on > timezone.localdate():
            errors["arrived_on"] = "The date they arrived on the wing cannot be in the future"
        elif self.arrived_on and self.arrived_on < EARLIEST_ARRIVAL:
            errors["arrived_on"] = f"The date they arrived on the wing must be after {EARLIEST_ARRIVAL:%-d %B %Y}"
        self.room = self.room.strip()
        if room_error := self._room_error():
            errors["room"] = room_error
        elif self.is_current and self.pseudonym and self.wing_id and self._shares_name_and_place():
            errors["pseudonym"] = (
                "Another resident on the wing has this pseudonym and the same houseblock and room."
                " Choose another pseudonym, or give the houseblock and room that tell them apart."
            )
        if errors:
            raise ValidationError(errors)

    def _room_error(self) -> str:
        if self.room and self.houseblock_id is None:
            return "Select the houseblock the room is on, or leave the room empty"
        if not self.room:
            return ""
        houseblock = self.houseblock
        if not self.room.isdigit() or not 1 <= int(self.room) <= houseblock.rooms:
            return f"Room must be a number from 1 to {houseblock.rooms} on {houseblock.name}"
        self.room = str(int(self.room))
        if self.is_current and self._moves_room():
            # Counted across every resident, seen or not; the refusal names no one.
            others = Resident.objects.current().filter(houseblock=houseblock, room=self.room).exclude(pk=self.pk)
            taken = self.intake.beds_taken[houseblock.pk, self.room] if self.intake is not None else others.count()
            if taken >= houseblock.beds_per_room:
                beds = "1 bed" if houseblock.beds_per_room == 1 else f"{houseblock.beds_per_room} beds"
                return f"Room {self.room} on {houseblock.name} is full: it has {beds}. Choose another room."
        return ""

    def _moves_room(self) -> bool:
        """Whether the resident is being placed: new, or moved to another room. A resident
        already in a room keeps it, so editing something else is never refused."""
        if self.pk is None:
            return True
        stored = Resident.objects.filter(pk=self.pk).values("houseblock_id", "room", "departed_on").first()
        return stored != {"houseblock_id": self.houseblock_id, "room": self.room, "departed_on": None}

    def _shares_name_and_place(self) -> bool:
        # Every picker shows the houseblock and room beside a shared pseudonym (see
        # residents.forms.ResidentChoiceField), so two people with one name must differ there.
        if self.intake is not None:
            return self.intake.names_in_place[self.intake.name_key(self.pseudonym), self.houseblock_id, self.room] > 0
        return self.namesakes().filter(houseblock=self.houseblock_id, room=self.room).exists()

    def namesakes(self) -> "ResidentQuerySet":
        """Other current residents of the wing with the same pseudonym, seen or not."""
        if self.wing_id is None:
            return Resident.objects.none()
        return (
            Resident.objects.current()
            .filter(wing=self.wing_id, pseudonym__iexact=self.pseudonym.strip())
            .exclude(pk=self.pk)
        )

    @property
    def placement(self) -> str:
        if self.wing_id is None:
            return "not on a wing yet"
        if self.houseblock_id is None:
            return "not allocated"
        return f"{self.houseblock.name}, room {self.room}" if self.room else self.houseblock.name


class Intake:
    """Residents admitted together, as an import admits a file. ``Resident.clean`` counts a
    room's beds and looks for a namesake in the same place with a query each; for a file of
    residents those are read here once, for the whole wing, and each resident ``add`` ed counts
    for the ones after it, as it would once saved (two rows of a file cannot fill one bed)."""

    def __init__(self, wing: Wing):
        self.wing_id = wing.pk
        self.beds_taken: Counter[tuple[int, str]] = Counter()
        self.names_in_place: Counter[tuple[str, int | None, str]] = Counter()
        current = Resident.objects.current().filter(Q(wing=wing) | Q(houseblock__wing=wing))
        for resident in current.only("wing_id", "houseblock_id", "room", "pseudonym"):
            self.add(resident)

    @staticmethod
    def name_key(pseudonym: str) -> str:
        return pseudonym.strip().upper()  # as pseudonym__iexact compares

    def add(self, resident: Resident) -> None:
        if resident.houseblock_id is not None and resident.room:
            self.beds_taken[resident.houseblock_id, resident.room] += 1
        if resident.wing_id == self.wing_id:
            self.names_in_place[self.name_key(resident.pseudonym), resident.houseblock_id, resident.room] += 1


class StageChange(models.Model):
    """One step on the engagement journey: when, to what, and who recorded it."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} from {self.changed_on:%d/%m/%Y}"


class SupportType(models.TextChoices):
    ROOM_VISIT = "room_visit", "Room visit"
    CONFIDENCE = "confidence", "Confidence building"
    ACCOMPANIED = "accompanied", "Accompanied off the houseblock"
    ANXIETY = "anxiety", "Anxiety support"
    FAMILY = "family", "Family contact"
    OTHER = "other", "Other"


class SupportContact(models.Model):
    """The one-to-one work that gets a reluctant resident to the point of joining the
    course: the study's largely unacknowledged pre-engagement support."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="support_contacts")
    contact_on = models.DateField("date")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    contact_type = models.CharField("type of support", max_length=20, choices=SupportType.choices)
    # The time it took, so the dashboard can show the hours of this largely unseen work.
    minutes = models.PositiveSmallIntegerField(
        "time spent in minutes", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    notes = models.TextField(blank=True)
    next_step = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contact_on", "-recorded_at"]
        # The month's support, for the home page's figures, without reading every contact.
        indexes = [models.Index(fields=["contact_on"], name="support_contact_on")]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} on {self.contact_on:%d/%m/%Y}"


class NonAssociationQuerySet(models.QuerySet):
    def involving(self, resident: Resident) -> "NonAssociationQuerySet":
        """The pairs the resident is in, on either side."""
        return self.filter(Q(first=resident) | Q(second=resident))


class NonAssociation(models.Model):
    """Two residents who must not be placed together, stored once with the lower id first."""

    first = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = NonAssociationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="unique_non_association"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="non_association_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first} and {self.second}"

    def other(self, resident: Resident) -> Resident:
        return self.second if resident.pk == self.first_id else self.first
