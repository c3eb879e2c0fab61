"""Issue 11: "Out of hours?" is worked out from the wing's core day, and can be overridden.

The core day is a wing setting (weekdays and weekends), 08:00 to 17:30 on weekdays and
09:00 to 16:30 at weekends unless the custody manager changes it."""

from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentoring.models import MentorContact, MentoringSettings
from tests.editing import form_data

TODAY = timezone.localdate()
# The last Tuesday before today: in the past, and within the mentor's stay and role (60 days).
TUESDAY = TODAY - timedelta(days=(TODAY.weekday() - 1) % 7 or 7)
SATURDAY = TUESDAY + timedelta(days=4) if TUESDAY + timedelta(days=4) < TODAY else TUESDAY - timedelta(days=3)


def _at(day, hh, mm):
    return timezone.make_aware(datetime.combine(day, time(hh, mm)))


@pytest.mark.parametrize(
    ("day", "hh", "mm", "out_of_hours"),
    [
        (TUESDAY, 20, 30, True),
        (TUESDAY, 10, 0, False),
        (TUESDAY, 7, 59, True),
        (TUESDAY, 8, 0, False),  # the core day starts at its start
        (TUESDAY, 17, 30, True),  # and is over at its end
        (SATURDAY, 8, 30, True),  # weekends start later
        (SATURDAY, 10, 0, False),
        (SATURDAY, 17, 0, True),
    ],
)
def test_the_wings_core_day_says_what_is_out_of_hours(hamlet_wing, day, hh, mm, out_of_hours):
    assert MentoringSettings.for_wing(hamlet_wing).is_out_of_hours(_at(day, hh, mm)) is out_of_hours


def _log(client, mentor, *, at: str, day=TUESDAY, chosen: str, shown: str):
    """Post the contact form: ``shown`` is the answer the form first showed, ``chosen`` the one sent."""
    return client.post(
        reverse("mentoring:mentor", args=[mentor.pk]),
        {
            "contact_type": "welcome", "occurred_on_0": day.day, "occurred_on_1": day.month,
            "occurred_on_2": day.year, "time_of_day": at, "setting": "houseblock", "minutes": "15",
            "out_of_hours": chosen, "initial-out_of_hours": shown,
        },
    )  # fmt: skip


@pytest.mark.parametrize(("at", "shown", "worked_out"), [("20:30", "no", True), ("10:00", "yes", False)])
def test_an_answer_left_as_shown_is_worked_out_from_the_time_entered(client, staff, mentor, at, shown, worked_out):
    client.force_login(staff)
    assert _log(client, mentor, at=at, chosen=shown, shown=shown).status_code == 302
    assert MentorContact.objects.get().out_of_hours is worked_out


@pytest.mark.parametrize(("at", "shown", "chosen"), [("10:00", "no", "yes"), ("20:30", "yes", "no")])
def test_an_answer_the_user_changed_stands(client, staff, mentor, at, shown, chosen):
    client.force_login(staff)
    assert _log(client, mentor, at=at, chosen=chosen, shown=shown).status_code == 302
    assert MentorContact.objects.get().out_of_hours is (chosen == "yes")


@pytest.mark.parametrize(("hh", "mm", "prefilled"), [(20, 30, "yes"), (10, 0, "no")])
def test_the_form_opens_with_the_answer_for_now(client, staff, mentor, time_machine, hh, mm, prefilled):
    client.force_login(staff)
    time_machine.move_to(_at(TUESDAY, hh, mm), tick=False)
    form = client.get(reverse("mentoring:mentor", args=[mentor.pk])).context["form"]
    assert form["out_of_hours"].value() == prefilled
    assert "08:00 to 17:30 on weekdays" in form.fields["out_of_hours"].help_text


def test_the_custody_manager_sets_the_core_day_and_logging_follows_it(client, manager, staff, mentor, hamlet_wing):
    client.force_login(manager)
    url = reverse("mentoring:settings")
    data = {**form_data(client.get(url)), "weekday_core_start": "07:30", "weekday_core_end": "21:00"}
    assert client.post(url, data).status_code == 302
    rules = MentoringSettings.objects.get(wing=hamlet_wing)
    assert (rules.weekday_core_start, rules.weekday_core_end) == (time(7, 30), time(21, 0))
    client.force_login(staff)
    _log(client, mentor, at="20:30", chosen="no", shown="no")
    assert MentorContact.objects.get().out_of_hours is False  # within this wing's longer day


def test_a_core_day_that_ends_before_it_starts_is_refused(client, manager, hamlet_wing):
    client.force_login(manager)
    url = reverse("mentoring:settings")
    response = client.post(url, {**form_data(client.get(url)), "weekend_core_start": "16:00", "weekend_core_end": "9"})
    assert response.status_code == 200
    assert response.context["form"].errors["weekend_core_end"]
    assert not MentoringSettings.objects.filter(wing=hamlet_wing).exists()


def test_two_managers_changing_the_core_day_at_once_do_not_overwrite_each_other(manager, hamlet_wing):
    MentoringSettings.objects.create(wing=hamlet_wing)
    url = reverse("mentoring:settings")
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(manager)
    their_page, my_page = form_data(first.get(url)), form_data(second.get(url))
    assert first.post(url, {**their_page, "weekday_core_end": "18:00"}).status_code == 302
    response = second.post(url, {**my_page, "weekday_core_end": "17:00"})
    assert response.status_code == 200
    assert "Core day on weekdays ends was changed from ‘17:30’ to ‘18:00’" in str(response.context["form"].errors)
    assert MentoringSettings.objects.get(wing=hamlet_wing).weekday_core_end == time(18, 0)
