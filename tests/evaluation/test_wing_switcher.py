"""Issue 11: the evaluator's wing switcher does not suggest that the all-wings extract is one wing's."""

from django.urls import reverse


def test_the_extract_page_has_no_wing_switcher_and_covers_every_wing(client, evaluator, hamlet_wing, other_wing):
    client.force_login(evaluator)
    assert "hamlet-wing-switcher" in client.get(reverse("evaluation:periods")).content.decode()  # a wing's page
    content = client.get(reverse("evaluation:index")).content.decode()
    assert "hamlet-wing-switcher" not in content
    assert "This extract covers every wing you may see (2 wings)" in content
