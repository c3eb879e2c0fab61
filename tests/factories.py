"""Every factory, for tests written before the factories moved beside each app's tests.

New tests import from ``tests/<app>/factories.py``, where each app's factories live.
"""

from tests.hamlet.factories import *  # noqa: F403
from tests.mentoring.factories import *  # noqa: F403
from tests.residents.factories import *  # noqa: F403
