"""Issue 11: a logged mentor contact is corrected or removed by whoever logged it, or by a
custody manager; anyone else is refused. Both are in the audit trail."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from hamlet.roles import Role
from mentoring.models import MentorContact
from tests.conftest import _named_user
from tests.editing import form_data


@pytest.fixture
def colleague(drake_hall):
    """Another CFO officer at Drake Hall, who did not log the contact."""
    return _named_user("colleague.dhi", "Sam Adeyemi", Role.CFO_STAFF, [drake_hall])


def _edit_url(contact):
    return reverse("mentoring:contact_edit", args=[contact.mentor_id, contact.pk])


def _remove_url(contact):
    return reverse("mentoring:contact_remove", args=[contact.mentor_id, contact.pk])


def _corrected(client, contact, **changes):
    data = form_data(client.get(_edit_url(contact)))
    data.update(changes)
    return client.post(_edit_url(contact), data)


@pytest.mark.parametrize("who", ["staff", "manager"])
def test_the_officer_who_logged_a_contact_or_a_custody_manager_corrects_it(client, request, mentor_contact, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = client.get(reverse("mentoring:mentor", args=[mentor_contact.mentor_id])).content.decode()
    assert _edit_url(mentor_contact) in page
    assert _remove_url(mentor_contact) in page
    response = _corrected(client, mentor_contact, minutes="35", notes="Showed two newcomers the routine")
    assert response.status_code == 302
    contact = MentorContact.objects.get(pk=mentor_contact.pk)
    assert (contact.minutes, contact.notes, contact.version) == (35, "Showed two newcomers the routine", 2)
    assert contact.recorded_by == mentor_contact.recorded_by  # who logged it stays who logged it
    change = LogEntry.objects.get_for_object(contact).filter(action=LogEntry.Action.UPDATE).get()
    assert change.actor == user
    assert change.changes_dict["minutes"] == ["20", "35"]


def test_anyone_else_may_neither_correct_nor_remove_a_contact(client, colleague, mentor_contact):
    client.force_login(colleague)
    page = client.get(reverse("mentoring:mentor", args=[mentor_contact.mentor_id])).content.decode()
    assert "Showed a newcomer the routine" in page  # they read it
    assert _edit_url(mentor_contact) not in page
    assert _remove_url(mentor_contact) not in page
    for url in (_edit_url(mentor_contact), _remove_url(mentor_contact)):
        assert client.get(url).status_code == 403
        assert client.post(url, {"minutes": "1"}).status_code == 403
    contact = MentorContact.objects.get(pk=mentor_contact.pk)
    assert (contact.minutes, contact.version) == (20, 1)


def test_removing_a_contact_asks_first_then_removes_it_in_the_audit_trail(client, staff, mentor_contact):
    client.force_login(staff)
    response = client.get(_remove_url(mentor_contact))
    assert response.status_code == 200
    assert "Remove this contact?" in response.content.decode()
    assert MentorContact.objects.filter(pk=mentor_contact.pk).exists()  # asking removes nothing
    response = client.post(_remove_url(mentor_contact))
    assert response.status_code == 302
    assert response.url == reverse("mentoring:mentor", args=[mentor_contact.mentor_id])
    assert not MentorContact.objects.filter(pk=mentor_contact.pk).exists()
    removal = LogEntry.objects.get(
        content_type__model="mentorcontact", object_pk=str(mentor_contact.pk), action=LogEntry.Action.DELETE
    )
    assert removal.actor == staff


def test_a_correction_made_meanwhile_by_someone_else_is_not_overwritten(client, staff, manager, mentor_contact):
    client.force_login(staff)
    data = form_data(client.get(_edit_url(mentor_contact)))
    manager_client = client.__class__()
    manager_client.force_login(manager)
    assert _corrected(manager_client, mentor_contact, minutes="25").status_code == 302
    data["minutes"] = "40"
    response = client.post(_edit_url(mentor_contact), data)
    assert response.status_code == 200
    assert "Someone else saved this contact" in response.content.decode()
    assert MentorContact.objects.get(pk=mentor_contact.pk).minutes == 25


def test_a_correction_keeps_to_the_rules_of_logging(client, staff, mentor_contact):
    client.force_login(staff)
    arrived = mentor_contact.mentor.arrived_on
    response = _corrected(
        client,
        mentor_contact,
        occurred_on_0=str(arrived.day - 1 if arrived.day > 1 else 1),
        occurred_on_1=str(arrived.month),
        occurred_on_2=str(arrived.year - 1),
    )
    assert response.status_code == 200
    assert "occurred_on" in response.context["form"].errors
    assert MentorContact.objects.get(pk=mentor_contact.pk).version == 1
