"""Two-factor sign-in: who needs it, setting it up, entering codes, and what a password alone reaches.

The suite runs with two-factor sign-in off (pyproject.toml) so that other tests can sign
people in with force_login; every test here switches it on, as production has it, and
runs the whole permission matrix through it.
"""

import logging
import os
import re
import subprocess
import sys
import time
from base64 import b32decode
from datetime import UTC, datetime, timedelta
from pathlib import Path

import hypothesis
import pytest
import time_machine
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import strategies as st

from hamlet import two_factor
from hamlet.models import HashedBackupCodes
from tests.hamlet.fixtures import PASSWORD
from tests.test_permissions import MATRIX

ROOT = Path(__file__).resolve().parents[2]
SET_UP, VERIFY = reverse("hamlet:two_factor_setup"), reverse("hamlet:two_factor_verify")
# What a password-only session may open: pages open to anyone, signing out, the two-factor pages.
OPEN = {"hamlet:sign_in", "hamlet:healthz", "hamlet:sign_out", "hamlet:two_factor_setup", "hamlet:two_factor_verify"}
BACKUP_CODES = ["aaaa2222", "bbbb3333", "cccc4444"]


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.HAMLET_2FA = True
    settings.HAMLET_2FA_ROLES = ["Administrator", "Evaluator"]


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's authenticator app shows now (or after some 30-second steps)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _authenticator(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    # Kept as Hamlet keeps them: keyed digests, never the codes (issue 10).
    digests = (HashedBackupCodes.digest(code) for code in BACKUP_CODES)
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=digest) for digest in digests)
    return device


def _verified(client, user, device):
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _matrix_request(client, request, name):
    method, args, data, expected = MATRIX[name]

    def value(item):
        return request.getfixturevalue(item[1:]).pk if str(item).startswith("@") else item

    url = reverse(name, args=[value(arg) for arg in args or []])
    response = getattr(client, method)(url, {key: value(item) for key, item in (data or {}).items()})
    return response, expected


@pytest.mark.parametrize(
    ("name", "has_app", "goes_to"), [("evaluator", False, SET_UP), ("administrator", True, VERIFY)]
)
def test_a_password_only_session_reaches_no_page_in_the_matrix(
    name, has_app, goes_to, client, request, hamlet_wing, other_wing
):
    user = request.getfixturevalue(name)
    if has_app:
        _authenticator(user)
    client.force_login(user)
    wrong = {}
    for url_name in sorted(set(MATRIX) - OPEN):  # the Django admin included
        response, _ = _matrix_request(client, request, url_name)
        if response.status_code != 302 or not response.url.startswith(goes_to):
            wrong[url_name] = (response.status_code, response.get("Location"))
    assert wrong == {}


@pytest.mark.parametrize("name", ["evaluator", "administrator"])
def test_a_verified_session_gets_exactly_what_the_matrix_expects(name, client, request, hamlet_wing, other_wing):
    user = request.getfixturevalue(name)
    _verified(client, user, _authenticator(user))
    wrong = {}
    for url_name in sorted(set(MATRIX) - {"hamlet:sign_out"}):  # signing out would end the session
        response, expected = _matrix_request(client, request, url_name)
        if response.status_code != expected[name]:
            wrong[url_name] = (response.status_code, expected[name])
    assert wrong == {}


def test_cfo_staff_and_custody_managers_need_no_code_unless_the_setting_names_their_role(
    client, request, staff, manager, hamlet_wing, other_wing
):
    client.force_login(staff)
    wrong = {}
    for url_name in sorted(set(MATRIX) - {"hamlet:sign_out"}):
        response, expected = _matrix_request(client, request, url_name)
        if response.status_code != expected["staff"]:
            wrong[url_name] = (response.status_code, expected["staff"])
    assert wrong == {}
    client.force_login(manager)
    assert client.get(reverse("hamlet:home")).status_code == 200


def test_a_role_named_in_the_setting_must_use_two_factor(client, settings, staff, manager, hamlet_wing):
    settings.HAMLET_2FA_ROLES = [*settings.HAMLET_2FA_ROLES, "CFO staff"]
    client.force_login(staff)
    response = client.get(reverse("residents:list"))
    assert response.status_code == 302
    assert response.url == f"{SET_UP}?next=%2Fresidents%2F"
    client.force_login(manager)  # a role the setting does not name
    assert client.get(reverse("residents:list")).status_code == 200


