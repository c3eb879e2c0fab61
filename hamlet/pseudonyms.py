"""Research IDs: the only name an evaluator ever sees for a person.

A research ID is an HMAC-SHA256 of the record's kind and internal id, keyed with
``HAMLET_PSEUDONYM_KEY``. The key comes from the environment and is never written to the
database, so a copy of the database (or a leaked extract) cannot be turned back into
people: internal ids are sequential, but without the key no one can compute which ID
belongs to which id. The same person has the same research ID in every extract, so
evaluators can follow someone across follow-up extracts; a new key gives everyone new
IDs, which deliberately breaks that link with extracts taken before.
"""

import base64
import hashlib
import hmac

from django.conf import settings
from django.core import checks

# 10 base32 characters are 50 bits: a collision among even 100,000 records is about one in 200,000.
LENGTH = 10


def research_id(kind: str, pk: int) -> str:
    """The stable research ID of record ``pk`` of ``kind`` (for example "resident")."""
    message = f"{kind}:{pk}".encode()
    digest = hmac.new(settings.HAMLET_PSEUDONYM_KEY.encode(), message, hashlib.sha256).digest()
    return "R-" + base64.b32encode(digest).decode()[:LENGTH]


def server_key_errors(name: str, *, others: tuple[str, ...], ids: tuple[str, str]) -> list[checks.CheckMessage]:
    """The checks every server-side key gets outside development: long enough not to be
    guessed, and not a copy of another key (whose copies may travel further)."""
    if settings.DEBUG:
        return []
    key, (too_short, copied) = getattr(settings, name), ids
    if len(key) < 32:
        return [checks.Error(f"{name} must be at least 32 characters long.", id=too_short)]
    if any(key == getattr(settings, other) for other in others):
        return [checks.Error(f"{name} must not be the same as {' or '.join(others)}.", id=copied)]
    return []


@checks.register(checks.Tags.security)
def check_pseudonym_key(app_configs, **kwargs) -> list[checks.CheckMessage]:
    return server_key_errors("HAMLET_PSEUDONYM_KEY", others=("SECRET_KEY",), ids=("hamlet.E001", "hamlet.E002"))
