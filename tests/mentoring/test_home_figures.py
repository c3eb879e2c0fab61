"""Mentoring's figures and succession panel on the wing dashboard, checked against hand-built
records with the numbers written out: records just outside the week, month or period, at
another wing, of roles that ended and of residents who left must not be counted.

Today is Wednesday 18 November 2026 (Greenwich time, so here and UTC agree but for the test
about summer time): this week is 16 to 18 November, this month 1 to 18 November, and the
period (as the evaluation would offer it) 1 September to 18 November.
"""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.template.loader import render_to_string

from hamlet.contributions import Span, this_month, this_week
from mentoring.contribution import home_figures, succession_panel
from mentoring.models import MentoringSettings
from mentoring.selectors import mentor_workload
from tests.hamlet.factories import WingFactory
from tests.mentoring.factories import (
    CandidateFactory,
    MentorContactFactory,
    PeerRoleFactory,
    RecruitmentRoundFactory,
    RoleHoldingFactory,
    SupervisionSessionFactory,
    TrainingRecordFactory,
)
from tests.residents.factories import ResidentFactory

TODAY = dt.date(2026, 11, 18)
WEEK, MONTH = this_week(TODAY), this_month(TODAY)
PERIOD = Span("period", "This period (Autumn 2026)", dt.date(2026, 9, 1), TODAY)
LONG_AGO = dt.date(2025, 1, 6)
D = dt.date


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A time on ``day``; in November, London keeps Greenwich time."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


