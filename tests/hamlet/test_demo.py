import pytest
from auditlog.models import LogEntry
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from hamlet.demo import DEMO_PASSWORD
from hamlet.models import Establishment, Houseblock, Organisation, Wing


@pytest.fixture
def demo(db, settings, monkeypatch):
    monkeypatch.setenv("HAMLET_DEMO", "1")
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_loads_drake_hall_as_the_study_describes_it(demo):
    drake_hall = Establishment.objects.get(nomis_code="DHI")
    assert drake_hall.region == "West Midlands"
    assert drake_hall.approximate_population == 330
    hamlet = Wing.objects.get(establishment=drake_hall, name="The Hamlet")
    assert hamlet.capacity == 39
    assert sum(Houseblock.objects.filter(wing=hamlet).values_list("rooms", flat=True)) == 39
    assert hamlet.houseblocks.count() == 2
    assert len(hamlet.aim_list) == 4
    assert Organisation.objects.filter(name="Shaw Trust/Ixion").exists()
    assert Establishment.objects.exclude(pk=drake_hall.pk).get().estate == "male"


@pytest.mark.parametrize("username", ["manager.dhi", "officer.dhi", "officer.other", "evaluator", "admin"])
def test_every_demo_user_signs_in_with_the_demo_password(demo, username):
    request = RequestFactory().post("/sign-in/", REMOTE_ADDR="127.0.0.1")
    assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None


def test_loading_the_demo_twice_changes_nothing(demo):
    counts = (Establishment.objects.count(), Wing.objects.count(), get_user_model().objects.count())
    entries = LogEntry.objects.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Establishment.objects.count(), Wing.objects.count(), get_user_model().objects.count()) == counts
    assert LogEntry.objects.count() == entries


@pytest.mark.django_db
def test_the_demo_refuses_to_load_with_debug_off(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("HAMLET_DEMO", raising=False)
    with pytest.raises(CommandError, match="Refusing to load demo data"):
        call_command("load_demo")
    assert not Establishment.objects.exists()


def test_every_demo_resident_is_in_a_room_of_their_houseblock_one_to_a_room_with_some_free(demo):
    """Issue 11: the demo put Jessamy in room 20 of Houseblock 2, which has 19 rooms."""
    from residents.models import Resident

    for resident in Resident.objects.filter(room__gt="").select_related("houseblock"):
        assert 1 <= int(resident.room) <= resident.houseblock.rooms, f"{resident} in room {resident.room}"
    hamlet = Wing.objects.get(name="The Hamlet")
    # Someone just moved onto the wing from a referral may not have a room yet: they take none.
    taken = list(
        Resident.objects.on_wing(hamlet).current().filter(houseblock__isnull=False).values_list("houseblock", "room")
    )
    assert len(taken) == len(set(taken)), "two current residents in a room with one bed"
    assert sum(hamlet.houseblocks.values_list("rooms", flat=True)) - len(taken) >= 2, "no room is free"


def test_no_demo_contact_is_logged_for_later_today(demo):
    from django.utils import timezone

    from mentoring.models import MentorContact

    assert MentorContact.objects.exists()
    assert not MentorContact.objects.filter(occurred_at__gt=timezone.now()).exists()
