"""Evaluators work from pseudonymised, aggregated data: no one's name reaches them.

Every page an evaluator can open is fetched, and neither the names of the staff whose
changes are in the audit trail nor a resident's pseudonym or prison number may appear.
"""

from datetime import date

import pytest
from django.urls import reverse

from evaluation.models import PeriodReopening
from tests.evaluation.factories import AssessmentPeriodFactory
from tests.test_permissions import MATRIX


def test_an_evaluator_sees_no_one_elses_name_on_any_page(
    client, evaluator, manager, staff, hamlet_wing, other_wing, resident, request
):
    client.force_login(manager)
    hamlet_wing.capacity = 40
    hamlet_wing.save()
    resident.evaluation_consent = True  # so the research extract has someone in it
    resident.save()
    # A period the manager closed and reopened: who did it is staff's to know.
    closed = AssessmentPeriodFactory(
        wing=hamlet_wing, label="Baseline", starts_on=date(2025, 1, 6), ends_on=date(2025, 3, 2),
        closed_on=date(2025, 3, 3), closed_by=manager,
    )  # fmt: skip
    PeriodReopening.objects.create(period=request.getfixturevalue("period"), reason="Late minutes", by=manager)
    client.force_login(evaluator)
    assert client.get(closed.get_absolute_url()).status_code == 200
    reachable = 0
    for name, (method, arg_fixtures, _, expected) in MATRIX.items():
        if method != "get" or expected["evaluator"] != 200 or name.startswith("admin:"):
            continue
        args = [request.getfixturevalue(arg[1:]).pk if str(arg).startswith("@") else arg for arg in arg_fixtures or []]
        content = client.get(reverse(name, args=args)).getvalue().decode("utf-8-sig")  # a stream too
        reachable += 1
        for canary in ("Morgan", "Hale", "Okafor", "manager.dhi", "officer.dhi", resident.pseudonym, "A4101BK"):
            assert canary not in content, f"{canary} on {name}"
    assert reachable >= 5


@pytest.mark.parametrize("name", ["hamlet:wing_history", "hamlet:wing_edit"])
def test_an_evaluator_cannot_open_the_audit_trail_or_change_a_wing(client, evaluator, hamlet_wing, name):
    client.force_login(evaluator)
    assert client.get(reverse(name, args=[hamlet_wing.pk])).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_evaluator_cannot_export_residents(client, evaluator, resident, fmt):
    client.force_login(evaluator)
    assert client.get(reverse("residents:export", args=[fmt])).status_code == 403
