from django.urls import reverse


def test_an_establishment_links_to_no_page_of_its_own(drake_hall):
    # Hamlet has pages for wings, not for a whole establishment.
    assert not hasattr(drake_hall, "get_absolute_url")


def test_the_admin_page_of_an_establishment_opens_without_a_view_on_site_link(client, administrator, drake_hall):
    client.force_login(administrator)
    response = client.get(reverse("admin:hamlet_establishment_change", args=[drake_hall.pk]))
    assert response.status_code == 200
    assert "View on site" not in response.content.decode()
