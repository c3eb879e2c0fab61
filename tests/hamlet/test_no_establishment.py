"""Issue 11: a user whose account names no establishment is told so on every page, with
who to ask, instead of seeing empty lists as if nothing were recorded."""

import pytest
from django.urls import reverse

from hamlet.roles import Role
from tests.hamlet.factories import UserFactory

TOLD = "Your account has no establishment yet"


@pytest.fixture
def newcomer(db):
    return UserFactory(username="new.officer", role=Role.CFO_STAFF, establishments=[])


@pytest.mark.parametrize("name", ["hamlet:home", "residents:list", "mentoring:index"])
def test_a_user_with_no_establishment_is_told_so_and_who_to_ask(client, newcomer, hamlet_wing, name):
    client.force_login(newcomer)
    content = client.get(reverse(name)).content.decode()
    assert TOLD in content
    assert "Ask your custody manager or a Hamlet administrator" in content


def test_a_user_with_an_establishment_is_not_told_so(client, staff, hamlet_wing):
    client.force_login(staff)
    assert TOLD not in client.get(reverse("hamlet:home")).content.decode()
