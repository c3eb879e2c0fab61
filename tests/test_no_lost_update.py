"""No lost update.

Two people open the same record's edit page; the first to save wins, and the second is
refused with what the first changed, field by field, next to the form. Every record that
two people may edit at once is here: a resident, a supervision session, the wing, and the
wing's mentoring settings. (Community meetings do not exist yet; the programme app keeps
this promise for them.) The check is one ``UPDATE ... WHERE version = n`` in the database
(hamlet.versions), which the PostgreSQL test proves with two threads saving at once.
"""

import threading
from dataclasses import dataclass
from html import escape

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from hamlet import versions
from hamlet.roles import Role
from mentoring import services as mentoring_services
from mentoring.models import MentoringSettings
from residents import services as residents_services
from residents.models import Resident
from tests.editing import form_data
from tests.hamlet.factories import UserFactory


@pytest.fixture
def second_manager(drake_hall):
    """Another custody manager at Drake Hall, who may change the same wing."""
    return UserFactory(username="deputy.dhi", role=Role.CUSTODY_MANAGER, establishments=[drake_hall])


@dataclass
class Edit:
    """Two people editing one record: who, where, what each changes, and what must survive."""

    editors: tuple[str, str]
    url: str
    record: str  # the fixture holding the record
    theirs: dict  # the first save, which wins
    mine: dict  # the second, refused
    refusal: tuple[str, str]  # (field, message) on the refused form


EDITS = {
    "resident": Edit(
        editors=("manager", "staff"),
        url="residents:edit",
        record="resident",
        theirs={"room": "14"},
        mine={"room": "9", "pseudonym": "Tamsin B"},
        refusal=("room", "Room was changed from ‘12’ to ‘14’ by someone else"),
    ),
    "supervision note": Edit(
        editors=("manager", "staff"),
        url="mentoring:supervision_edit",
        record="supervision_session",
        theirs={"notes": "Settling in well; wants more down time"},
        mine={"kind": "group"},
        refusal=(
            "notes",
            "Notes was changed from ‘Settling in well’ to ‘Settling in well; wants more down time’ by someone else",
        ),
    ),
    "wing": Edit(
        editors=("manager", "second_manager"),
        url="hamlet:wing_edit",
        record="hamlet_wing",
        theirs={"capacity": "41"},
        mine={"aims": "A community wing"},
        refusal=("capacity", "Capacity (bedrooms) was changed from ‘39’ to ‘41’ by someone else"),
    ),
    "mentoring settings": Edit(
        editors=("manager", "second_manager"),
        url="mentoring:settings",
        record="mentoring_settings",
        theirs={"quiet_days": "10"},
        mine={"supervision_interval_days": "14"},
        refusal=(
            "quiet_days",
            "Days without a contact before a mentor is flagged as quiet was changed from ‘14’ to ‘10’ by someone else",
        ),
    ),
}


@pytest.fixture
def mentoring_settings(hamlet_wing):
    return MentoringSettings.objects.get_or_create(wing=hamlet_wing)[0]  # already saved once


def _url(edit: Edit, request) -> str:
    record = request.getfixturevalue(edit.record)
    if edit.url == "mentoring:settings":
        return reverse(edit.url)
    if edit.url == "mentoring:supervision_edit":
        return reverse(edit.url, args=[record.mentor_id, record.pk])
    return reverse(edit.url, args=[record.pk])


