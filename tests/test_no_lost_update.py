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
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from hamlet import versions
from hamlet.roles import Role
from mentoring import services as mentoring_services
from mentoring.models import CRITERIA, Interview, MentoringSettings
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
    # Issue 10, item 3: two interviewers scoring one candidate; the second save wiped the first's notes.
    "interview": Edit(
        editors=("manager", "staff"),
        url="mentoring:interview",
        record="interview",
        theirs={"ready_notes": "Talks about others before herself"},
        mine={"life_skills_notes": "Runs the wing's book club"},
        refusal=(
            "ready_notes",
            "Notes on ‘Ready: own problems no bigger than others'’ was changed from blank to "
            "‘Talks about others before herself’ by someone else",
        ),
    ),
}


@pytest.fixture
def mentoring_settings(hamlet_wing):
    return MentoringSettings.objects.get_or_create(wing=hamlet_wing)[0]  # already saved once


@pytest.fixture
def interview(candidate, manager):
    scored = Interview.objects.create(
        candidate=candidate, held_on=candidate.added_on, ready=3, wants_responsibility=3, emotional_skills=3,
        practical_skills=3, life_skills=3,
    )  # fmt: skip
    scored.interviewers.set([manager])
    return scored


def _url(edit: Edit, request) -> str:
    record = request.getfixturevalue(edit.record)
    if edit.url == "mentoring:interview":
        return reverse(edit.url, args=[record.candidate.round_id, record.candidate_id])
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


def test_two_interviewers_scoring_a_candidate_for_the_first_time_do_not_overwrite_each_other(request, candidate):
    url = reverse("mentoring:interview", args=[candidate.round_id, candidate.pk])
    first, second = _signed_in(request, "manager"), _signed_in(request, "staff")
    their_page, my_page = form_data(first.get(url)), form_data(second.get(url))
    scores = dict.fromkeys([name for name, _ in CRITERIA], "3")
    scores["interviewers"] = [str(request.getfixturevalue("manager").pk)]
    assert first.post(url, {**their_page, **scores, "ready_notes": "Theirs"}).status_code == 302
    response = second.post(url, {**my_page, **scores, "ready_notes": "Mine"})
    assert response.status_code == 200
    # The page was opened before there was an interview to carry a version: out of date now.
    assert response.context["form"].non_field_errors() == [
        "This form is out of date. Open the page again and make your changes."
    ]
    assert Interview.objects.get(candidate=candidate).ready_notes == "Theirs"


def test_the_second_first_save_of_an_interview_is_refused_by_the_service_too(candidate, manager):
    # Two first saves at the same moment both pass the form; the service lets one through.
    def unsaved(notes):
        return Interview(
            candidate=candidate, held_on=candidate.added_on, ready=3, wants_responsibility=3, emotional_skills=3,
            practical_skills=3, life_skills=3, ready_notes=notes,
        )  # fmt: skip

    mentoring_services.interview_save(interview=unsaved("Theirs"), interviewers=[manager])
    with pytest.raises(ValidationError, match="Someone else saved scores for this candidate"):
        mentoring_services.interview_save(interview=unsaved("Mine"), interviewers=[manager])
    assert Interview.objects.get(candidate=candidate).ready_notes == "Theirs"


# Issue 10, item 3: a save from any path moves the version on, so an older copy cannot undo it.


def _versioned_models():
    from django.apps import apps

    return [model for model in apps.get_models() if any(f.name == "version" for f in model._meta.fields)]


def test_every_model_with_a_version_moves_it_on_at_every_save():
    from hamlet.versions import VersionedModel

    models = _versioned_models()
    assert {model.__name__ for model in models} >= {"Wing", "Resident", "SupervisionSession", "Interview"}
    assert [model for model in models if not issubclass(model, VersionedModel)] == []


@pytest.mark.parametrize(
    "fixture", ["hamlet_wing", "resident", "supervision_session", "mentoring_settings", "interview"]
)
def test_a_plain_save_and_a_one_field_save_both_move_the_version_on(fixture, request):
    record = request.getfixturevalue(fixture)
    record.refresh_from_db()
    opened_at = record.version
    record.save()
    assert record.version == opened_at + 1
    record.save(update_fields=[record._meta.concrete_fields[-2].name])
    record.refresh_from_db()
    assert record.version == opened_at + 2


def test_an_administrators_change_in_the_django_admin_is_not_undone_by_an_older_copy(request, hamlet_wing):
    from django.contrib.auth.models import Permission

    administrator = request.getfixturevalue("administrator")
    administrator.user_permissions.add(Permission.objects.get(codename="change_wing"))
    manager = _signed_in(request, "manager")
    url = reverse("hamlet:wing_edit", args=[hamlet_wing.pk])
    older_copy = form_data(manager.get(url))

    admin = _signed_in(request, "administrator")
    admin_url = reverse("admin:hamlet_wing_change", args=[hamlet_wing.pk])
    page = form_data(admin.get(admin_url), having="aims")
    response = admin.post(admin_url, {**page, "aims": "Community first\nEveryone a voice"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    hamlet_wing.refresh_from_db()
    assert hamlet_wing.version == 2

    response = manager.post(url, {**older_copy, "capacity": "40"})
    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode()
    hamlet_wing.refresh_from_db()
    assert hamlet_wing.aims == "Community first\r\nEveryone a voice" or "Everyone a voice" in hamlet_wing.aims