@pytest.fixture
def wing(hamlet_wing, other_wing, peer_mentor_role, manager, staff):
    """The Hamlet's mentors and their records, and another prison's, as the docstrings of each
    block say. The Hamlet agreed supervision every 8 days; the other wing keeps the default 7."""
    MentoringSettings.objects.create(wing=hamlet_wing, supervision_interval_days=8)
    listener = PeerRoleFactory(establishment=hamlet_wing.establishment, title="Listener")
    people = {}
    for name in ["Ada", "Bea", "Cat", "Dot", "Eve", "Fay", "Gil", "Hal", "Ivy"]:
        people[name] = ResidentFactory(wing=hamlet_wing, pseudonym=name, arrived_on=LONG_AGO)
    # Fay's record is limited to named staff (the manager): counted, but named to no one else.
    people["Fay"].limited_access = True
    people["Fay"].save()
    people["Fay"].permitted_staff.add(manager)
    for name, since in [("Ada", D(2026, 6, 1)), ("Bea", D(2026, 6, 1)), ("Cat", D(2026, 6, 1)), ("Dot", D(2026, 6, 1)),
                        ("Eve", D(2026, 11, 10)), ("Fay", D(2026, 11, 9))]:  # fmt: skip
        RoleHoldingFactory(resident=people[name], role=peer_mentor_role, started_on=since)
    RoleHoldingFactory(resident=people["Ada"], role=listener, started_on=D(2026, 6, 1))  # a second role: one person
    RoleHoldingFactory(
        resident=people["Gil"], role=listener, started_on=D(2026, 6, 1)
    )  # not a CFO role: no supervision
    # Hal's role ended, and Ivy left the wing yesterday: neither holds a role now.
    RoleHoldingFactory(resident=people["Hal"], role=peer_mentor_role, started_on=D(2026, 1, 5),
                       ended_on=D(2026, 11, 1), end_reason="stepped_down")  # fmt: skip
    RoleHoldingFactory(resident=people["Ivy"], role=peer_mentor_role, started_on=D(2026, 1, 5),
                       ended_on=D(2026, 11, 17), end_reason="left_wing")  # fmt: skip
    people["Ivy"].departed_on, people["Ivy"].departure_reason = D(2026, 11, 17), "released"
    people["Ivy"].save()

    other_role = PeerRoleFactory(establishment=other_wing.establishment, title="Peer mentors", is_cfo_role=True)
    for name in ["Jo", "Kit"]:
        people[name] = ResidentFactory(wing=other_wing, pseudonym=name, arrived_on=LONG_AGO)
        RoleHoldingFactory(resident=people[name], role=other_role, started_on=D(2026, 6, 1))

    # Contacts: (who, when, out of hours).
    for name, when, out_of_hours in [
        ("Ada", at(D(2026, 11, 16)), False),
        ("Ada", at(D(2026, 11, 18), 21), True),
        ("Bea", at(D(2026, 11, 17), 7), True),
        ("Ivy", at(D(2026, 11, 16), 11), False),  # before she left: work done on the wing
        ("Ada", at(D(2026, 11, 15), 23, 30), False),  # Sunday night: last week, this month
        ("Ada", at(D(2026, 10, 31), 22), True),  # last month, this period
        ("Ada", at(D(2026, 8, 31), 12), False),  # the day before the period
        ("Ada", at(D(2026, 11, 19), 0, 30), False),  # tomorrow
        ("Jo", at(D(2026, 11, 18)), False),  # another wing
    ]:
        MentorContactFactory(mentor=people[name], occurred_at=when, out_of_hours=out_of_hours)

    # Supervision: (who, held on, next due).
    for name, held_on, next_due in [
        ("Ada", D(2026, 11, 3), D(2026, 12, 30)),  # an earlier session: its next date no longer counts
        ("Ada", D(2026, 11, 10), D(2026, 11, 17)),  # the latest: due yesterday, so overdue
        ("Bea", D(2026, 8, 31), D(2026, 9, 7)),  # before the period
        ("Bea", D(2026, 11, 18), D(2026, 11, 25)),  # due a week today: due within 7 days
        ("Cat", D(2026, 11, 16), D(2026, 11, 26)),  # due in 8 days: not yet
        ("Dot", D(2026, 11, 4), D(2026, 11, 18)),  # due today: due, not overdue
        ("Hal", D(2026, 10, 1), D(2026, 10, 8)),  # role ended: held in the period, but not due
        ("Kit", D(2026, 11, 17), D(2026, 11, 24)),  # another wing
    ]:
        SupervisionSessionFactory(mentor=people[name], held_on=held_on, next_due=next_due, supervisor=staff)
    # No session yet: Eve began on 10 November, due 8 days on, today; Fay on the 9th, due yesterday.
    # Jo (another wing, every 7 days) began in June: overdue there.

    # Recruitment: two open rounds and a closed one on the Hamlet, one open on the other wing.
    open_round = RecruitmentRoundFactory(wing=hamlet_wing, role=peer_mentor_role, opened_on=D(2026, 11, 2))
    CandidateFactory(round=open_round, resident=ResidentFactory(wing=hamlet_wing, pseudonym="Lou"))  # waiting
    left = ResidentFactory(wing=hamlet_wing, pseudonym="Mo", departed_on=D(2026, 11, 12), departure_reason="released")
    CandidateFactory(round=open_round, resident=left)  # left the wing: no longer waiting
    reserve = ResidentFactory(wing=hamlet_wing, pseudonym="Nell")
    CandidateFactory(round=open_round, resident=reserve, decision="reserve", decided_on=D(2026, 11, 12))
    CandidateFactory(round=open_round, resident=people["Eve"], decision="appointed", decided_on=D(2026, 11, 10))
    closed = RecruitmentRoundFactory(
        wing=hamlet_wing, role=peer_mentor_role, opened_on=D(2026, 9, 15), closed_on=D(2026, 10, 20)
    )
    CandidateFactory(round=closed, resident=ResidentFactory(wing=hamlet_wing, pseudonym="Ola"))  # closed round
    # A reserve from the closed round who has since left, and one who now holds the role: neither is a reserve.
    gone = ResidentFactory(wing=hamlet_wing, pseudonym="Pip", departed_on=D(2026, 11, 1), departure_reason="released")
    CandidateFactory(round=closed, resident=gone, decision="reserve", decided_on=D(2026, 10, 1))
    CandidateFactory(round=closed, resident=people["Fay"], decision="reserve", decided_on=D(2026, 10, 1))
    RecruitmentRoundFactory(wing=hamlet_wing, role=listener, opened_on=D(2026, 11, 11))  # no candidates yet
    other_round = RecruitmentRoundFactory(wing=other_wing, role=other_role, opened_on=D(2026, 11, 1))
    CandidateFactory(round=other_round, resident=ResidentFactory(wing=other_wing, pseudonym="Quin"))

    # Training: (who, status, hours, completed on).
    for name, status, hours, completed_on in [
        ("Ada", "in_progress", "0", None),
        ("Bea", "in_progress", "0", None),
        ("Ivy", "in_progress", "0", None),  # left the wing
        ("Ada", "achieved", "12.5", D(2026, 11, 17)),
        ("Bea", "achieved", "20", D(2026, 11, 2)),
        ("Cat", "achieved", "30", D(2026, 10, 15)),
        ("Dot", "achieved", "6", D(2026, 8, 30)),  # before the period
        ("Bea", "withdrawn", "10", D(2026, 11, 17)),  # not achieved
        ("Jo", "in_progress", "0", None),  # another wing
        ("Kit", "achieved", "4", D(2026, 11, 16)),  # another wing
    ]:
        TrainingRecordFactory(
            resident=people[name], status=status, learning_hours=Decimal(hours), completed_on=completed_on
        )
    return hamlet_wing


