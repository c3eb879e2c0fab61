"""Residents every test can ask for by name, registered in ``tests/conftest.py``."""

import pytest
from django.utils import timezone

from residents.models import DepartureReason
from tests.residents.factories import ResidentFactory


@pytest.fixture
def resident(hamlet_wing):
    """A woman living on the Hamlet now."""
    return ResidentFactory(wing=hamlet_wing, pseudonym="Tamsin", prison_number="A4101BK")


@pytest.fixture
def long_gone_resident(hamlet_wing):
    """A resident who left the Hamlet long enough ago to be anonymised."""
    today = timezone.localdate()
    return ResidentFactory(
        wing=hamlet_wing,
        pseudonym="Verity",
        prison_number="A0001AA",
        arrived_on=today.replace(year=today.year - 9),
        departed_on=today.replace(year=today.year - 7),
        departure_reason=DepartureReason.RELEASED,
    )


def subject_access(client, resident, *, fmt: str = "json"):
    """A subject access request as the page makes it: the reason given, then the JSON
    (``fmt="json"``) or the page to hand to the person (``fmt="html"``)."""
    from django.urls import reverse

    data = {"reason": "Their written request", **({"format": "json"} if fmt == "json" else {})}
    return client.post(reverse("residents:subject_access", args=[resident.pk]), data)
