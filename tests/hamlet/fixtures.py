"""The site's records every test can ask for by name, registered in ``tests/conftest.py``."""

import pytest

# A password that passes the validators, for tests that sign in through the form.
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def officer(staff):
    """The Drake Hall officer with a password (Argon2 is slow, so only tests that type it ask)."""
    staff.set_password(PASSWORD)
    staff.save()
    return staff