def _signed_in(request, name: str) -> Client:
    client = Client()
    client.force_login(request.getfixturevalue(name))
    return client


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_the_second_of_two_people_editing_at_once_is_refused_and_told_what_changed(edit, request, resident):
    Resident.objects.filter(pk=resident.pk).update(room="12")
    url = _url(edit, request)
    first, second = (_signed_in(request, name) for name in edit.editors)
    their_page, my_page = form_data(first.get(url)), form_data(second.get(url))

    record = request.getfixturevalue(edit.record)
    record.refresh_from_db()
    before = {name: getattr(record, name) for name in edit.mine if name not in edit.theirs}

    assert first.post(url, {**their_page, **edit.theirs}).status_code == 302
    response = second.post(url, {**my_page, **edit.mine})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == [
        f"Someone else saved {form.stale_noun} while you were editing, so your changes have not been saved. "
        "What they changed is shown below."
    ]
    field_name, message = edit.refusal
    assert form.errors[field_name] == [message]
    page = response.content.decode()
    assert page.count(escape(message)) == 2  # in the summary at the top, and next to the field
    assert "Open the latest version" in page
    assert 'name="submit"' not in page  # saving again would only be refused again
    # What the second person typed is still on the form for them to copy.
    assert {name: form_data(response)[name] for name in edit.mine} == {
        name: [value] for name, value in edit.mine.items()
    }
    # Nothing of the first save is lost, and nothing of the second is saved.
    record.refresh_from_db()
    assert {name: str(getattr(record, name)) for name in edit.theirs} == edit.theirs
    assert {name: getattr(record, name) for name in before} == before
    assert record.version == 2


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_the_refusal_stands_until_the_latest_version_is_opened(edit, request, resident):
    url = _url(edit, request)
    first, second = (_signed_in(request, name) for name in edit.editors)
    their_page, my_page = form_data(first.get(url)), form_data(second.get(url))
    first.post(url, {**their_page, **edit.theirs})

    assert second.post(url, {**my_page, **edit.mine}).status_code == 200
    assert second.post(url, {**my_page, **edit.mine}).status_code == 200
    latest = form_data(second.get(url))
    assert second.post(url, {**latest, **edit.mine}).status_code == 302
    record = request.getfixturevalue(edit.record)
    record.refresh_from_db()
    assert record.version == 3
    # Their change survives the later save, unless this person has now seen it and changed it again.
    for name in edit.theirs.keys() - edit.mine.keys():
        assert str(getattr(record, name)) == edit.theirs[name]


def test_a_form_with_a_forged_version_saves_nothing(client, staff, resident):
    client.force_login(staff)
    url = reverse("residents:edit", args=[resident.pk])
    data = form_data(client.get(url))
    response = client.post(url, {**data, "version": "1", "room": "99"})
    assert "This form is out of date" in response.content.decode()
    resident.refresh_from_db()
    assert (resident.room, resident.version) == ("1", 1)


def test_a_refusal_for_a_change_not_on_the_form_says_so(client, staff, manager, resident):
    client.force_login(staff)
    url = reverse("residents:edit", args=[resident.pk])
    data = form_data(client.get(url))
    residents_services.resident_depart(
        resident=resident, departed_on=resident.arrived_on, reason="released", by=manager
    )
    response = client.post(url, {**data, "room": "9"})
    assert "They changed details that are not on this form." in response.content.decode()
    assert Resident.objects.get(pk=resident.pk).room == "1"


# Each service that saves an edit with a version check: (fixture, the save, a change to make).
SAVES = {
    "resident": (
        "resident",
        lambda record, version: residents_services.resident_update(resident=record, version=version, by=None),
        "room",
    ),
    "supervision note": (
        "supervision_session",
        lambda record, version: mentoring_services.supervision_update(session=record, version=version),
        "notes",
    ),
    "wing": ("hamlet_wing", lambda record, version: versions.save_if_unchanged(record, version=version), "aims"),
}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", SAVES.keys())
def test_two_saves_at_the_same_moment_on_postgresql_let_exactly_one_through(kind, request, monkeypatch):
    fixture, save, field_name = SAVES[kind]
    record = request.getfixturevalue(fixture)
    model, opened_at = type(record), record.version
    start = threading.Barrier(2, timeout=10)
    both_checked = threading.Barrier(2)
    original_save = model.save

    def held_save(self, *args, **kwargs):
        # Wait (up to a second) for the other thread to pass its version check too. A check
        # that reads and then writes would let both through to here, and both would save;
        # the UPDATE ... WHERE version = n holds the second at the row lock instead.
        try:
            both_checked.wait(timeout=1)
        except threading.BrokenBarrierError:
            pass
        original_save(self, *args, **kwargs)

    monkeypatch.setattr(model, "save", held_save)
    outcomes: dict[str, str] = {}

    def edit(name: str) -> None:
        try:
            copy = model.objects.get(pk=record.pk)  # each thread's own copy, on its own connection
            setattr(copy, field_name, name)
            start.wait()
            save(copy, opened_at)
            outcomes[name] = "saved"
        except versions.StaleEdit:
            outcomes[name] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["refused", "saved"]
    record.refresh_from_db()
    assert record.version == opened_at + 1
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    assert getattr(record, field_name) == winner
