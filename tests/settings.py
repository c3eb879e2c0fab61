"""The test suite's settings: Hamlet's own, plus a stand-in for a later app
(``tests.contract_app``) that proves the resident contract is all such an app needs."""

from hamlet.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.contract_app"]  # noqa: F405
