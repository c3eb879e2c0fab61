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


@checks.register(checks.Tags.security)
def check_pseudonym_key(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A short key could be guessed, and SECRET_KEY's copies travel further than this one should."""
    if settings.DEBUG:
        return []
    key = settings.HAMLET_PSEUDONYM_KEY
    if len(key) < 32:
        return [checks.Error("HAMLET_PSEUDONYM_KEY must be at least 32 characters long.", id="hamlet.E001")]
    if key == settings.SECRET_KEY:
        return [checks.Error("HAMLET_PSEUDONYM_KEY must not be the same as SECRET_KEY.", id="hamlet.E002")]
    return []
