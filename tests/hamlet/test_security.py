"""The security baseline: headers, cookies, error pages, production checks, audit."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.editing import opened
from tests.hamlet.test_views import _wing_form

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-like-secret-key-that-is-long-and-random-Xq9vT3mB7pL2sN8wR4",
    "HAMLET_PSEUDONYM_KEY": "a-production-like-pseudonym-key-unlike-the-secret-key-Zr5",
    "HAMLET_BACKUP_CODE_KEY": "a-production-like-backup-code-key-unlike-the-other-two-Kp8",
    "ALLOWED_HOSTS": "hamlet.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deployment_checks_pass_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_production_start_without_a_secret_key_fails_loudly():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_a_production_start_without_a_pseudonym_key_fails_loudly():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "HAMLET_PSEUDONYM_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "Set the HAMLET_PSEUDONYM_KEY environment variable" in result.stderr


def test_a_misspelt_setting_fails_loudly():
    result = _manage("check", **{**PRODUCTION_ENV, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_signed_in_pages_carry_the_security_headers(client, staff, hamlet_wing):
    client.force_login(staff)
    response = client.get(reverse("hamlet:home"), secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]


def test_session_cookies_are_secure_http_only_and_same_site(client, staff, hamlet_wing):
    client.force_login(staff)
    client.get(reverse("hamlet:home"), secure=True)
    cookie = client.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_plain_http_is_sent_to_https_except_the_health_check(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("hamlet:sign_in"))
    assert response.status_code == 301
    assert response.url.startswith("https://")
    assert client.get(reverse("hamlet:healthz")).status_code == 200


def test_the_not_found_page_is_styled_and_does_not_echo_the_address(client, staff, hamlet_wing):
    client.force_login(staff)
    response = client.get("/wings/999999/<script>alert(1)</script>/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page not found" in content
    assert "alert(1)" not in content
    assert "govuk-template" in content


@pytest.mark.django_db
def test_the_error_page_shows_nothing_internal():
    response = server_error(RequestFactory().get("/"))
    content = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with Hamlet" in content
    assert "Traceback" not in content
    assert "SECRET" not in content


def test_audit_entries_cannot_be_changed_or_deleted_in_the_admin(client, administrator, hamlet_wing, django_user_model):
    hamlet_wing.capacity = 40
    hamlet_wing.save()
    entry = LogEntry.objects.get_for_object(hamlet_wing).latest("timestamp")
    superuser = django_user_model.objects.create_superuser("root", password=None)
    for user in (administrator, superuser):
        client.force_login(user)
        change_url = reverse("admin:auditlog_logentry_change", args=[entry.pk])
        delete_url = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
        assert client.post(change_url, {"changes": "{}"}).status_code == 403
        assert client.post(delete_url, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert "capacity" in entry.changes_dict


def test_staff_without_the_audit_permission_cannot_read_the_history(client, staff, hamlet_wing):
    client.force_login(staff)
    assert client.get(reverse("hamlet:wing_history", args=[hamlet_wing.pk])).status_code == 403


def test_an_administrator_cannot_make_anyone_a_superuser_or_grant_one_off_permissions(client, administrator, staff):
    client.force_login(administrator)
    response = client.get(reverse("admin:auth_user_change", args=[staff.pk]))
    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()
    assert 'name="user_permissions"' not in response.content.decode()
    assert 'name="groups"' in response.content.decode()
    # Their own roles they cannot change at all (issue 10).
    own = client.get(reverse("admin:auth_user_change", args=[administrator.pk])).content.decode()
    assert 'name="groups"' not in own


@pytest.mark.parametrize(("proxies", "recorded"), [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_audit_entries_record_the_address_hamlet_trusts_not_a_forged_one(
    client, manager, hamlet_wing, settings, proxies, recorded
):
    """The client writes the left of X-Forwarded-For; only the proxies' entries are believed."""
    settings.HAMLET_PROXY_COUNT = proxies
    client.force_login(manager)
    url = reverse("hamlet:wing_edit", args=[hamlet_wing.pk])
    data = {**_wing_form(capacity="41"), **opened(client, url)}
    assert client.post(url, data, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9").status_code == 302
    entry = LogEntry.objects.get_for_object(hamlet_wing).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.remote_addr == recorded
