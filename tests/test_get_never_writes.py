"""Issue 9: a GET never writes.

Every URL of the permission matrix is opened with GET by every role, and the SQL each
request runs is captured: any INSERT, UPDATE or DELETE fails the test, except the two
writes every page may make. The session's own row is saved on every request
(``SESSION_SAVE_EVERY_REQUEST``), and an access entry (``residents.audit``) is written
whenever a page shows a resident, by design. An access entry is a row of django-auditlog's
table, so the test also checks that every row a GET added to it is an access entry, not a
record of a change.
"""

import re

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.test_permissions import MATRIX, USERS

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
ALLOWED_TABLES = {"django_session", LogEntry._meta.db_table}


def writes_in(queries: list[dict]) -> list[str]:
    """The SQL of each write to a table a GET must leave alone."""
    found = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and match.group(1) not in ALLOWED_TABLES:
            found.append(query["sql"][:120])
    return found


def test_writes_in_finds_a_write_and_passes_a_read_or_a_session_save():
    queries = [
        {"sql": 'SELECT "mentoring_mentoringsettings"."id" FROM "mentoring_mentoringsettings"'},
        {"sql": 'UPDATE "django_session" SET "session_data" = %s'},
        {"sql": 'INSERT INTO "mentoring_mentoringsettings" ("wing_id") VALUES (1)'},
    ]
    assert writes_in(queries) == ['INSERT INTO "mentoring_mentoringsettings" ("wing_id") VALUES (1)']


@pytest.mark.parametrize("name", list(MATRIX))
def test_a_get_of_any_page_by_anyone_writes_nothing_but_the_session_and_access_entries(
    name, request, hamlet_wing, other_wing
):
    _, args, _, _ = MATRIX[name]
    args = [request.getfixturevalue(arg[1:]).pk if str(arg).startswith("@") else arg for arg in args or []]
    url = reverse(name, args=args)
    for user in USERS:
        client = Client()
        if user != "anonymous":
            client.force_login(request.getfixturevalue(user))
        last_entry = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        assert writes_in(captured.captured_queries) == [], f"GET {name} as {user} wrote"
        added = LogEntry.objects.filter(pk__gt=last_entry).exclude(action=LogEntry.Action.ACCESS)
        assert list(added.values_list("object_repr", "action")) == [], f"GET {name} as {user} logged a change"