def test_switching_two_factor_off_lets_a_password_alone_in(client, settings, evaluator, administrator, hamlet_wing):
    settings.HAMLET_2FA = False
    client.force_login(evaluator)
    assert client.get(reverse("hamlet:regional")).status_code == 200  # an evaluator's home
    client.force_login(administrator)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(SET_UP).url == reverse("hamlet:home")  # nothing to set up


def test_anyone_who_can_open_the_django_admin_needs_a_code(client, staff, hamlet_wing):
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("admin:index")).url.startswith(SET_UP)


def test_an_evaluator_signs_in_sets_up_an_app_and_sees_backup_codes_once(client, evaluator, hamlet_wing, caplog):
    evaluator.set_password(PASSWORD)
    evaluator.save()
    caplog.set_level(logging.INFO, logger="hamlet.security")
    response = client.post(reverse("hamlet:sign_in"), {"username": "evaluator", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == f"{SET_UP}?next=%2F"
    page = response.content.decode()
    assert 'role="img"' in page
    assert 'aria-label="QR code for your authenticator app"' in page
    # The key shown for typing in is the key the QR code carries, and the one the app will use.
    secret = re.search(r'id="secret-key">([A-Z2-7 ]+)<', page).group(1)
    device = TOTPDevice(user=evaluator, key=b32decode(secret.replace(" ", "")).hex())
    assert two_factor.qr_code_svg(device) in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert not TOTPDevice.objects.filter(user=evaluator).exists()  # nothing stored until a code proves it

    response = client.post(SET_UP, {"code": _code(device), "next": "/"})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    stored = set(StaticToken.objects.filter(device__user=evaluator).values_list("token", flat=True))
    assert stored == {HashedBackupCodes.digest(code) for code in codes}
    assert stored.isdisjoint(codes)  # issue 10: the database holds digests, never the codes
    assert all(code in response.content.decode() for code in codes)
    assert TOTPDevice.objects.get(user=evaluator).confirmed
    assert client.get(reverse("hamlet:regional")).status_code == 200  # verified now: an evaluator's home
    # Set up once: the page (and its backup codes) is not offered again.
    assert client.get(SET_UP).url == reverse("hamlet:home")
    assert f"two-factor set up user_id={evaluator.pk}" in caplog.messages


def test_a_wrong_code_at_set_up_is_explained_next_to_the_field(client, evaluator):
    client.force_login(evaluator)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": "000000"})
    _assert_error(response, two_factor.WRONG_SETUP_CODE)
    assert not TOTPDevice.objects.filter(user=evaluator, confirmed=True).exists()
    assert client.get(reverse("hamlet:home")).url.startswith(SET_UP)


def test_a_password_alone_cannot_add_a_second_app(client, evaluator):
    _authenticator(evaluator)
    client.force_login(evaluator)
    assert client.get(SET_UP).url == VERIFY
    assert client.post(SET_UP, {"code": "123456"}).url == VERIFY
    assert TOTPDevice.objects.filter(user=evaluator).count() == 1


def test_a_code_from_the_app_signs_in_and_goes_on_to_the_page_asked_for(client, evaluator, hamlet_wing, caplog):
    device = _authenticator(evaluator)
    caplog.set_level(logging.INFO, logger="hamlet.security")
    client.force_login(evaluator)
    asked_for = reverse("hamlet:wing_detail", args=[hamlet_wing.pk])
    response = client.get(asked_for)
    assert response.url == f"{VERIFY}?next={asked_for.replace('/', '%2F')}"
    page = client.get(response.url)
    assert '<h1 class="govuk-label-wrapper">' in page.content.decode()
    assert "Enter the code from your authenticator app" in page.content.decode()
    response = client.post(VERIFY, {"code": _code(device), "next": asked_for})
    assert response.url == asked_for
    assert client.get(asked_for).status_code == 200
    assert f"two-factor verified with app code user_id={evaluator.pk}" in caplog.messages


def test_a_code_from_the_app_cannot_be_used_twice(client, django_user_model, evaluator):
    device = _authenticator(evaluator)
    code = _code(device)
    client.force_login(evaluator)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    # Someone who saw the code over the user's shoulder, in another browser.
    other = client.__class__()
    other.force_login(evaluator)
    response = other.post(VERIFY, {"code": code})
    _assert_error(response, two_factor.WRONG_CODE)
    assert other.get(reverse("hamlet:home")).url.startswith(VERIFY)


def test_a_backup_code_works_once(client, evaluator, caplog):
    _authenticator(evaluator)
    caplog.set_level(logging.INFO, logger="hamlet.security")
    client.force_login(evaluator)
    response = client.post(VERIFY, {"code": "AAAA 2222"}, follow=True)  # as typed from paper
    assert response.status_code == 200
    assert "You used a backup code. You have 2 left." in response.content.decode()
    assert not StaticToken.objects.filter(token=HashedBackupCodes.digest("aaaa2222")).exists()
    assert f"two-factor verified with backup code user_id={evaluator.pk}" in caplog.messages
    other = client.__class__()
    other.force_login(evaluator)
    _assert_error(other.post(VERIFY, {"code": "aaaa2222"}), two_factor.WRONG_CODE)


def test_a_wrong_code_is_explained_next_to_the_field_and_logged_by_id(client, evaluator, caplog):
    _authenticator(evaluator)
    caplog.set_level(logging.INFO, logger="hamlet.security")
    client.force_login(evaluator)
    response = client.post(VERIFY, {"code": "000000"})
    _assert_error(response, two_factor.WRONG_CODE)
    _assert_error(client.post(VERIFY, {"code": ""}), "Enter the code from your authenticator app")
    assert f"two-factor code refused user_id={evaluator.pk}" in caplog.messages
    logged = " ".join(caplog.messages)
    assert "000000" not in logged
    assert evaluator.username not in logged


def test_wrong_codes_make_the_next_try_wait_longer_each_time(client, evaluator):
    device = _authenticator(evaluator)
    client.force_login(evaluator)
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as clock:
        client.post(VERIFY, {"code": "000000"})
        # Even the right code is refused until the wait is over: guessing a million codes takes years.
        _assert_error(client.post(VERIFY, {"code": _code(device)}), "Wait 1 second before you try again")
        clock.shift(timedelta(seconds=2))
        client.post(VERIFY, {"code": "000001"})
        _assert_error(client.post(VERIFY, {"code": _code(device)}), "Wait 2 seconds")
        for _ in range(8):  # each once the wait (4, 8, … 256 seconds) is over
            clock.shift(timedelta(minutes=10))
            client.post(VERIFY, {"code": "000002"})
        _assert_error(client.post(VERIFY, {"code": _code(device)}), "Wait 9 minutes")  # 512 seconds
        device.refresh_from_db()
        assert device.throttling_failure_count == 10
        clock.shift(timedelta(minutes=9))
        assert client.post(VERIFY, {"code": _code(device)}).status_code == 302


def test_an_administrator_must_verify_before_the_django_admin(client, administrator):
    device = _authenticator(administrator)
    client.force_login(administrator)
    assert client.get(reverse("admin:auth_user_changelist")).url.startswith(VERIFY)
    client.post(VERIFY, {"code": _code(device)})
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_an_administrator_resets_someones_two_factor_and_they_must_sign_in_again(
    client, administrator, evaluator, caplog
):
    evaluator_client = _verified(client.__class__(), evaluator, _authenticator(evaluator))
    assert evaluator_client.get(reverse("hamlet:regional")).status_code == 200
    caplog.set_level(logging.INFO, logger="hamlet.security")
    _verified(client, administrator, _authenticator(administrator))
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [evaluator.pk]},
        follow=True,
    )
    assert "Reset two-factor sign-in for 1 user." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=evaluator).exists()
    assert not StaticDevice.objects.filter(user=evaluator).exists()
    # Their open session is ended: a new app can only be set up after the password.
    assert evaluator_client.get(reverse("hamlet:home")).url.startswith(reverse("hamlet:sign_in"))
    assert f"two-factor reset user_id={evaluator.pk} by user_id={administrator.pk}" in caplog.messages