def figures(wings, user, span=WEEK) -> dict[str, dict[str, int]]:
    return {
        f"{figure.group}: {figure.label}": {wing.name: figure.value_for(wing.pk) for wing in wings}
        for figure in home_figures(wings=wings, user=user, today=TODAY, span=span)
    }


def test_each_figure_counts_the_wings_records_in_the_week(wing, other_wing, manager):
    assert figures([wing, other_wing], manager) == {
        "Peer mentors: Residents in a peer role": {"The Hamlet": 7, "Beacon Wing": 2},
        "Peer mentors: Mentors who logged a contact": {"The Hamlet": 3, "Beacon Wing": 1},
        "Peer mentors: Mentor contacts": {"The Hamlet": 4, "Beacon Wing": 1},
        "Peer mentors: Contacts out of hours": {"The Hamlet": 2, "Beacon Wing": 0},
        "Supervision: Supervision sessions held": {"The Hamlet": 2, "Beacon Wing": 1},
        "Supervision: Mentors overdue for supervision": {"The Hamlet": 2, "Beacon Wing": 1},
        "Supervision: Mentors due supervision within 7 days": {"The Hamlet": 3, "Beacon Wing": 1},
        "Recruitment: Rounds open": {"The Hamlet": 2, "Beacon Wing": 1},
        "Recruitment: Candidates awaiting a decision": {"The Hamlet": 1, "Beacon Wing": 1},
        "Training: Training in progress": {"The Hamlet": 2, "Beacon Wing": 1},
        "Training: Learning hours achieved": {"The Hamlet": 13, "Beacon Wing": 4},  # 12.5 rounds up
    }


# What the span changes: the rest are about today, whatever the span.
SPANNED = [
    "Peer mentors: Mentors who logged a contact",
    "Peer mentors: Mentor contacts",
    "Peer mentors: Contacts out of hours",
    "Supervision: Supervision sessions held",
    "Training: Learning hours achieved",
]


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        (WEEK, [3, 4, 2, 2, 13]),
        (MONTH, [3, 5, 2, 5, 33]),  # + Sunday's contact; + three sessions; + 20 hours
        (PERIOD, [3, 6, 3, 6, 63]),  # + October's contact, out of hours; + Hal's session; + 30 hours
    ],
    ids=["week", "month", "period"],
)
def test_the_span_chosen_changes_what_is_counted_within_it_and_nothing_else(wing, manager, span, expected):
    counted = {name: values["The Hamlet"] for name, values in figures([wing], manager, span).items()}
    assert [counted[name] for name in SPANNED] == expected
    assert {name: value for name, value in counted.items() if name not in SPANNED} == {
        "Peer mentors: Residents in a peer role": 7,
        "Supervision: Mentors overdue for supervision": 2,
        "Supervision: Mentors due supervision within 7 days": 3,
        "Recruitment: Rounds open": 2,
        "Recruitment: Candidates awaiting a decision": 1,
        "Training: Training in progress": 2,
    }


def test_out_of_hours_is_a_rate_of_the_contacts_and_nothing_claims_to_be_part_of_another(wing, manager):
    found = {f.label: f for f in home_figures(wings=[wing], user=manager, today=TODAY, span=WEEK)}
    share = found["Contacts out of hours"]
    assert (share.value_for(wing.pk), share.of_for(wing.pk), share.of_label) == (2, 4, "contacts")
    assert [f.label for f in found.values() if f.is_rate] == ["Contacts out of hours"]
    # Overdue, due and the rest are not parts that add up to a total shown beside them.
    assert all(f.part_of == "" and f.adds_up for f in found.values())


