"""The test suite's settings: Hamlet's own, plus a stand-in for a later app
(``tests.contract_app``) that proves the resident contract is all such an app needs."""

from hamlet.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.contract_app"]  # noqa: F405

# Nothing held between tests, whatever REDIS_URL the machine sets: the tests of the shared
# cache itself (tests/hamlet/test_computed.py) point it at a Redis of their own.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