def test_a_password_only_session_can_still_sign_out(client, evaluator):
    client.force_login(evaluator)
    assert client.post(reverse("hamlet:sign_out")).url == reverse("hamlet:sign_in")
    assert "_auth_user_id" not in client.session


def test_the_pages_show_no_menu_or_wings_before_the_code(client, evaluator, hamlet_wing, other_wing):
    client.force_login(evaluator)
    page = client.get(SET_UP).content.decode()
    assert "govuk-service-navigation" not in page
    assert hamlet_wing.name not in page
    assert other_wing.name not in page


def _settings_in_a_new_process(**env):
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.HAMLET_2FA, settings.HAMLET_2FA_ROLES)",
        ],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_two_factor_is_on_unless_switched_off_and_a_misspelt_role_stops_start_up():
    assert _settings_in_a_new_process().stdout.strip() == "True ['Administrator', 'Evaluator']"
    named = _settings_in_a_new_process(HAMLET_2FA_ROLES="custody manager")
    assert named.stdout.strip() == "True ['Administrator', 'Evaluator', 'Custody manager']"
    assert _settings_in_a_new_process(HAMLET_2FA="0").stdout.startswith("False")
    wrong = _settings_in_a_new_process(HAMLET_2FA_ROLES="Governor")
    assert wrong.returncode != 0
    assert "HAMLET_2FA_ROLES may list only" in wrong.stderr


