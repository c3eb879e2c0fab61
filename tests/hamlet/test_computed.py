"""Figures held in the shared cache (``hamlet.computed``), against a real Redis: served from it
while nothing behind them changes, and worked out afresh as soon as anything does, whichever
app's record it is and however it changed. A page worked out afresh runs its counting queries
again; a held one runs only those of the layout around it. Each change is made in an atomic
block of its own, as a request's service makes it, and its commit callbacks are run.

Redis is at HAMLET_TEST_REDIS_URL (redis://127.0.0.1:6379/15), under a key prefix of the test's
own. Without it these tests are skipped, except under CI (HAMLET_REQUIRE_REDIS=1)."""

import logging
import os
import uuid

import pytest
import redis
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.auth.models import update_last_login
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hamlet import computed
from hamlet.models import Establishment
from tests.evaluation.factories import (
    AssessmentPeriodFactory,
    GridRatingFactory,
    MappingScoreFactory,
    RelationalMappingFactory,
)
from tests.hamlet.factories import UserFactory
from tests.mentoring.factories import MentorContactFactory, QualificationFactory, RoleHoldingFactory
from tests.programme.factories import AttendanceFactory, CohortFactory, SessionFactory
from tests.residents.factories import ResidentFactory, SupportContactFactory

REDIS_URL = os.environ.get("HAMLET_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
HELD = 12  # at most this many queries for a page whose figures come from the cache


def _redis_answers() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def shared_cache(settings):
    if not _redis_answers():
        if os.environ.get("HAMLET_REQUIRE_REDIS") == "1":
            pytest.fail(f"No Redis answers at {REDIS_URL}, and CI requires one")
        pytest.skip(f"No Redis answers at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def queries_for(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.fixture
def dashboard(client, shared_cache, manager, hamlet_wing):
    """The manager's dashboard, visited once (so worked out and held) and checked held."""
    client.force_login(manager)
    url = reverse("hamlet:home")
    worked_out, _ = queries_for(client, url)
    held, _ = queries_for(client, url)
    assert held <= HELD < worked_out
    return client, url


def _resident_admitted(here, staff):
    return lambda: ResidentFactory(wing=here)


def _residents_imported(here, staff):
    # Admitted in bulk (an import): bulk_create sends no signals, so the service says so itself.
    from residents.services import residents_admit

    arrivals = ResidentFactory.build_batch(3, wing=here)
    return lambda: residents_admit(residents=arrivals, by=staff)


def _support_logged(here, staff):
    resident = ResidentFactory(wing=here)
    return lambda: SupportContactFactory(resident=resident, staff=staff)


def _mentor_contact_logged(here, staff):
    mentor = ResidentFactory(wing=here, stage="phase_2")
    return lambda: MentorContactFactory(mentor=mentor)


def _register_marked(here, staff):
    # Attendance reaches its establishment through its session, cohort and wing.
    session = SessionFactory(cohort=CohortFactory(wing=here, status="running"))
    resident = ResidentFactory(wing=here)
    return lambda: AttendanceFactory(session=session, resident=resident)


def _rating_saved_again(here, staff):
    rating = GridRatingFactory(period=AssessmentPeriodFactory(wing=here))
    return lambda: rating.save()


def _support_deleted(here, staff):
    contact = SupportContactFactory(resident=ResidentFactory(wing=here), staff=staff)
    return lambda: contact.delete()


def _staff_named_on_a_record(here, staff):
    resident = ResidentFactory(wing=here, limited_access=True)
    return lambda: resident.permitted_staff.add(staff)


def _catalogue_entry_added(here, staff):
    # A qualification belongs to no establishment: a change to it is a change everywhere.
    return lambda: QualificationFactory()


@pytest.mark.parametrize(
    "change",
    [
        _resident_admitted,
        _residents_imported,
        _support_logged,
        _mentor_contact_logged,
        _register_marked,
        _rating_saved_again,
        _support_deleted,
        _staff_named_on_a_record,
        _catalogue_entry_added,
    ],
)
def test_any_change_at_the_establishment_drops_the_held_dashboard(
    change, dashboard, hamlet_wing, staff, django_capture_on_commit_callbacks
):
    client, url = dashboard
    make_change = change(hamlet_wing, staff)
    assert queries_for(client, url)[0] <= HELD  # the records set up beforehand were never committed
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        make_change()
    assert queries_for(client, url)[0] > HELD  # worked out afresh
    assert queries_for(client, url)[0] <= HELD  # and held again


def test_the_figure_shown_is_the_new_one_straight_after_a_change(
    dashboard, hamlet_wing, django_capture_on_commit_callbacks
):
    client, url = dashboard
    ResidentFactory.create_batch(2, wing=hamlet_wing, stage="ready")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        pass  # committed without telling the cache: what a change the signals missed would look like
    assert 'href="/residents/?stage=ready">0</a>' in queries_for(client, url)[1]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ResidentFactory(wing=hamlet_wing, stage="ready")
    assert 'href="/residents/?stage=ready">3</a>' in queries_for(client, url)[1]


def test_a_change_at_another_establishment_leaves_it_held(dashboard, other_wing, django_capture_on_commit_callbacks):
    client, url = dashboard
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ResidentFactory(wing=other_wing)
    assert queries_for(client, url)[0] <= HELD


def test_a_change_rolled_back_leaves_it_held(dashboard, hamlet_wing, django_capture_on_commit_callbacks):
    client, url = dashboard
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        ResidentFactory(wing=hamlet_wing)
    assert callbacks  # the new generation waits for a commit that, here, never comes
    assert queries_for(client, url)[0] <= HELD


@pytest.fixture
def mentor_named(hamlet_wing, peer_mentor_role):
    """A peer mentor, whom the dashboard's succession panel names to those who see identities."""
    mentor = ResidentFactory(wing=hamlet_wing, stage="phase_2")
    RoleHoldingFactory(resident=mentor, role=peer_mentor_role)
    return mentor


def succession_entries(**lookup) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__how="dashboard succession", **lookup)
    )


