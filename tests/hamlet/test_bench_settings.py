"""The benchmark's settings add two pages: the signed-in "hello" every page is measured
against, and the layout with nothing in it, the floor every page stands on."""

import pytest


def test_the_hello_page_exists_only_under_the_benchmark_settings(client, manager, settings):
    client.force_login(manager)
    assert client.get("/bench/hello/").status_code == 404
    settings.ROOT_URLCONF = "hamlet.urls_bench"
    assert client.get("/bench/hello/").content == b"Hello, manager.dhi"
    client.logout()
    assert client.get("/bench/hello/").status_code == 302


@pytest.mark.parametrize("user", ["manager", "evaluator"])
def test_the_layout_page_exists_only_under_the_benchmark_settings(client, settings, user, request):
    client.force_login(request.getfixturevalue(user))
    assert client.get("/bench/layout/").status_code == 404
    settings.ROOT_URLCONF = "hamlet.urls_bench"
    page = client.get("/bench/layout/")
    assert page.status_code == 200
    assert b'<h1 class="govuk-heading-l">Layout</h1>' in page.content
    assert b"Sign out" in page.content  # the whole layout, as every page has it
    client.logout()
    assert client.get("/bench/layout/").status_code == 302
