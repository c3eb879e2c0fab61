"""No personal data in addresses, logs or error reports.

The logs of the whole run are checked by ``tests/log_canary.py``. Here: every address Hamlet
answers carries numbers only (or one of a closed set of words); no link on the pages about
residents names anyone; and when a page about a resident breaks, neither the error page nor the
logged report names her, and no error e-mail leaves.
"""

import logging
import re
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.urls.converters import IntConverter, StringConverter
from django.urls.resolvers import RoutePattern

from hamlet.spreadsheets import EXPORT_FORMATS
from residents.models import Resident
from tests.log_canary import PRISON_NUMBER, leaks

# The only words an address may carry: a spreadsheet format, checked against this list in the view.
CLOSED_WORDS = {
    ("residents:export", "fmt"): EXPORT_FORMATS,
    ("mentoring:training_export", "fmt"): EXPORT_FORMATS,
    ("evaluation:extract_export", "fmt"): EXPORT_FORMATS,
    ("hamlet:regional_export", "fmt"): EXPORT_FORMATS,
}


def _patterns(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", pattern


def test_every_address_carries_numbers_not_names():
    checked = 0
    for name, pattern in _patterns():
        if name.startswith("admin:"):
            continue  # Django's admin: addresses carry primary keys; see the next test
        assert isinstance(pattern.pattern, RoutePattern), f"{name} is a regular expression: use path() converters"
        for parameter, converter in pattern.pattern.converters.items():
            checked += 1
            if (name, parameter) in CLOSED_WORDS:
                assert type(converter) is StringConverter
            else:
                assert type(converter) is IntConverter, f"{name} takes <{parameter}> as {type(converter).__name__}"
    assert checked


def test_no_admin_page_lists_or_filters_residents():
    """No model in the admin is a resident record or links to one, so no admin list, search
    or filter is about residents. (The audit log in the admin does hold pseudonyms in its
    entries; it is read-only and needs its own permission.)"""
    for model in admin.site._registry:
        fields = [*model._meta.fields, *model._meta.many_to_many]  # its own, not other models' links to it
        names = {field.name for field in fields}
        related = {field.related_model for field in fields}
        assert not names & {"prison_number", "pseudonym"}, model._meta.label
        assert Resident not in related, model._meta.label


@pytest.mark.parametrize("name", sorted({name for name, _ in CLOSED_WORDS}))
def test_a_word_outside_the_closed_list_is_not_found(name, client, manager, evaluator):
    # (A resident's name here would be a leak of its own: the 404 is logged with the address.)
    client.force_login(evaluator if name.startswith("evaluation:") else manager)
    for word in ("pdf", "json", "csv.exe"):
        assert client.get(reverse(name, args=[word])).status_code == 404


HREF = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def test_no_link_on_the_resident_and_mentoring_pages_names_anyone(
    client, manager, resident, long_gone_resident, holding, candidate, supervision_session
):
    client.force_login(manager)
    people = list(Resident.objects.all())
    identities = {value for person in people for value in (person.prison_number, person.pseudonym) if value}
    pages = [
        reverse("residents:list"),
        reverse("residents:list") + "?status=left",
        reverse("residents:retention"),
        resident.get_absolute_url(),
        long_gone_resident.get_absolute_url(),
        reverse("mentoring:index"),
        reverse("mentoring:workload"),
        reverse("mentoring:mentor", args=[resident.pk]),
        reverse("mentoring:rounds"),
        candidate.round.get_absolute_url(),
        reverse("mentoring:interview", args=[candidate.round.pk, candidate.pk]),
    ]
    links = set()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        links |= {unquote(link) for link in HREF.findall(response.content.decode())}
    assert any(str(resident.pk) in link for link in links)  # the reader found the links about her
    for link in links:
        assert not PRISON_NUMBER.search(link), link
        assert not any(identity in link for identity in identities), link


def test_searching_for_a_prison_number_keeps_it_out_of_the_address(client, manager, resident):
    client.force_login(manager)
    page = client.get(reverse("residents:list")).content.decode()
    search = re.search(r"<form[^>]*>(?:(?!</form>).)*name=\"q\"", page, re.DOTALL)
    assert search
    assert 'method="post"' in search.group(0).lower()
    box = re.search(r'<input[^>]*name="q"[^>]*>', page).group(0)
    assert 'autocomplete="off"' in box  # the browser keeps no list of past searches
    response = client.post(reverse("residents:search"), {"q": resident.prison_number, "filters": "status=left"})
    assert resident.prison_number not in response.url.upper()
    listed = client.get(response.url + "&status=").content.decode()
    assert resident.pseudonym in listed
    assert resident.prison_number not in "".join(re.findall(r'(?:href|action)="([^"]*)"', listed)).upper()


def _broken_page(request, pk: int):
    Resident.objects.get(pk=pk)  # a page about this resident, with her details in the form it was sent
    raise RuntimeError("the page broke")


# Hamlet's own addresses, and one page that breaks.
urlpatterns = [path("broken/<int:pk>/", _broken_page), path("", include("hamlet.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_a_broken_page_names_no_one_on_screen_in_the_log_or_by_email(manager, resident, caplog, mailoutbox):
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    with caplog.at_level(logging.INFO):
        response = client.post(
            f"/broken/{resident.pk}/", {"prison_number": resident.prison_number, "pseudonym": resident.pseudonym}
        )
    assert response.status_code == 500
    body = response.content.decode()
    assert resident.prison_number not in body
    assert resident.pseudonym not in body
    reports = [record for record in caplog.records if record.name == "django.request"]
    assert [record.levelname for record in reports] == ["ERROR"]
    text = logging.Formatter().format(reports[0])
    assert "RuntimeError: the page broke" in text
    assert f"/broken/{resident.pk}/" in text
    assert leaks([text], {resident.prison_number, resident.pseudonym}) == []
    # Django's mail_admins handler would send the request with its POST data; ADMINS stays empty.
    assert not settings.ADMINS
    assert mailoutbox == []