def test_every_visit_to_a_held_dashboard_that_names_people_is_recorded(mentor_named, dashboard, drake_hall):
    client, url = dashboard  # worked out on the first visit, held on the second
    assert len(succession_entries()) == 2
    colleague = UserFactory(role="Custody manager", establishments=[drake_hall])
    client.force_login(colleague)
    count, page = queries_for(client, url)
    assert count <= HELD  # the same permissions: the held dashboard
    assert mentor_named.pseudonym in page
    [entry] = succession_entries(actor=colleague)
    assert entry.additional_data["residents"] == [mentor_named.pk]
    assert len(succession_entries()) == 3


def test_readers_with_other_permissions_do_not_share_what_is_held(dashboard, staff):
    client, url = dashboard  # held for the custody manager
    client.force_login(staff)  # CFO staff: fewer permissions, so other links
    assert queries_for(client, url)[0] > HELD
    assert queries_for(client, url)[0] <= HELD


def test_the_regional_dashboard_and_its_download_share_the_held_tables(
    client, shared_cache, evaluator, hamlet_wing, other_wing, django_capture_on_commit_callbacks
):
    client.force_login(evaluator)
    page, download = reverse("hamlet:regional"), reverse("hamlet:regional_export", args=["csv"])
    assert queries_for(client, page)[0] > HELD
    assert queries_for(client, page)[0] <= HELD
    assert queries_for(client, download)[0] <= HELD  # the tables the page counted
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ResidentFactory(wing=other_wing)
    assert queries_for(client, download)[0] > HELD


