"""Relational mapping (issue 14): ranks worked out by hand, a cohort's whole mapping recorded
in one submission, the rules refused next to their fields, and comparisons marking each change."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluation.mapping import Cell, movement, ranks
from evaluation.models import MappingScore, RelationalMapping
from tests.evaluation.factories import MappingScoreFactory, RelationalMappingFactory
from tests.programme.factories import CohortFactory


def test_ranks_put_the_highest_score_first_and_ties_share_a_rank():
    assert ranks({"a": 9, "b": 7, "c": 9, "d": 5}) == {"a": 1, "c": 1, "b": 3, "d": 4}
    assert ranks({}) == {}


def test_a_change_is_said_in_words():
    assert [
        movement(Cell(5, 2), Cell(8, 1)),
        movement(Cell(5, 2), Cell(3, 4)),
        movement(Cell(5, 1), Cell(5, 1)),
        movement(None, Cell(4, 1)),
        movement(Cell(4, 1), Cell(None, None)),
    ] == [  # fmt: skip
        "up 3",
        "down 2",
        "same",
        "new",
        "not scored",
    ]


def _form(client, url: str) -> dict:
    response = client.get(url)
    form = response.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    today = timezone.localdate()
    data.update({"held_on_0": today.day, "held_on_1": today.month, "held_on_2": today.year})
    return data


def test_staff_record_a_cohorts_whole_mapping_in_one_submission(client, staff, period, cohort):
    client.force_login(staff)
    url = reverse("evaluation:mapping_add", args=[period.pk])
    data = _form(client, url) | {"cohort": cohort.pk, "peer_mentors__trusted": "10", "peer_mentors__power": "4",
                                 "wing_community__trusted": "8", "other_1_name": "Chaplaincy",
                                 "other_1__trusted": "8"}  # fmt: skip
    response = client.post(url, data)
    record = RelationalMapping.objects.get(period=period, cohort=cohort)
    assert response.url == record.get_absolute_url()
    assert set(record.scores.values_list("element", "construct", "score")) == {
        ("peer_mentors", "trusted", 10),
        ("peer_mentors", "power", 4),
        ("wing_community", "trusted", 8),
        ("Chaplaincy", "trusted", 8),
    }
    page = client.get(record.get_absolute_url())
    rows = {row.element: row.cells for row in page.context["rows"]}
    assert [(cell.score, cell.rank) for cell in rows["Peer mentors"]] == [(None, None), (10, 1), (None, None),
                                                                           (None, None), (4, 1)]  # fmt: skip
    assert (rows["Chaplaincy"][1].rank, rows["Wing community"][1].rank) == (2, 2)
    assert '<td class="govuk-table__cell govuk-table__cell--numeric hamlet-heat-5">10 <span' in page.content.decode()


def test_a_correction_replaces_the_scores_and_two_editors_do_not_overwrite_each_other(client, staff, manager, mapping):
    url = reverse("evaluation:mapping_edit", args=[mapping.pk])
    client.force_login(manager)
    stale = _form(client, url)
    client.force_login(staff)
    data = _form(client, url) | {"peer_mentors__trusted": "", "wing_community__honest": "6"}
    assert client.post(url, data).status_code == 302
    assert list(mapping.scores.values_list("element", "construct", "score")) == [("wing_community", "honest", 6)]
    client.force_login(manager)
    response = client.post(url, stale | {"peer_mentors__trusted": "2"})
    assert "Someone else saved this mapping" in response.context["form"].non_field_errors()[0]
    assert list(mapping.scores.values_list("score", flat=True)) == [6]


def test_the_mappings_rules_are_refused_next_to_their_fields(client, staff, period, cohort, resident, mapping):
    client.force_login(staff)
    other = CohortFactory(wing=period.wing, name="Cohort 0", starts_on=cohort.starts_on)
    url = reverse("evaluation:mapping_add", args=[period.pk])
    cases = [
        ({"other_1_name": resident.pseudonym, "other_1__honest": "5"}, "other_1_name", "names a resident of the wing"),
        ({"other_2__honest": "5"}, "other_2_name", "Enter the name the group gave"),
        ({"other_1_name": "Peer mentors", "other_1__honest": "5"}, "other_1_name", "Peer mentors is named already"),
        ({"peer_mentors__honest": "11"}, "peer_mentors__honest", "Peer mentors: honest must be 10 or less"),
        ({"peer_mentors__honest": "x"}, "peer_mentors__honest", "must be a whole number from 0 to 10"),
        (
            {"cohort": cohort.pk, "peer_mentors__honest": "5"},
            "cohort",
            "mapping for the period is recorded",
        ),
    ]
    for given, field, message in cases:
        response = client.post(url, _form(client, url) | {"cohort": other.pk} | given)
        assert message in str(response.context["form"].errors[field]), given
    assert RelationalMapping.objects.count() == 1


def test_a_closed_periods_mapping_cannot_be_recorded(client, staff, period, cohort):
    period.closed_on = timezone.localdate()
    period.save()
    client.force_login(staff)
    url = reverse("evaluation:mapping_add", args=[period.pk])
    response = client.post(url, _form(client, url) | {"cohort": cohort.pk, "peer_mentors__honest": "5"})
    assert "This period is closed" in str(response.context["form"].non_field_errors())
    assert not RelationalMapping.objects.exists()


def test_a_phase_1_and_a_phase_2_cohort_are_compared_by_default_with_each_change_marked(client, evaluator, period):
    first = RelationalMappingFactory(period=period, cohort=CohortFactory(wing=period.wing, phase="phase_1"))
    second = RelationalMappingFactory(period=period, cohort=CohortFactory(wing=period.wing, phase="phase_2"))
    for record, score in ((first, 6), (second, 9)):
        MappingScoreFactory(mapping=record, element="peer_mentors", construct="trusted", score=score)
        MappingScoreFactory(mapping=record, element="wing_community", construct="trusted", score=8)
    client.force_login(evaluator)
    client.post(reverse("hamlet:wing_switch"), {"wing": period.wing.pk})
    response = client.get(reverse("evaluation:mapping_compare"), follow=True)
    assert (response.context["before"], response.context["after"]) == (first, second)
    rows = {row.element: row.compared[1] for row in response.context["rows"]}
    assert [(old.rank, new.rank, change) for old, new, change in rows.values()] == [(1, 2, "same"), (2, 1, "up 3")]


def test_the_mapping_pages_queries_do_not_grow_with_elements(client, staff, mapping):
    client.force_login(staff)
    other = RelationalMappingFactory(period=mapping.period, cohort=CohortFactory(wing=mapping.period.wing))
    urls = [mapping.get_absolute_url(), f"{reverse('evaluation:mapping_compare')}?before={other.pk}&after={mapping.pk}"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for record in (mapping, other):
        for element in ("custody_manager", "cfo_officers", "Chaplaincy"):
            for construct in ("knowledgeable", "honest"):
                MappingScore.objects.create(mapping=record, element=element, construct=construct, score=5)
    assert counts() == before
