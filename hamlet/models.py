"""The site: establishments, their CFO wings and houseblocks, the organisations that
deliver the programme, and the staff who may see each establishment."""

import base64
import hashlib
import hmac

from django.conf import settings
from django.core import checks
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from hamlet.access import SiteScopedQuerySet
from hamlet.pseudonyms import server_key_errors
from hamlet.versions import VersionedModel


def display_name(user) -> str:
    """How Hamlet names a member of staff: their full name, or their username if it is not set."""
    return user.get_full_name() or user.get_username()


class EstablishmentQuerySet(SiteScopedQuerySet):
    establishment_field = "pk"


class WingQuerySet(SiteScopedQuerySet):
    establishment_field = "establishment"


class HouseblockQuerySet(SiteScopedQuerySet):
    establishment_field = "wing__establishment"


class Estate(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    YOI = "yoi", "Young offender institution"
    MIXED = "mixed", "Mixed"


class Establishment(models.Model):
    """A prison (Table 1.1 of the study)."""

    nomis_code = models.CharField(
        "NOMIS code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", "Enter the NOMIS code as three capital letters, like DHI")],
        help_text="Three capital letters, like DHI",
    )
    name = models.CharField(max_length=100, unique=True)
    category = models.TextField(help_text="As the prison describes itself, for example ‘Adult female training prison’")
    estate = models.CharField(max_length=10, choices=Estate.choices)
    region = models.CharField(max_length=60)
    approximate_population = models.PositiveIntegerField(null=True, blank=True)

    objects = EstablishmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [
            ("view_identities", "Can see residents' names and prison numbers"),
            ("view_regional", "Can see the regional dashboard: wings' figures side by side, with disclosure control"),
        ]

    def __str__(self) -> str:
        return self.name

    # No get_absolute_url: Hamlet has no page for a whole establishment (its wings have
    # pages), so the admin offers no "View on site" for one.


class Wing(VersionedModel):
    """A CFO wing on an establishment, such as the Hamlet at Drake Hall."""

    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="wings")
    name = models.CharField(max_length=100)
    resident_profile = models.TextField(
        blank=True, help_text="Who lives on the wing, for example ‘Short and intermediate sentences, and lifers’"
    )
    capacity = models.PositiveIntegerField(
        "capacity (bedrooms)",
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
        help_text="Number of bedrooms on the wing",
    )
    pilot_start = models.DateField("pilot started", null=True, blank=True)
    funded_until = models.DateField(null=True, blank=True)
    aims = models.TextField(blank=True, help_text="One aim on each line")
    # Two custody managers changing the wing at once: see hamlet.versions.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = WingQuerySet.as_manager()

    class Meta:
        ordering = ["establishment__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["establishment", "name"], name="unique_wing_name_per_establishment"),
            models.CheckConstraint(
                condition=models.Q(funded_until__isnull=True)
                | models.Q(pilot_start__isnull=True)
                | models.Q(funded_until__gte=models.F("pilot_start")),
                name="wing_funded_after_pilot_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.establishment}"

    def get_absolute_url(self) -> str:
        return reverse("hamlet:wing_detail", args=[self.pk])

    @property
    def aim_list(self) -> list[str]:
        return [line.strip() for line in self.aims.splitlines() if line.strip()]


class Houseblock(models.Model):
    wing = models.ForeignKey(Wing, on_delete=models.CASCADE, related_name="houseblocks")
    name = models.CharField(max_length=60)
    rooms = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    beds_per_room = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text="2 where rooms are double cells, as in many men's and young offenders' prisons",
    )

    objects = HouseblockQuerySet.as_manager()

    class Meta:
        ordering = ["wing", "name"]
        constraints = [
            models.UniqueConstraint(fields=["wing", "name"], name="unique_houseblock_name_per_wing"),
        ]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    HMPPS = "hmpps", "HMPPS"
    PRIME_PROVIDER = "prime", "Prime provider"
    LEARNING_AND_SKILLS = "learning", "Learning and skills provider"
    CHARITY = "charity", "Charity or voluntary sector"
    PRISON_DEPARTMENT = "department", "Prison department"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """Who staff work for: HMPPS, the prime provider, a charity, the PE department."""

    name = models.CharField(max_length=120, unique=True)
    sector = models.CharField(max_length=12, choices=Sector.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobTitle(models.TextChoices):
    CUSTODY_MANAGER = "custody_manager", "CFO Custody Manager"
    PRISON_OFFICER = "prison_officer", "CFO Prison Officer"
    CASE_MANAGER = "case_manager", "Case Manager"
    GOVERNOR_SPONSOR = "governor_sponsor", "Governor sponsor"
    PE_OFFICER = "pe_officer", "PE officer"
    SESSIONAL_TUTOR = "sessional_tutor", "Sessional tutor"
    EVALUATOR = "evaluator", "Regional performance and evaluation"
    ADMINISTRATOR = "administrator", "Administrator"
    OTHER = "other", "Other"


class StaffProfile(models.Model):
    """What Hamlet knows about a user beyond their sign-in: where they work and which
    establishments' records they may see."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    job_title = models.CharField(max_length=20, choices=JobTitle.choices)
    establishments = models.ManyToManyField(
        Establishment, blank=True, related_name="staff", help_text="The establishments whose records this user may see"
    )

    class Meta:
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{display_name(self.user)} ({self.get_job_title_display()})"


class UserSession(models.Model):
    """One signed-in session, so a user's sessions can be found and ended on the server
    without reading every stored session. Written at sign-in, removed at sign-out."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField()

    class Meta:
        ordering = ["-signed_in_at"]

    def __str__(self) -> str:
        return f"Signed in {self.signed_in_at:%d/%m/%Y %H:%M}"


class HashedBackupCodes(StaticDevice):
    """Two-factor backup codes kept as HMAC-SHA256 digests under HAMLET_BACKUP_CODE_KEY, never as
    the codes: django-otp's own StaticDevice keeps them in plain text, so anyone who read the
    database (or a backup) could pass anyone's second factor. A slow password hash over ten
    codes would cost a second a try; a keyed digest is as safe without the key, which is never
    in the database. The codes themselves are shown once, when made (hamlet.two_factor)."""

    class Meta:
        proxy = True
        verbose_name = "backup codes"
        verbose_name_plural = "backup codes"

    @staticmethod
    def digest(code: str) -> str:
        mac = hmac.new(settings.HAMLET_BACKUP_CODE_KEY.encode(), code.strip().lower().encode(), hashlib.sha256)
        # django-otp's token column holds 16 characters: 96 bits of the digest.
        return base64.urlsafe_b64encode(mac.digest()).decode()[:16]

    def verify_token(self, token) -> bool:
        """Use up the matching code, comparing every stored digest in constant time."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        wanted = self.digest(str(token))
        match = None
        for stored in self.token_set.select_for_update():
            if hmac.compare_digest(stored.token, wanted):
                match = stored
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset()
        return True


@checks.register(checks.Tags.security)
def check_backup_code_key(app_configs, **kwargs) -> list[checks.CheckMessage]:
    return server_key_errors(
        "HAMLET_BACKUP_CODE_KEY", others=("SECRET_KEY", "HAMLET_PSEUDONYM_KEY"), ids=("hamlet.E003", "hamlet.E004")
    )
