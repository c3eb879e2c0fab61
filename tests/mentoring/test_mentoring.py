from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentoring import services
from mentoring.demo import APPENDIX_2
from mentoring.models import HoldingEnd, MentorContact, MentoringSettings, PeerRole, RoleHolding, SupervisionSession
from mentoring.selectors import mentor_workload
from residents import services as resident_services
from tests.editing import opened
from tests.mentoring.factories import (
    MentorContactFactory,
    MentoringSettingsFactory,
    PeerRoleFactory,
    RoleHoldingFactory,
    SupervisionSessionFactory,
)
from tests.residents.factories import ResidentFactory

TODAY = timezone.localdate()
CORE_DAY = {"weekday_core_start": "08:00", "weekday_core_end": "17:30", "weekend_core_start": "09:00",
            "weekend_core_end": "16:30"}  # fmt: skip
SETTINGS = {"supervision_interval_days": "7", "quiet_days": "14", "overload_contacts_per_week": "25",
            "overload_out_of_hours_percent": "30", **CORE_DAY}  # fmt: skip


def _contacts(mentor, count, *, days_ago=0, out_of_hours=0):
    at = timezone.make_aware(datetime.combine(TODAY - timedelta(days=days_ago), time(10)))
    MentorContact.objects.bulk_create(
        MentorContact(
            mentor=mentor, occurred_at=at, contact_type="welcome", setting="houseblock", minutes=10,
            out_of_hours=n < out_of_hours,
        )
        for n in range(count)
    )  # fmt: skip


def _supervised(mentor, days_ago):
    held = TODAY - timedelta(days=days_ago)
    SupervisionSessionFactory(mentor=mentor, held_on=held, next_due=held + timedelta(7))


def _load(manager, wing):
    [load] = mentor_workload(wing, manager, TODAY)
    return load


def test_leaving_the_wing_ends_every_role_held(holding, staff):
    resident = holding.resident
    resident_services.resident_depart(resident=resident, departed_on=TODAY, reason="released", by=staff)
    holding.refresh_from_db()
    assert (holding.ended_on, holding.end_reason, holding.end_note) == (TODAY, HoldingEnd.LEFT_WING, "Released")


def test_a_role_from_another_establishment_cannot_be_started(resident, other_prison):
    role = PeerRoleFactory(establishment=other_prison, title="Listener", induction=True, single_issue=True)
    with pytest.raises(ValidationError):
        services.role_holding_start(resident=resident, role=role, started_on=TODAY)


def test_a_role_is_held_once_at_a_time(holding):
    with pytest.raises(ValidationError):
        services.role_holding_start(resident=holding.resident, role=holding.role, started_on=TODAY)


@pytest.mark.parametrize(("contacts", "overloaded"), [(25, False), (26, True)])
def test_overload_starts_above_the_wings_weekly_number(manager, holding, hamlet_wing, contacts, overloaded):
    _contacts(holding.resident, contacts)
    _supervised(holding.resident, 0)
    assert _load(manager, hamlet_wing).overloaded is overloaded


@pytest.mark.parametrize(("out_of_hours", "overloaded"), [(3, False), (4, True)])
def test_overload_starts_above_the_out_of_hours_share(manager, holding, hamlet_wing, out_of_hours, overloaded):
    _contacts(holding.resident, 10, out_of_hours=out_of_hours)  # 30% is allowed, 40% is not
    assert _load(manager, hamlet_wing).overloaded is overloaded


@pytest.mark.parametrize(("days_ago", "overdue"), [(7, False), (8, True)])
def test_supervision_is_overdue_after_the_agreed_interval(manager, holding, hamlet_wing, days_ago, overdue):
    _supervised(holding.resident, days_ago)
    assert _load(manager, hamlet_wing).supervision_overdue is overdue


@pytest.mark.parametrize(("started_days_ago", "overdue"), [(14, False), (15, True)])
def test_before_any_session_supervision_is_due_the_wings_interval_after_the_role_began(
    manager, holding, hamlet_wing, started_days_ago, overdue
):
    MentoringSettingsFactory(wing=hamlet_wing, supervision_interval_days=14)
    RoleHolding.objects.filter(pk=holding.pk).update(started_on=TODAY - timedelta(days=started_days_ago))
    _contacts(holding.resident, 1)
    assert _load(manager, hamlet_wing).supervision_overdue is overdue


def test_the_recorded_next_session_date_decides_when_supervision_is_overdue(manager, holding, hamlet_wing):
    SupervisionSessionFactory(
        mentor=holding.resident, held_on=TODAY - timedelta(days=10), next_due=TODAY + timedelta(days=11)
    )
    assert not _load(manager, hamlet_wing).supervision_overdue


def test_a_new_mentor_is_neither_quiet_nor_overdue_nor_overloaded_on_day_one(manager, holding, hamlet_wing):
    RoleHolding.objects.filter(pk=holding.pk).update(started_on=TODAY)
    _contacts(holding.resident, 1, out_of_hours=1)  # one out-of-hours contact is 100%, but only one
    load = _load(manager, hamlet_wing)
    assert not load.quiet
    assert not load.supervision_overdue
    assert not load.overloaded


