"""Attributes of a good peer-role holder (issue 14): counts against interviews held, and bars
whose widths come from a fixed set of classes."""

from django.urls import reverse

from evaluation.models import Attribute, AttributeSurvey


def _post(client, url: str, data: dict):
    response = client.get(url)
    return client.post(url, {**data, "version": response.context["form"]["version"].value() or ""})


def test_staff_record_the_counts_and_the_bars_show_each_as_a_share_of_interviews(client, staff, period):
    caring, listening = Attribute.objects.get(name="Caring"), Attribute.objects.get(name="Listening")
    client.force_login(staff)
    url = reverse("evaluation:attributes_edit", args=[period.pk])
    response = _post(client, url, {"interviews": "8", f"attribute_{caring.pk}": "3", f"attribute_{listening.pk}": "6"})
    assert response.status_code == 302
    survey = AttributeSurvey.objects.get(period=period)
    assert set(survey.counts.values_list("attribute__name", "interviews")) == {("Caring", 3), ("Listening", 6)}
    bars = client.get(reverse("evaluation:attributes", args=[period.pk])).context["bars"]
    # 6 of 8 is 75%, 3 of 8 is 37.5%: its bar is drawn at 40%, the nearest class.
    assert [(bar.attribute, bar.percent, bar.width_class) for bar in bars] == [
        ("Listening", 75, "hamlet-bar--75"),
        ("Caring", 38, "hamlet-bar--40"),
    ]


def test_no_attribute_is_named_in_more_interviews_than_were_held(client, staff, period):
    caring = Attribute.objects.get(name="Caring")
    client.force_login(staff)
    url = reverse("evaluation:attributes_edit", args=[period.pk])
    response = _post(client, url, {"interviews": "4", f"attribute_{caring.pk}": "5"})
    assert response.context["form"].errors[f"attribute_{caring.pk}"] == [
        "Caring cannot be named in more than 4 interviews"
    ]
    assert not AttributeSurvey.objects.exists()
