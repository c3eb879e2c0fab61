"""Signing in, locking out, and the record of both."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse

from tests.hamlet.fixtures import PASSWORD


def _sign_in(client, password, username="officer.dhi"):
    return client.post(reverse("hamlet:sign_in"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_signing_in_reaches_the_dashboard_and_is_recorded(client, officer, hamlet_wing):
    response = _sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("hamlet:home")
    assert client.get(reverse("hamlet:home")).context["user"] == officer
    assert AccessLog.objects.filter(username="officer.dhi").exists()


def test_a_wrong_password_is_explained_and_recorded(client, officer):
    response = _sign_in(client, "not-the-password")
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert AccessAttempt.objects.get(username="officer.dhi").failures_since_start == 1
    assert AccessFailureLog.objects.filter(username="officer.dhi").count() == 1


def test_six_failed_sign_ins_lock_the_account_even_with_the_right_password(client, officer):
    for _ in range(5):
        _sign_in(client, "not-the-password")
    response = _sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessFailureLog.objects.filter(username="officer.dhi", locked_out=True).exists()


def test_the_lock_holds_for_that_username_and_address_only(client, officer, manager):
    for _ in range(5):
        _sign_in(client, "not-the-password")
    manager.set_password(PASSWORD)
    manager.save()
    assert _sign_in(client, PASSWORD, username="manager.dhi").status_code == 302


def test_four_failures_then_the_right_password_signs_in_and_resets_the_count(client, officer):
    for _ in range(4):
        _sign_in(client, "not-the-password")
    assert _sign_in(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="officer.dhi").exists()


def test_signing_out_says_so_on_the_sign_in_page(client, staff):
    """On a shared PC, the next person can see the last one really left."""
    client.force_login(staff)
    response = client.post(reverse("hamlet:sign_out"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("hamlet:sign_in")
    assert "You have signed out of Hamlet." in response.content.decode()


def test_a_switched_off_account_is_told_so_once_the_password_is_right(client, officer):
    officer.is_active = False
    officer.save()
    right = _sign_in(client, PASSWORD).content.decode()
    assert "This account has been switched off. Ask your administrator." in right
    assert "_auth_user_id" not in client.session
    wrong = _sign_in(client, "not the password").content.decode()
    assert "switched off" not in wrong  # a guesser learns nothing about the account
    assert "Enter a correct username and password" in wrong


def test_a_session_of_a_switched_off_account_opens_nothing(client, officer, hamlet_wing):
    client.force_login(officer)
    # Switched off without the signal that ends sessions (a bulk update): the session stays, the door doesn't.
    type(officer).objects.filter(pk=officer.pk).update(is_active=False)
    assert client.get(reverse("hamlet:home")).url.startswith(reverse("hamlet:sign_in"))
