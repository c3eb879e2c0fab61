"""generate_data's guards, and its promise that a seed gives the same data every time.
(The records themselves are checked in test_generate_data.py.)"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from hamlet.models import Establishment
from mentoring.models import MentorContact
from residents.models import Resident
from tests.hamlet.factories import EstablishmentFactory


@pytest.fixture
def allowed(monkeypatch):
    monkeypatch.setenv("HAMLET_SYNTHETIC", "1")


def _snapshot():
    return (
        list(Resident.objects.order_by("pk").values_list("pk", "prison_number", "pseudonym", "arrived_on", "stage")),
        list(MentorContact.objects.order_by("pk").values_list("pk", "mentor", "occurred_at", "mentee", "minutes")),
        list(TOTPDevice.objects.order_by("pk").values_list("user__username", "key")),
    )


def test_the_same_seed_gives_the_same_data(db, allowed):
    with transaction.atomic():
        call_command("generate_data", scale="small", seed=11, verbosity=0)
        first = _snapshot()
        transaction.set_rollback(True)
    assert not Resident.objects.exists()
    call_command("generate_data", scale="small", seed=11, verbosity=0)
    assert _snapshot() == first


def test_it_refuses_a_database_that_already_has_establishments(db, allowed):
    EstablishmentFactory()
    with pytest.raises(CommandError, match="already has"):
        call_command("generate_data", scale="small", verbosity=0)


def test_it_refuses_with_debug_off_unless_told_it_is_for_measuring(db, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("HAMLET_SYNTHETIC", raising=False)
    with pytest.raises(CommandError, match="HAMLET_SYNTHETIC=1"):
        call_command("generate_data", scale="small", verbosity=0)
    assert not Establishment.objects.exists()
