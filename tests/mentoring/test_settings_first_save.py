"""A wing's mentoring settings are made by the first save, not by opening a page."""

from django.test import Client
from django.urls import reverse

from mentoring.models import MentoringSettings
from tests.editing import form_data

DEFAULTS = {"supervision_interval_days": "7", "quiet_days": "14", "overload_contacts_per_week": "25",
            "overload_out_of_hours_percent": "30"}  # fmt: skip


def test_opening_the_settings_page_shows_the_defaults_and_saves_nothing(client, manager, hamlet_wing):
    client.force_login(manager)
    response = client.get(reverse("mentoring:settings"))
    assert {name: response.context["form"][name].value() for name in DEFAULTS} == {
        name: int(value) for name, value in DEFAULTS.items()
    }
    assert not MentoringSettings.objects.filter(wing=hamlet_wing).exists()


def test_the_first_save_makes_the_settings(client, manager, hamlet_wing):
    client.force_login(manager)
    url = reverse("mentoring:settings")
    response = client.post(url, {**form_data(client.get(url)), "quiet_days": "10"})
    assert response.url == reverse("mentoring:workload")
    assert MentoringSettings.objects.get(wing=hamlet_wing).quiet_days == 10


def test_of_two_first_saves_the_second_is_refused_and_saves_nothing(manager, hamlet_wing):
    url = reverse("mentoring:settings")
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(manager)
    their_page, my_page = form_data(first.get(url)), form_data(second.get(url))
    assert first.post(url, {**their_page, "quiet_days": "10"}).status_code == 302
    # The second form was opened before there were settings to be a version of.
    response = second.post(url, {**my_page, "supervision_interval_days": "14"})
    assert response.context["form"].non_field_errors() == [
        "This form is out of date. Open the page again and make your changes."
    ]
    settings = MentoringSettings.objects.get(wing=hamlet_wing)
    assert (settings.quiet_days, settings.supervision_interval_days, settings.version) == (10, 7, 2)