def test_overdue_and_due_are_the_workload_pages_own_flags(wing, manager):
    """The dashboard counts in the database what the workload page works out mentor by mentor."""
    loads = mentor_workload(wing, manager, TODAY)
    assert sorted(load.mentor.pseudonym for load in loads if load.supervision_overdue) == ["Ada", "Fay"]
    assert sorted(load.mentor.pseudonym for load in loads) == ["Ada", "Bea", "Cat", "Dot", "Eve", "Fay"]


def test_a_longer_agreed_interval_moves_a_new_mentor_from_overdue_to_due(wing, manager):
    MentoringSettings.objects.filter(wing=wing).update(supervision_interval_days=9)  # Fay due today, Eve tomorrow
    counted = figures([wing], manager)
    assert counted["Supervision: Mentors overdue for supervision"] == {"The Hamlet": 1}  # Ada
    assert counted["Supervision: Mentors due supervision within 7 days"] == {"The Hamlet": 4}  # Bea, Dot, Eve, Fay
    assert [load.mentor.pseudonym for load in mentor_workload(wing, manager, TODAY) if load.supervision_overdue] == [
        "Ada"
    ]


def test_each_figure_links_to_its_list_only_for_those_who_may_open_it(wing, manager, evaluator):
    links = {f.label: f.url for f in home_figures(wings=[wing], user=manager, today=TODAY, span=WEEK)}
    assert links["Residents in a peer role"] == "/mentoring/"
    assert links["Mentor contacts"] == links["Mentors overdue for supervision"] == "/mentoring/workload/"
    assert links["Rounds open"] == links["Candidates awaiting a decision"] == "/mentoring/recruitment/"
    assert links["Training in progress"] == "/mentoring/workload/"
    assert all(link for link in links.values())
    assert {f.url for f in home_figures(wings=[wing], user=evaluator, today=TODAY, span=WEEK)} == {""}


def test_the_figures_cost_the_same_queries_for_one_wing_or_several(
    wing, other_wing, manager, django_assert_num_queries
):
    more = [WingFactory(establishment=other_wing.establishment, name=f"Wing {n}") for n in range(3)]
    home_figures(wings=[wing], user=manager, today=TODAY, span=WEEK)  # the user's permissions, once
    for wings in ([wing], [wing, other_wing, *more]):
        # Holders, contacts, the wings' intervals, supervision due, sessions held, rounds, training.
        with django_assert_num_queries(7):
            home_figures(wings=wings, user=manager, today=TODAY, span=WEEK)


def test_the_week_of_contacts_begins_and_ends_at_midnight_here_not_in_utc(hamlet_wing, peer_mentor_role, staff):
    summer = dt.date(2026, 7, 15)  # a Wednesday in British Summer Time: the week began on Monday 13th
    mentor = ResidentFactory(wing=hamlet_wing, arrived_on=summer - dt.timedelta(days=400))
    RoleHoldingFactory(resident=mentor, role=peer_mentor_role, started_on=summer - dt.timedelta(days=300))
    for when in [
        dt.datetime(2026, 7, 12, 22, 30, tzinfo=dt.UTC),  # 23:30 on Sunday here: last week
        dt.datetime(2026, 7, 12, 23, 30, tzinfo=dt.UTC),  # 00:30 on Monday here: this week
        dt.datetime(2026, 7, 12, 23, 45, tzinfo=dt.UTC),  # 00:45 on Monday here: this week
        dt.datetime(2026, 7, 15, 22, 59, tzinfo=dt.UTC),  # 23:59 today here
        dt.datetime(2026, 7, 15, 23, 30, tzinfo=dt.UTC),  # 00:30 tomorrow here
    ]:
        MentorContactFactory(mentor=mentor, occurred_at=when)
    found = {f.label: f for f in home_figures(wings=[hamlet_wing], user=staff, today=summer, span=this_week(summer))}
    assert found["Mentor contacts"].value_for(hamlet_wing.pk) == 3  # counting in UTC would make it 2


