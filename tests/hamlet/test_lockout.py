"""Lock-out that holds behind a proxy (ASVS 6.3.1, 15.3.4): axes locks a username at the real
client address, which a client cannot change by writing its own X-Forwarded-For."""

import logging

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from hamlet.network import client_ip
from tests.hamlet.fixtures import PASSWORD

PROXY = "10.0.0.2"
CLIENT = "203.0.113.5"


def _sign_in(client, password, remote_addr, forwarded_for=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return client.post(
        reverse("hamlet:sign_in"),
        {"username": "officer.dhi", "password": password},
        REMOTE_ADDR=remote_addr,
        **headers,
    )


@pytest.fixture
def behind_one_proxy(settings):
    settings.HAMLET_PROXY_COUNT = 1


# What reaches Hamlet when the client sent its own X-Forwarded-For and the proxy appended
# the address it really saw.
FORGED = [f"198.51.100.1, {CLIENT}", f"1.2.3.4, 5.6.7.8, {CLIENT}", f"{PROXY}, {CLIENT}", f"not-an-address, {CLIENT}"]


def test_behind_a_proxy_five_failures_lock_the_account_at_the_client_address(client, officer, behind_one_proxy, caplog):
    caplog.set_level(logging.WARNING, logger="hamlet.security")
    responses = [_sign_in(client, "not-the-password", PROXY, CLIENT) for _ in range(5)]
    locked = responses[-1]
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    assert "Your account is locked for 15 minutes" in locked.content.decode()
    attempt = AccessAttempt.objects.get(username="officer.dhi")
    assert attempt.ip_address == CLIENT
    lock_records = [r for r in caplog.records if r.name == "hamlet.security" and "locked out" in r.getMessage()]
    assert len(lock_records) == 1
    assert f"user_id={officer.pk}" in lock_records[0].getMessage()
    assert "officer.dhi" not in lock_records[0].getMessage()


@pytest.mark.parametrize("forwarded_for", FORGED)
def test_a_forged_forwarded_for_does_not_lift_the_lock(client, officer, behind_one_proxy, forwarded_for):
    for _ in range(5):
        _sign_in(client, "not-the-password", PROXY, CLIENT)
    response = _sign_in(client, PASSWORD, PROXY, forwarded_for)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}


def test_behind_a_proxy_someone_else_at_another_address_is_not_locked_out(client, officer, behind_one_proxy):
    # The lock is on the client's address, not the proxy's, which every request shares.
    for _ in range(5):
        _sign_in(client, "not-the-password", PROXY, CLIENT)
    assert _sign_in(client, PASSWORD, PROXY, "198.51.100.77").status_code == 302


def test_without_a_proxy_the_forwarded_for_header_is_ignored(client, officer, settings):
    settings.HAMLET_PROXY_COUNT = 0
    for n in range(5):
        _sign_in(client, "not-the-password", CLIENT, f"192.0.2.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}
    response = _sign_in(client, PASSWORD, CLIENT, "192.0.2.99")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, "192.0.2.1", PROXY),
        (1, "", PROXY),  # never passed through the proxy: only the connection is known
        (1, "192.0.2.1,203.0.113.5", CLIENT),
        (2, f"192.0.2.1, {CLIENT}, 10.0.0.1", CLIENT),
        (2, CLIENT, PROXY),  # fewer entries than proxies
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "garbage", PROXY),
    ],
)
def test_the_client_address_is_the_one_the_outermost_proxy_saw(settings, count, forwarded_for, expected):
    settings.HAMLET_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected


@pytest.mark.parametrize("path", ["/sign-in/", "/admin/login/"])
def test_an_overlong_username_is_refused_at_the_field_not_with_an_error_page(client, staff, path):
    """Axes keeps usernames in a 255-character column: PostgreSQL refused longer ones with a 500."""
    response = client.post(path, {"username": "x" * 5000, "password": "not the password"})
    assert response.status_code == 200
    assert all(len(attempt.username) <= 150 for attempt in AccessAttempt.objects.all())


# Issue 10, item 7: a second, wider limit per username across all addresses (hamlet.sign_in_limit).


def _addresses(count: int) -> list[str]:
    return [f"198.51.100.{n}" for n in range(1, count + 1)]


def test_wrong_passwords_from_many_addresses_slow_the_username_down(client, officer, settings, time_machine):
    time_machine.move_to("2026-12-01 09:00:00+00:00", tick=False)
    settings.HAMLET_SIGN_IN_SLOW_AFTER = 10
    for address in _addresses(10):  # two tries at each of five addresses would do as well: axes allows five
        assert _sign_in(client, "not-the-password", address).status_code == 200
    # The 11th try, from a new address, with the right password: it must wait a second first.
    response = _sign_in(client, PASSWORD, "192.0.2.200")
    assert response.status_code == 200
    assert "Wait 1 second before you try again" in response.content.decode()
    assert "_auth_user_id" not in client.session
    time_machine.shift(2)
    assert _sign_in(client, "still-wrong", "192.0.2.201").status_code == 200  # the 11th failure
    assert "Wait 2 seconds" in _sign_in(client, PASSWORD, "192.0.2.202").content.decode()
    time_machine.shift(3)
    assert _sign_in(client, PASSWORD, "192.0.2.203").status_code == 302


def test_the_wait_doubles_to_at_most_fifteen_minutes_and_is_the_same_for_a_username_no_one_has(
    client, officer, settings, time_machine
):
    time_machine.move_to("2026-12-01 09:00:00+00:00", tick=False)
    settings.HAMLET_SIGN_IN_SLOW_AFTER = 2
    for username in ("officer.dhi", "no.such.person"):
        for address in _addresses(14):
            time_machine.shift(901)  # past any wait, so each wrong password is checked and counted
            client.post(reverse("hamlet:sign_in"), {"username": username, "password": "wrong"}, REMOTE_ADDR=address)
        last = client.post(reverse("hamlet:sign_in"), {"username": username, "password": "x"}, REMOTE_ADDR="192.0.2.9")
        assert "Wait 15 minutes before you try again" in last.content.decode()


def test_an_administrator_lets_a_slowed_user_sign_in_at_once(client, officer, administrator, settings):
    settings.HAMLET_SIGN_IN_SLOW_AFTER = 3
    for address in _addresses(3):
        _sign_in(client, "not-the-password", address)
    assert "before you try again" in _sign_in(client, PASSWORD, "192.0.2.1").content.decode()
    admin = type(client)()
    admin.force_login(administrator)
    response = admin.post(
        reverse("admin:auth_user_changelist"),
        {"action": "lift_sign_in_limit", "_selected_action": [officer.pk]},
    )
    assert response.status_code == 302
    assert _sign_in(client, PASSWORD, "192.0.2.1").status_code == 302