def test_the_site_report_is_made_again_after_a_change(
    client, shared_cache, manager, period, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    url = reverse("evaluation:site_report")
    assert queries_for(client, url)[0] > HELD
    assert queries_for(client, url)[0] <= HELD
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        GridRatingFactory(period=period)
    assert queries_for(client, url)[0] > HELD


def test_a_mapping_comparison_is_held_until_a_score_changes(
    client, shared_cache, manager, period, django_capture_on_commit_callbacks
):
    before, after = RelationalMappingFactory.create_batch(2, period=period)
    score = MappingScoreFactory(mapping=after)
    client.force_login(manager)
    url = f"{reverse('evaluation:mapping_compare')}?before={before.pk}&after={after.pk}"
    assert queries_for(client, url)[0] > HELD
    assert queries_for(client, url)[0] <= HELD
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        score.score = 3
        score.save()  # reaches its establishment through the mapping, period and wing
    assert queries_for(client, url)[0] > HELD


def test_every_wings_grid_is_held_until_a_rating_changes_at_one_of_them(
    client, shared_cache, evaluator, other_wing, django_capture_on_commit_callbacks
):
    client.force_login(evaluator)
    url = reverse("evaluation:grid_wings")
    worked_out = queries_for(client, url)[0]
    assert queries_for(client, url)[0] < worked_out
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        GridRatingFactory(period=AssessmentPeriodFactory(wing=other_wing))
    assert queries_for(client, url)[0] == worked_out


def test_the_research_extracts_disclosure_control_is_worked_out_afresh_every_time(
    client, shared_cache, evaluator, hamlet_wing
):
    """It protects people, so it never rests on an invalidation that a Redis outage could lose."""
    ResidentFactory.create_batch(6, wing=hamlet_wing, evaluation_consent=True)
    client.force_login(evaluator)
    url = reverse("evaluation:index")
    first = queries_for(client, url)[0]
    assert queries_for(client, url)[0] == first


def test_a_limited_access_record_keeps_what_is_held_to_the_staff_it_names(
    client, shared_cache, manager, drake_hall, hamlet_wing, peer_mentor_role
):
    hidden = ResidentFactory(wing=hamlet_wing, stage="phase_2", limited_access=True, pseudonym="Rowan Hidden")
    hidden.permitted_staff.add(manager)
    RoleHoldingFactory(resident=hidden, role=peer_mentor_role)
    url = reverse("hamlet:home")
    client.force_login(manager)
    assert "Rowan Hidden" in queries_for(client, url)[1]  # named on the record: the panel names her
    colleague = UserFactory(role="Custody manager", establishments=[drake_hall])
    client.force_login(colleague)
    count, page = queries_for(client, url)
    assert "Rowan Hidden" not in page
    assert count > HELD  # the same permissions, but not the same records: worked out for them
    assert queries_for(client, url)[0] <= HELD


def test_a_refused_span_is_never_held(client, shared_cache, manager, hamlet_wing):
    client.force_login(manager)
    url = reverse("hamlet:home") + "?show=not-a-span"
    assert queries_for(client, url)[0] > HELD
    assert queries_for(client, url)[0] > HELD


def test_a_staff_account_changed_drops_what_is_held_and_signing_in_does_not(
    dashboard, manager, django_capture_on_commit_callbacks
):
    client, url = dashboard
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        update_last_login(None, manager)
    assert queries_for(client, url)[0] <= HELD
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        manager.first_name = "Renamed"
        manager.save()  # a name the site report shows
    assert queries_for(client, url)[0] > HELD


def test_a_transaction_of_many_saves_starts_its_generations_in_one_call(
    shared_cache, hamlet_wing, other_wing, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        ResidentFactory.create_batch(3, wing=hamlet_wing)
        ResidentFactory(wing=other_wing)
    assert len(callbacks) == 1
    [start] = callbacks
    assert start.__self__.scopes == {hamlet_wing.establishment_id, other_wing.establishment_id, "any"}


def test_a_redis_that_does_not_answer_leaves_the_page_counting(client, settings, manager, hamlet_wing, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    client.force_login(manager)
    with caplog.at_level(logging.ERROR, logger="hamlet.computed"):
        count, page = queries_for(client, reverse("hamlet:home"))
    assert "How The Hamlet is doing" in page
    assert count > HELD
    assert "The shared cache did not answer" in caplog.text


def test_every_record_reaches_an_establishment_but_the_catalogues():
    """A model with no way to its establishment makes every change to it a change everywhere:
    right for catalogues, wasteful for anything else. A new model lands in this list only if
    it truly belongs to no establishment."""
    everywhere = {model._meta.label for model, path in computed.PATHS.items() if path is None}
    assert everywhere == {
        "hamlet.Organisation",
        "hamlet.StaffProfile",
        "mentoring.Qualification",
        "evaluation.ClimateIndicator",
        "evaluation.Attribute",
    }
    assert computed.PATHS[Establishment] == ["pk"]
    assert computed.PATHS[apps.get_model("programme", "Attendance")][-1] == "establishment"
