"""What focus groups found, and section 2's findings tracked as actions (issue 14)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Finding, FindingProgress, Voice
from tests.evaluation.factories import FindingFactory, VoiceFactory


def _form(client, url: str) -> dict:
    form = client.get(url).context["form"]
    return {name: "" if form[name].value() is None else form[name].value() for name in form.fields}


def test_the_groups_findings_are_shown_in_priority_order(client, evaluator, period):
    for priority, summary in [(3, "Meaningful activity"), (1, "Family contact"), (2, "Relationships")]:
        VoiceFactory(period=period, priority=priority, summary=summary)
    VoiceFactory(period=period, kind="barrier", priority=1, summary="Distance")
    client.force_login(evaluator)
    kinds = dict(client.get(reverse("evaluation:voices", args=[period.pk])).context["kinds"])
    assert [voice.summary for voice in kinds["Enablers of a more fulfilling life in prison"]] == [
        "Family contact",
        "Relationships",
        "Meaningful activity",
    ]
    assert [voice.summary for voice in kinds["Barriers to a more fulfilling life in prison"]] == ["Distance"]


def test_a_finding_naming_a_resident_is_refused_and_a_closed_period_takes_no_more(client, staff, period, resident):
    client.force_login(staff)
    url = reverse("evaluation:voice_add", args=[period.pk])
    data = {"kind": "enabler", "priority": "1", "summary": "Hope", "version": ""}
    response = client.post(url, data | {"mentors_could_help": f"Ask {resident.pseudonym}"})
    assert "This names a resident of the wing" in str(response.context["form"].errors["mentors_could_help"])
    assert client.post(url, data | {"priority": "0"}).context["form"].errors["priority"] == [
        "Priority must be 1 or more"
    ]
    period.closed_on = timezone.localdate()
    period.save()
    response = client.post(url, data)
    assert "This period is closed" in str(response.context["form"].non_field_errors())
    assert not Voice.objects.exists()


def test_progress_on_a_finding_moves_its_status_and_goes_on_after_the_period_closes(client, staff, manager, finding):
    finding.period.closed_on = timezone.localdate()
    finding.period.save()
    client.force_login(manager)
    url = finding.get_absolute_url()
    stale = _form(client, url)
    client.force_login(staff)
    today = timezone.localdate()
    answers = {"on_0": today.day, "on_1": today.month, "on_2": today.year, "note": "Raised at the council"}
    assert client.post(url, _form(client, url) | answers | {"status": "in_progress"}).status_code == 302
    finding.refresh_from_db()
    assert finding.status == "in_progress"
    assert list(FindingProgress.objects.values_list("note", "status", "by")) == [
        ("Raised at the council", "in_progress", staff.pk)
    ]
    client.force_login(manager)
    response = client.post(url, stale | answers | {"status": "done", "note": "Agreed"})
    assert "Someone else saved this finding" in response.context["form"].non_field_errors()[0]
    assert Finding.objects.get(pk=finding.pk).status == "in_progress"
    # The finding itself belongs to its closed period: it cannot be changed any more.
    edit = reverse("evaluation:finding_edit", args=[finding.pk])
    response = client.post(edit, _form(client, edit) | {"summary": "Changed"})
    assert "This period is closed" in str(response.context["form"].non_field_errors())


def test_evaluators_read_findings_without_staff_names_and_cannot_add_progress(client, evaluator, finding):
    FindingProgress.objects.create(finding=finding, on=timezone.localdate(), note="Begun", status="in_progress",
                                   by=finding.owner)  # fmt: skip
    client.force_login(evaluator)
    client.post(reverse("hamlet:wing_switch"), {"wing": finding.period.wing_id})
    for url in (reverse("evaluation:findings"), finding.get_absolute_url()):
        content = client.get(url).content.decode()
        assert finding.summary in content
        assert "Morgan" not in content
    assert client.post(finding.get_absolute_url(), {"note": "x", "status": "done"}).status_code == 403


def test_the_findings_list_filters_by_status_and_its_queries_do_not_grow(client, staff, period):
    FindingFactory(period=period, summary="Open one")
    FindingFactory(period=period, summary="Done one", status="done")
    client.force_login(staff)
    url = reverse("evaluation:findings")
    rows = client.get(url, {"status": "done"}).context["table"].page.object_list
    assert [row.record.summary for row in rows] == ["Done one"]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for number in range(5):
        FindingFactory(period=period, summary=f"Another {number}", owner=staff)
    assert count() == before
