"""Every server key (research IDs, backup codes) is checked the same way before a production
start: long enough not to be guessed, and not a copy of another key."""

import pytest

from hamlet.models import check_backup_code_key
from hamlet.pseudonyms import check_pseudonym_key


@pytest.mark.parametrize(
    ("check", "name", "copy_of", "ids"),
    [
        (check_pseudonym_key, "HAMLET_PSEUDONYM_KEY", "SECRET_KEY", ["hamlet.E001", "hamlet.E002"]),
        (check_backup_code_key, "HAMLET_BACKUP_CODE_KEY", "SECRET_KEY", ["hamlet.E003", "hamlet.E004"]),
        (check_backup_code_key, "HAMLET_BACKUP_CODE_KEY", "HAMLET_PSEUDONYM_KEY", ["hamlet.E003", "hamlet.E004"]),
    ],
)
def test_a_short_or_reused_key_stops_a_production_start(settings, check, name, copy_of, ids):
    settings.DEBUG = False
    setattr(settings, name, "short")
    assert [error.id for error in check(None)] == ids[:1]
    setattr(settings, name, "x" * 40)
    setattr(settings, copy_of, "x" * 40)
    assert [error.id for error in check(None)] == ids[1:]
    setattr(settings, name, "y" * 40)
    assert check(None) == []
