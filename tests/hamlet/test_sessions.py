"""Sessions (ASVS 7.2.4, 7.3, 7.4): a new key at sign-in, idle and absolute limits on a moved
clock, and sessions ended on the server at sign-out, on deactivation and by an administrator."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from hamlet.models import UserSession
from tests.hamlet.fixtures import PASSWORD

MONDAY_9AM = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(MONDAY_9AM, tick=False)
    return time_machine


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _is_signed_in(client) -> bool:
    return client.get(reverse("hamlet:home")).status_code == 200


def _security_messages(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "hamlet.security"]


def test_signing_in_gives_a_new_session_key(client, staff, hamlet_wing):
    staff.set_password(PASSWORD)
    staff.save()
    before = client.session
    before["visited"] = True
    before.save()
    response = client.post(reverse("hamlet:sign_in"), {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302
    after = client.session.session_key
    assert after != before.session_key
    assert not Session.objects.filter(session_key=before.session_key).exists()
    assert UserSession.objects.get(user=staff).session_key == after


def test_a_session_ends_after_thirty_idle_minutes(clock, staff, hamlet_wing):
    client = _signed_in(staff)
    clock.shift(timedelta(minutes=29))
    assert _is_signed_in(client)
    clock.shift(timedelta(minutes=29))  # 58 minutes after signing in, but only 29 idle
    assert _is_signed_in(client)
    clock.shift(timedelta(minutes=30, seconds=1))
    response = client.get(reverse("hamlet:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("hamlet:sign_in"))


def test_a_session_ends_ten_hours_after_signing_in_however_busy(clock, staff, hamlet_wing, caplog):
    caplog.set_level(logging.INFO, logger="hamlet.security")
    client = _signed_in(staff)
    key = client.session.session_key
    for _ in range(29):  # every 20 minutes up to 9 hours 40
        clock.shift(timedelta(minutes=20))
        assert _is_signed_in(client)
    clock.shift(timedelta(minutes=20))
    response = client.get(reverse("hamlet:home"), follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('hamlet:sign_in')}?next=/"
    assert "signed out because you signed in more than 10 hours ago" in response.content.decode()
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(user=staff).exists()
    assert f"session ended at the absolute limit user_id={staff.pk}" in _security_messages(caplog)


def test_the_session_limits_come_from_settings(clock, settings, staff, hamlet_wing):
    settings.SESSION_COOKIE_AGE = 5 * 60
    settings.HAMLET_SESSION_ABSOLUTE_LIMIT = timedelta(hours=1)
    client = _signed_in(staff)
    clock.shift(timedelta(minutes=6))
    assert not _is_signed_in(client)
    client = _signed_in(staff)
    for _ in range(14):  # a request every 4 minutes
        clock.shift(timedelta(minutes=4))
        assert _is_signed_in(client)
    clock.shift(timedelta(minutes=4))
    assert not _is_signed_in(client)


def test_sessions_that_ran_out_are_forgotten_at_the_next_sign_in(clock, staff):
    _signed_in(staff)
    clock.shift(timedelta(hours=10, minutes=1))
    client = _signed_in(staff)
    assert list(UserSession.objects.filter(user=staff).values_list("session_key", flat=True)) == [
        client.session.session_key
    ]


def test_signing_out_deletes_the_session_on_the_server(client, staff, hamlet_wing):
    client.force_login(staff)
    key = client.session.session_key
    client.post(reverse("hamlet:sign_out"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    # A copy of the old cookie (a shared PC, a stolen cookie) opens nothing.
    client.cookies["sessionid"] = key
    assert not _is_signed_in(client)


def test_deactivating_a_user_ends_all_their_sessions(staff, manager, hamlet_wing, caplog):
    caplog.set_level(logging.INFO, logger="hamlet.security")
    office_pc, laptop, managers = _signed_in(staff), _signed_in(staff), _signed_in(manager)
    keys = [office_pc.session.session_key, laptop.session.session_key]
    staff.is_active = False
    staff.save()
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=staff).exists()
    assert not _is_signed_in(office_pc)
    assert not _is_signed_in(laptop)
    assert _is_signed_in(managers)
    assert f"sessions ended (account deactivated) user_id={staff.pk} count=2" in _security_messages(caplog)


def _admin_form_data(response) -> dict:
    """What the admin's change form would send back unchanged, read from its bound forms."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None and value is not False:
            data[form.add_prefix(name)] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value() if management[name].value() is not None else ""
        for inline_form in formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None and value is not False:
                    data[inline_form.add_prefix(name)] = value
    return data


def test_switching_an_account_off_in_the_admin_ends_its_sessions(client, administrator, staff, hamlet_wing):
    office_pc = _signed_in(staff)
    client.force_login(administrator)
    change_url = reverse("admin:auth_user_change", args=[staff.pk])
    data = _admin_form_data(client.get(change_url))
    data.pop("is_active")
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    staff.refresh_from_db()
    assert not staff.is_active
    assert not _is_signed_in(office_pc)
    assert not UserSession.objects.filter(user=staff).exists()


def test_an_administrator_ends_someones_sessions_from_the_user_list(client, administrator, staff, manager, hamlet_wing):
    office_pc, managers = _signed_in(staff), _signed_in(manager)
    client.force_login(administrator)
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "end_sessions", "_selected_action": [staff.pk]}, follow=True
    )
    assert "Ended 1 session: they must sign in again." in response.content.decode()
    assert not _is_signed_in(office_pc)
    assert _is_signed_in(managers)
    assert _is_signed_in(client)


def test_an_administrator_ends_someones_sessions_from_their_page(client, administrator, staff, hamlet_wing, caplog):
    caplog.set_level(logging.INFO, logger="hamlet.security")
    office_pc, laptop = _signed_in(staff), _signed_in(staff)
    client.force_login(administrator)
    change_url = reverse("admin:auth_user_change", args=[staff.pk])
    end_url = reverse("admin:auth_user_end_sessions", args=[staff.pk])
    page = client.get(change_url).content.decode()
    assert f'action="{end_url}"' in page
    assert "End sessions (2 open)" in page
    assert client.get(end_url).status_code == 405
    response = client.post(end_url)
    assert response.status_code == 302
    assert response.url == change_url
    assert not _is_signed_in(office_pc)
    assert not _is_signed_in(laptop)
    expected = f"sessions ended (ended by an administrator) user_id={staff.pk} count=2 by_user_id={administrator.pk}"
    assert expected in _security_messages(caplog)


def test_only_administrators_can_end_sessions(client, staff, manager, hamlet_wing):
    managers = _signed_in(manager)
    client.force_login(staff)
    response = client.post(reverse("admin:auth_user_end_sessions", args=[manager.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert _is_signed_in(managers)
