"""Passwords (ASVS 6.2): stored as argon2id, long passphrases welcome, common ones refused."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.hamlet.fixtures import PASSWORD

LONG_PASSWORD = "the wing's kettle is by the porta-cabin door, beside the rota 64"


def _change_password(client, user, new_password):
    client.force_login(user)
    return client.post(
        reverse("hamlet:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )


def test_a_password_is_stored_as_an_argon2id_hash(client, officer):
    _change_password(client, officer, "a-new-long-passphrase")
    officer.refresh_from_db()
    assert officer.password.startswith("argon2$argon2id$")
    assert "a-new-long-passphrase" not in officer.password


def test_a_64_character_password_is_accepted_whole_and_signs_in(client, officer):
    assert len(LONG_PASSWORD) == 64
    assert _change_password(client, officer, LONG_PASSWORD).status_code == 302
    officer.refresh_from_db()
    assert officer.password.startswith("argon2$argon2id$")
    # Every character counts: nothing is cut off before hashing.
    assert not officer.check_password(LONG_PASSWORD[:63])
    client.logout()
    response = client.post(reverse("hamlet:sign_in"), {"username": officer.username, "password": LONG_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


@pytest.mark.parametrize("common", ["password1234", "qwertyuiop123"])
def test_a_common_password_is_refused_with_a_message_next_to_the_field(client, officer, common):
    response = _change_password(client, officer, common)
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == ["This password is too common."]
    # Shown in the field's group and named by the input's aria-describedby, as GOV.UK asks.
    field_error = re.search(
        r'<span id="(id_new_password2_\d+_error)" class="govuk-error-message">(.*?)</span>\s*'
        r'<input[^>]*name="new_password2"[^>]*aria-describedby="\1"',
        response.content.decode(),
        re.S,
    )
    assert field_error is not None
    assert "This password is too common." in field_error.group(2)
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


@pytest.mark.parametrize("password", ["short-one", "password1234", "123456789012"])
def test_weak_passwords_are_refused(password, staff):
    with pytest.raises(ValidationError):
        validate_password(password, staff)


def test_a_password_can_be_changed_through_the_page(client, officer):
    response = _change_password(client, officer, "a-new-long-passphrase")
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("a-new-long-passphrase")


def test_a_too_short_new_password_is_explained_next_to_the_field(client, officer):
    response = _change_password(client, officer, "short")
    assert response.status_code == 200
    assert "at least 12 characters" in " ".join(response.context["form"].errors["new_password2"])