@pytest.mark.parametrize(("days_ago", "quiet"), [(13, False), (14, True)])
def test_a_mentor_is_quiet_after_fourteen_days_without_a_contact(manager, holding, hamlet_wing, days_ago, quiet):
    RoleHolding.objects.filter(pk=holding.pk).update(started_on=TODAY - timedelta(days=60))
    _contacts(holding.resident, 1, days_ago=days_ago)
    load = _load(manager, hamlet_wing)
    assert load.quiet is quiet
    assert load.quiet_for == days_ago


def test_a_former_mentor_is_not_on_the_workload_page(manager, holding, hamlet_wing):
    services.role_holding_end(holding=holding, ended_on=TODAY, reason=HoldingEnd.STEPPED_DOWN)
    assert mentor_workload(hamlet_wing, manager, TODAY) == []


def test_the_workload_page_costs_the_same_for_many_mentors(client, manager, holding, hamlet_wing,
                                                           django_assert_max_num_queries):  # fmt: skip
    client.force_login(manager)
    _contacts(holding.resident, 5)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("mentoring:workload"))
    for _ in range(10):
        mentor = ResidentFactory(wing=hamlet_wing)
        RoleHoldingFactory(resident=mentor, role=holding.role, started_on=TODAY)
        _contacts(mentor, 5)
        _supervised(mentor, 2)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("mentoring:workload"))
    assert response.content.decode().count("mentoring/mentors/") == 11


def test_the_mentor_page_costs_the_same_however_long_the_history(client, staff, holding,
                                                                 django_assert_max_num_queries):  # fmt: skip
    client.force_login(staff)
    url = reverse("mentoring:mentor", args=[holding.resident_id])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    _contacts(holding.resident, 60)
    for week in range(8):
        _supervised(holding.resident, week * 7)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_contact_is_logged_from_the_mentor_page(client, staff, holding):
    client.force_login(staff)
    now = timezone.localtime()
    response = client.post(
        reverse("mentoring:mentor", args=[holding.resident_id]),
        {
            "contact_type": "welcome", "occurred_on_0": now.day, "occurred_on_1": now.month,
            "occurred_on_2": now.year, "time_of_day": "00:01", "setting": "houseblock", "minutes": "15",
            "out_of_hours": "yes",
        },
    )  # fmt: skip
    assert response.status_code == 302
    contact = MentorContact.objects.get()
    assert (contact.recorded_by, contact.out_of_hours, contact.minutes) == (staff, True, 15)


text = st.one_of(
    st.text(max_size=20), st.sampled_from(["", "0", "-5", "601", "15", "99999999999999999999", "<script>"])
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.fixed_dictionaries({
    "contact_type": st.sampled_from(["welcome", "nonsense", ""]),
    "occurred_on_0": text, "occurred_on_1": text, "occurred_on_2": text,
    "time_of_day": text, "setting": st.sampled_from(["houseblock", "moon", ""]),
    "minutes": text, "out_of_hours": st.sampled_from(["yes", "no", "maybe", ""]), "notes": text,
}))  # fmt: skip
def test_the_contact_form_never_breaks_and_saves_only_valid_contacts(client, staff, holding, data):
    client.force_login(staff)
    response = client.post(reverse("mentoring:mentor", args=[holding.resident_id]), data)
    assert response.status_code in (200, 302)
    for contact in MentorContact.objects.all():
        contact.full_clean()
        assert contact.occurred_at <= timezone.now()
    MentorContact.objects.all().delete()


def test_supervision_is_recorded_with_the_next_date(client, staff, holding):
    client.force_login(staff)
    response = client.post(
        reverse("mentoring:supervision_add", args=[holding.resident_id]),
        {
            "held_on_0": TODAY.day, "held_on_1": TODAY.month, "held_on_2": TODAY.year, "kind": "one_to_one",
            "enough_down_time": "no", "out_of_hours_demands": "yes",
            "next_due_0": TODAY.day, "next_due_1": TODAY.month, "next_due_2": TODAY.year,
        },
    )  # fmt: skip
    assert "must be after this one" in " ".join(response.context["form"].errors["next_due"])
    assert not SupervisionSession.objects.exists()


@pytest.mark.django_db
def test_the_demo_loads_the_sixteen_roles_of_appendix_2(monkeypatch):
    monkeypatch.setenv("HAMLET_DEMO", "1")
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    roles = PeerRole.objects.filter(establishment__nomis_code="DHI")
    assert roles.count() == len(APPENDIX_2) == 16
    smt = roles.get(title="SMT Communications Officer")
    assert smt.pay_display == "Unpaid (part of Purple band role)"
    assert roles.get(title="House Rep").get_representation_display() == "Yes- WDF"
    assert roles.get(title="Peer mentors").get_representation_display() == "Most WDFs, some PC"