def _assert_error(response, message: str) -> None:
    """The GOV.UK error pattern: 'Error:' in the title, the summary, and the message by the field."""
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "govuk-error-summary" in page
    # The message sits in the code field's group, and the input names it in aria-describedby.
    field_error = re.search(
        r'<span id="(id_code_\d+_error)" class="govuk-error-message">(.*?)</span>\s*'
        r'<input[^>]*aria-describedby="[^"]*\1"',
        page,
        re.S,
    )
    assert field_error, "no error message next to the code field"
    assert message in field_error.group(2)


@pytest.fixture
def evaluator_with_app(evaluator):
    _authenticator(evaluator)
    return evaluator


@hypothesis.settings(
    max_examples=40, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(code=st.one_of(st.text(max_size=40), st.from_regex(r"\A[0-9a-z -]{0,12}\Z")))
def test_no_typed_code_breaks_the_page_or_gets_in(client, evaluator_with_app, code):
    hypothesis.assume("".join(code.split()).replace("-", "").lower() not in BACKUP_CODES)
    client.force_login(evaluator_with_app)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert client.get(reverse("hamlet:home")).status_code == 302


def test_backup_codes_have_no_letters_that_read_like_digits(evaluator):
    codes = two_factor._new_backup_codes(evaluator)
    assert len(set(codes)) == two_factor.BACKUP_CODE_COUNT
    assert all(len(code) == 8 and not set(code) & set("01ilo") for code in codes)


@hypothesis.settings(
    max_examples=40, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(code=st.one_of(st.text(max_size=40), st.from_regex(r"\A[0-9 ]{0,12}\Z")))
def test_no_typed_code_breaks_the_set_up_page_or_confirms_an_app(client, evaluator, code):
    client.force_login(evaluator)
    client.get(SET_UP)  # the secret waits in the session for the first code
    pending = TOTPDevice(key=client.session[two_factor.PENDING_KEY])
    hypothesis.assume("".join(code.split()) not in {_code(pending, steps) for steps in (-1, 0, 1)})
    response = client.post(SET_UP, {"code": code})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=evaluator, confirmed=True).exists()


# Issue 10, item 8: backup codes are HMAC-SHA256 digests under a key from the environment.


def test_a_backup_code_read_from_the_database_does_not_pass_the_second_factor(client, evaluator):
    _authenticator(evaluator)
    stolen = StaticToken.objects.filter(device__user=evaluator).values_list("token", flat=True).first()
    client.force_login(evaluator)
    _assert_error(client.post(VERIFY, {"code": stolen}), two_factor.WRONG_CODE)
    assert not StaticToken.objects.filter(token__in=BACKUP_CODES).exists()


def test_backup_codes_stop_working_under_another_key(client, evaluator, settings):
    _authenticator(evaluator)
    settings.HAMLET_BACKUP_CODE_KEY = "another-backup-code-key-for-another-deployment-01234"
    client.force_login(evaluator)
    _assert_error(client.post(VERIFY, {"code": BACKUP_CODES[0]}), two_factor.WRONG_CODE)


def test_codes_kept_in_plain_text_before_are_hashed_by_the_migration(evaluator):
    import importlib

    from django.apps import apps as live_apps

    migration = importlib.import_module("hamlet.migrations.0006_hashed_backup_codes")
    device = StaticDevice.objects.create(user=evaluator, name="Backup codes", confirmed=True)
    StaticToken.objects.create(device=device, token="plain234")
    migration.hash_plain_codes(live_apps, None)
    assert list(StaticToken.objects.values_list("token", flat=True)) == [HashedBackupCodes.digest("plain234")]
    migration.hash_plain_codes(live_apps, None)  # a digest is left as it is
    assert list(StaticToken.objects.values_list("token", flat=True)) == [HashedBackupCodes.digest("plain234")]


def test_a_production_start_without_a_backup_code_key_fails_loudly():
    from tests.hamlet.test_security import PRODUCTION_ENV, _manage

    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "HAMLET_BACKUP_CODE_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "Set the HAMLET_BACKUP_CODE_KEY environment variable" in result.stderr
