"""Withdrawing evaluation consent clears the date and witness, so the record does not
contradict itself; the audit trail keeps what they were."""

from datetime import timedelta

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from residents.models import Resident
from tests.editing import form_data


def test_unticking_consent_clears_its_date_and_witness(client, staff, resident):
    given = timezone.localdate() - timedelta(days=10)
    Resident.objects.filter(pk=resident.pk).update(evaluation_consent=True, consent_date=given,
                                                   consent_witnessed_by=staff)  # fmt: skip
    client.force_login(staff)
    url = reverse("residents:edit", args=[resident.pk])
    data = form_data(client.get(url))  # the page as shown: date and witness filled in
    assert data["consent_date_0"] == [str(given.day)]
    assert data["consent_witnessed_by"] == [str(staff.pk)]
    del data["evaluation_consent"]
    assert client.post(url, data).status_code == 302
    resident.refresh_from_db()
    assert not resident.evaluation_consent
    assert resident.consent_date is None
    assert resident.consent_witnessed_by is None
    change = LogEntry.objects.get_for_object(resident).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert change.changes["consent_date"] == [str(given), "None"]