@pytest.mark.django_db
def test_the_demo_flags_the_overloaded_and_overdue_mentors_and_no_one_else(monkeypatch, django_user_model):
    from hamlet.models import Wing

    monkeypatch.setenv("HAMLET_DEMO", "1")
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    manager = django_user_model.objects.get(username="manager.dhi")
    loads = mentor_workload(Wing.objects.get(name="The Hamlet"), manager, TODAY)
    assert len(loads) == 6
    assert {load.mentor.pseudonym for load in loads if load.overloaded} == {"Rowan"}
    assert {load.mentor.pseudonym for load in loads if load.supervision_overdue} == {"Tamsin"}
    assert not any(load.quiet for load in loads)


def test_a_limited_access_mentee_is_not_named_on_the_mentor_page(client, staff, manager, holding, hamlet_wing):
    hidden = ResidentFactory(wing=hamlet_wing, pseudonym="Hidden Mentee", limited_access=True)
    hidden.permitted_staff.set([manager])
    MentorContactFactory(mentor=holding.resident, mentee=hidden, minutes=5)
    client.force_login(staff)
    assert "Hidden Mentee" not in client.get(reverse("mentoring:mentor", args=[holding.resident_id])).content.decode()
    client.force_login(manager)
    assert "Hidden Mentee" in client.get(reverse("mentoring:mentor", args=[holding.resident_id])).content.decode()


def test_the_role_catalogue_does_not_grow_its_queries_with_roles(
    client, staff, hamlet_wing, peer_mentor_role, django_assert_max_num_queries
):
    client.force_login(staff)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("mentoring:index"))
    for n in range(15):
        PeerRoleFactory(establishment=peer_mentor_role.establishment, title=f"Role {n}", pay="paid", single_issue=True)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("mentoring:index"))
    assert "Role 14" in response.content.decode()


def test_the_wing_sets_its_own_limits(client, manager, hamlet_wing):
    client.force_login(manager)
    data = {"supervision_interval_days": "14", "quiet_days": "10", "overload_contacts_per_week": "30",
            "overload_out_of_hours_percent": "150", **CORE_DAY}  # fmt: skip
    response = client.post(reverse("mentoring:settings"), data)
    assert "overload_out_of_hours_percent" in response.context["form"].errors
    url = reverse("mentoring:settings")
    client.post(url, {**data, "overload_out_of_hours_percent": "25", **opened(client, url)})
    rules = MentoringSettings.objects.get(wing=hamlet_wing)
    assert (rules.supervision_interval_days, rules.overload_out_of_hours_percent) == (14, 25)


@pytest.mark.parametrize(("field", "value"), [("quiet_days", "1000000"), ("quiet_days", "0"),
                                              ("overload_contacts_per_week", "0")])  # fmt: skip
def test_settings_outside_sensible_limits_are_refused(client, manager, hamlet_wing, field, value):
    client.force_login(manager)
    response = client.post(reverse("mentoring:settings"), {**SETTINGS, field: value})
    assert field in response.context["form"].errors
    assert client.get(reverse("mentoring:workload")).status_code == 200


def test_a_role_cannot_start_in_the_future_or_before_arrival(resident, peer_mentor_role):
    with pytest.raises(ValidationError, match="future"):
        services.role_holding_start(resident=resident, role=peer_mentor_role, started_on=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="arrived"):
        services.role_holding_start(
            resident=resident, role=peer_mentor_role, started_on=resident.arrived_on - timedelta(days=1)
        )


def test_a_year_like_0001_is_not_a_real_date(client, staff, holding):
    client.force_login(staff)
    response = client.post(
        reverse("mentoring:supervision_add", args=[holding.resident_id]),
        {"held_on_0": "1", "held_on_1": "1", "held_on_2": "0001", "kind": "group", "enough_down_time": "yes",
         "out_of_hours_demands": "no", "next_due_0": "8", "next_due_1": "1", "next_due_2": "0001"},
    )  # fmt: skip
    assert "must be a real date" in " ".join(response.context["form"].errors["held_on"])


def test_staff_find_the_mentors_from_the_mentoring_page(client, staff, holding, hamlet_wing):
    client.force_login(staff)
    content = client.get(reverse("mentoring:index")).content.decode()
    assert f'href="/mentoring/mentors/{holding.resident_id}/"' in content


def test_nothing_is_logged_for_a_mentor_after_they_left(holding, staff):
    resident_services.resident_depart(
        resident=holding.resident, departed_on=TODAY - timedelta(days=2), reason="released", by=staff
    )
    contact = MentorContact(
        mentor=holding.resident, occurred_at=timezone.now(), contact_type="welcome", setting="houseblock", minutes=5
    )
    with pytest.raises(ValidationError, match="left the wing"):
        services.contact_log(contact=contact)


def test_the_contact_forms_errors_come_in_the_order_of_the_form(client, staff, holding):
    """The error summary lists the problems as the form asks the questions: the date and time
    (declared apart from the rest) before where it happened, and the minutes (a model check,
    run after every field's) before 'Out of hours?'."""
    client.force_login(staff)
    response = client.post(
        reverse("mentoring:mentor", args=[holding.resident_id]), {"time_of_day": "25:99", "minutes": "0"}
    )
    errors = list(response.context["form"].errors)
    assert errors == ["contact_type", "occurred_on", "time_of_day", "setting", "minutes", "out_of_hours"]
