from django.db import models

from hamlet.models import Wing
from residents.models import Resident


class Keepsake(models.Model):
    """One person's record."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="keepsakes")
    kept_on = models.DateField()
    note = models.TextField(blank=True)
    returned_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Keepsake {self.pk}"


class Gathering(models.Model):
    """A record several residents share, like a meeting; each one's attendance is their own row."""

    wing = models.ForeignKey(Wing, on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField()
    minutes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Gathering on {self.held_on}"


class Attendee(models.Model):
    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="attendees")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="+")
    comment = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Attendee {self.pk}"