# Succession.


@pytest.fixture
def roles(wing, peer_mentor_role):
    """Peer mentors aim for 8 places; an Ambassador role for 2, with no one; a retired CFO role
    and the Listener (not a CFO role) are left out."""
    peer_mentor_role.places = 8
    peer_mentor_role.save()
    establishment = wing.establishment
    PeerRoleFactory(establishment=establishment, title="Ambassador", is_cfo_role=True, places=2, order=1)
    PeerRoleFactory(establishment=establishment, title="Wing rep", is_cfo_role=True, retired=True, places=1)
    return wing


def rows_of(panel) -> list[tuple]:
    return [
        (
            row.role.title,
            row.places,
            holders,
            reserves,
            row.last_round,
            row.open_rounds,
            row.last_appointed,
            row.uncovered,
        )
        for row, holders, reserves in panel.context["rows"]
    ]


def test_succession_shows_each_cfo_role_with_places_holders_reserves_and_last_recruitment(roles, staff):
    panel = succession_panel(wing=roles, user=staff)
    assert (panel.title, panel.template, panel.url) == (
        "Succession",
        "mentoring/_home_succession.html",
        "/mentoring/recruitment/",
    )
    # Peer mentors: Ada to Fay hold it (not Hal, whose role ended, nor Ivy, who left); Nell is in
    # reserve (not Pip, who left, nor Fay, who holds it now); last round opened 2 November, and
    # Eve appointed on the 10th. The Ambassador role has two places, no one in it and no reserve.
    assert rows_of(panel) == [
        ("Peer mentors", 8, "6", "1", D(2026, 11, 2), 1, D(2026, 11, 10), False),
        ("Ambassador", 2, "0", "0", None, 0, None, True),
    ]
    shown = panel.context["rows"][0][0]
    assert [person.pseudonym for person in shown.holders] == ["Ada", "Bea", "Cat", "Dot", "Eve"]  # not Fay: limited
    assert [person.pseudonym for person in shown.reserves] == ["Nell"]
    html = render_to_string(panel.template, {"data": panel.context})
    assert "Short, no reserves" in html
    assert "Short, reserves ready" in html
    assert "Ada, Bea, Cat, Dot, Eve" in html
    assert "Fay" not in html
    entry = LogEntry.objects.get(additional_data__how="dashboard succession")
    assert sorted(entry.additional_data["residents"]) == sorted(p.pk for p in [*shown.holders, *shown.reserves])


def test_an_evaluator_sees_succession_as_counts_with_no_names(roles, evaluator):
    panel = succession_panel(wing=roles, user=evaluator)
    assert rows_of(panel)[0][2:4] == ("6", "fewer than 5")
    html = render_to_string(panel.template, {"data": panel.context})
    assert "Ada" not in html
    assert "Nell" not in html
    assert panel.url == ""  # the recruitment list is not theirs to open
    assert not LogEntry.objects.filter(additional_data__how="dashboard succession").exists()


def test_a_role_with_places_filled_is_not_short_and_one_without_places_says_so(roles, staff):
    roles.establishment.peer_roles.filter(title="Peer mentors").update(places=6)
    roles.establishment.peer_roles.filter(title="Ambassador").update(places=None)
    html = render_to_string(
        "mentoring/_home_succession.html", {"data": succession_panel(wing=roles, user=staff).context}
    )
    assert "Places filled" in html
    assert "Set the places to plan" in html
    assert "Short" not in html


def test_succession_costs_the_same_queries_however_many_roles_and_people(
    roles, staff, django_assert_max_num_queries, django_assert_num_queries
):
    succession_panel(wing=roles, user=staff)  # the user's permissions, once
    # Roles with their rounds, holders, reserves, whom the reader may name, the access entry.
    with django_assert_num_queries(5):
        succession_panel(wing=roles, user=staff)
    for n in range(4):
        role = PeerRoleFactory(establishment=roles.establishment, title=f"Role {n}", is_cfo_role=True, places=1)
        RoleHoldingFactory(resident=ResidentFactory(wing=roles), role=role)
    with django_assert_num_queries(5):
        succession_panel(wing=roles, user=staff)
