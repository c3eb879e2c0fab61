"""Settings for ``make bench`` only: Hamlet's own settings, plus the signed-in "hello"
page the benchmark measures every other page against (hamlet.urls_bench). Nothing else
differs, so every page goes through the same middleware as in production."""

from hamlet.settings import *  # noqa: F403

ROOT_URLCONF = "hamlet.urls_bench"
