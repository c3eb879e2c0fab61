"""One matrix over every URL: who gets what.

Each entry names the request and the expected status for anonymous visitors, each role
at Drake Hall, and a CFO officer at another prison. Object URLs point at Drake Hall
records, so the other prison's officer must get 404 — never 403, which would confirm
the record exists. A URL added without an entry here fails
``test_every_url_is_in_the_matrix``; later apps extend MATRIX for their own pages.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

USERS = ["anonymous", "staff", "manager", "evaluator", "administrator", "other_staff"]

SIGN_IN = 302  # anonymous visitors are sent to the sign-in page


def _expect(anonymous, staff, manager, evaluator, administrator, other_staff):
    return dict(zip(USERS, [anonymous, staff, manager, evaluator, administrator, other_staff], strict=True))


# name: (method, URL args, POST data, expected statuses). An "@name" arg or value is
# the primary key of that fixture.
MATRIX = {
    # An evaluator has no wing's dashboard: their home is the regional one.
    "hamlet:home": ("get", None, None, _expect(SIGN_IN, 200, 200, 302, 200, 200)),
    "hamlet:healthz": ("get", None, None, _expect(200, 200, 200, 200, 200, 200)),
    # Issue 15: wings side by side, for the evaluation team and custody managers across their sites.
    "hamlet:regional": ("get", None, None, _expect(SIGN_IN, 403, 200, 200, 403, 403)),
    "hamlet:regional_export": ("get", ["csv"], None, _expect(SIGN_IN, 403, 200, 200, 403, 403)),
    # Signed-in users are sent on from the sign-in page to their dashboard.
    "hamlet:sign_in": ("get", None, None, _expect(200, 302, 302, 302, 302, 302)),
    "hamlet:sign_out": ("post", None, {}, _expect(302, 302, 302, 302, 302, 302)),
    "hamlet:password_change": ("get", None, None, _expect(SIGN_IN, 200, 200, 200, 200, 200)),
    "hamlet:password_change_done": ("get", None, None, _expect(SIGN_IN, 200, 200, 200, 200, 200)),
    # With two-factor sign-in off, as in the suite, there is nothing to set up or enter: on to
    # the dashboard. tests/hamlet/test_two_factor.py runs this matrix with it on.
    "hamlet:two_factor_setup": ("get", None, None, _expect(SIGN_IN, 302, 302, 302, 302, 302)),
    "hamlet:two_factor_verify": ("get", None, None, _expect(SIGN_IN, 302, 302, 302, 302, 302)),
    "hamlet:wing_switch": ("post", None, {"wing": "@hamlet_wing"}, _expect(SIGN_IN, 302, 302, 302, 302, 302)),
    "hamlet:wing_detail": ("get", ["@hamlet_wing"], None, _expect(SIGN_IN, 200, 200, 200, 200, 404)),
    "hamlet:wing_edit": ("get", ["@hamlet_wing"], None, _expect(SIGN_IN, 403, 200, 403, 200, 403)),
    "hamlet:wing_history": ("get", ["@hamlet_wing"], None, _expect(SIGN_IN, 403, 200, 403, 200, 403)),
    # Issue 10, item 1: who may see the establishment, and who gave them access.
    "hamlet:establishment_staff": ("get", ["@drake_hall"], None, _expect(SIGN_IN, 403, 200, 403, 200, 403)),
    "residents:list": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "residents:export": ("get", ["csv"], None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    # A search is remembered in the session and the list shown again.
    "residents:search": ("post", None, {"q": "Tamsin"}, _expect(SIGN_IN, 302, 302, 403, 403, 302)),
    "residents:admit": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "residents:import": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    # With no checked file waiting, confirming sends the user back to choose one.
    "residents:import_template": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "residents:import_confirm": ("post", None, {}, _expect(SIGN_IN, 302, 302, 403, 403, 302)),
    "residents:retention": ("get", None, None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "residents:detail": ("get", ["@resident"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "residents:edit": ("get", ["@resident"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "residents:stage": ("get", ["@resident"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "residents:support": ("get", ["@resident"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "residents:depart": ("get", ["@resident"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "residents:non_association": ("get", ["@resident"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "residents:anonymise": ("get", ["@long_gone_resident"], None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "residents:subject_access": ("get", ["@resident"], None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "mentoring:index": ("get", None, None, _expect(SIGN_IN, 200, 200, 200, 200, 200)),
    "mentoring:workload": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "mentoring:mentor": ("get", ["@resident"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    # A contact is corrected or removed by whoever logged it (the officer here) or a custody manager.
    "mentoring:contact_edit": ("get", ["@mentor", "@mentor_contact"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "mentoring:contact_remove": (
        "get",
        ["@mentor", "@mentor_contact"],
        None,
        _expect(SIGN_IN, 200, 200, 403, 403, 404),
    ),
    "mentoring:supervision_add": ("get", ["@mentor"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "mentoring:supervision_edit": (
        "get",
        ["@resident", "@supervision_session"],
        None,
        _expect(SIGN_IN, 200, 200, 403, 403, 404),
    ),
    # Nothing handed back at this session: told so, back to the mentor page.
    "mentoring:hand_back_dealt_with": (
        "post",
        ["@mentor", "@supervision_session"],
        {},
        _expect(SIGN_IN, 302, 302, 403, 403, 404),
    ),
    "mentoring:training_add": ("get", ["@resident"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "mentoring:holding_start": ("get", ["@resident"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "mentoring:holding_end": ("get", ["@resident", "@holding"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "mentoring:settings": ("get", None, None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "mentoring:next_step": ("get", ["@mentor"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "mentoring:training_export": ("get", ["csv"], None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "mentoring:rounds": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "mentoring:round_add": ("get", None, None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "mentoring:round": ("get", ["@recruitment_round"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    # An empty form comes back with its errors (200) to those who may use it.
    "mentoring:candidate_add": ("post", ["@recruitment_round"], {}, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "mentoring:nomination_add": ("post", ["@recruitment_round"], {}, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "mentoring:round_close": ("post", ["@recruitment_round"], {}, _expect(SIGN_IN, 403, 302, 403, 403, 403)),
    "mentoring:interview": (
        "get",
        ["@recruitment_round", "@candidate"],
        None,
        _expect(SIGN_IN, 200, 200, 403, 403, 404),
    ),
    "mentoring:decide": ("get", ["@recruitment_round", "@candidate"], None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "programme:index": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    # The custody manager alone sets how the wing runs a phase.
    "programme:phase_edit": ("get", [1], None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "programme:referrals": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "programme:referral_add": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "programme:referral": ("get", ["@referral"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:referral_move": ("get", ["@referral"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:waiting_list": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "programme:waiting_add": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "programme:waiting_move": ("get", ["@waiting_entry"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:cohort_add": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "programme:cohort": ("get", ["@cohort"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:cohort_enrol": ("post", ["@cohort"], {}, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:cohort_start": ("post", ["@cohort"], {}, _expect(SIGN_IN, 302, 302, 403, 403, 404)),
    "programme:cohort_finish": ("post", ["@cohort"], {}, _expect(SIGN_IN, 302, 302, 403, 403, 404)),
    "programme:sessions_plan": ("get", ["@cohort"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:session_add": ("get", ["@cohort"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:enrolment_end": ("get", ["@enrolment"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:enrolment_move": ("get", ["@enrolment"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:session": ("get", ["@programme_session"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:session_cancel": ("get", ["@programme_session"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:session_reinstate": ("post", ["@programme_session"], {}, _expect(SIGN_IN, 302, 302, 403, 403, 404)),
    "programme:meetings": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "programme:meeting_add": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "programme:meeting": ("get", ["@meeting"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:meeting_edit": ("get", ["@meeting"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:action_add": ("post", ["@meeting"], {}, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:action_review": ("get", ["@meeting_action"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:suggestions": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "programme:suggestion_add": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "programme:suggestion_answer": ("get", ["@suggestion"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:you_said_we_did": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "programme:projects": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "programme:project_add": ("get", None, None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "programme:project": ("get", ["@project"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:project_edit": ("get", ["@project"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "programme:hours_remove": ("get", ["@project_hours"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    # Issue 10: a custody manager, who also sees named records, does not get the record-level extract.
    "evaluation:index": ("get", None, None, _expect(SIGN_IN, 403, 403, 200, 403, 403)),
    "evaluation:extract_export": ("get", ["csv"], None, _expect(SIGN_IN, 403, 403, 200, 403, 403)),
    # Issue 14: CFO staff and evaluators read the instruments; the custody manager sets the
    # periods and rates. Another prison's officer reads their own wing's, never the Hamlet's.
    "evaluation:periods": ("get", None, None, _expect(SIGN_IN, 200, 200, 200, 403, 200)),
    "evaluation:period_add": ("get", None, None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "evaluation:period": ("get", ["@period"], None, _expect(SIGN_IN, 200, 200, 200, 403, 404)),
    "evaluation:period_edit": ("get", ["@period"], None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    # Without the version the page showed, closing is refused on the page, not done.
    "evaluation:period_close": ("post", ["@period"], {}, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "evaluation:period_reopen": ("get", ["@period"], None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "evaluation:grid_rate": ("get", ["@period", 3], None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "evaluation:ladder": ("get", ["@period"], None, _expect(SIGN_IN, 200, 200, 200, 403, 404)),
    "evaluation:rung_rate": ("get", ["@period", "@peer_mentor_role"], None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    # CFO staff run relational mapping with their cohorts, so they record it too.
    "evaluation:mapping_add": ("get", ["@period"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "evaluation:mapping": ("get", ["@mapping"], None, _expect(SIGN_IN, 200, 200, 200, 403, 404)),
    "evaluation:mapping_edit": ("get", ["@mapping"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "evaluation:mapping_compare": ("get", None, None, _expect(SIGN_IN, 200, 200, 200, 403, 200)),
    "evaluation:climate": ("get", None, None, _expect(SIGN_IN, 200, 200, 200, 403, 200)),
    "evaluation:climate_month": ("get", [2025, 11], None, _expect(SIGN_IN, 200, 200, 403, 403, 200)),
    "evaluation:voices": ("get", ["@period"], None, _expect(SIGN_IN, 200, 200, 200, 403, 404)),
    "evaluation:voice_add": ("get", ["@period"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "evaluation:voice_edit": ("get", ["@voice"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "evaluation:voice_remove": ("get", ["@voice"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "evaluation:findings": ("get", None, None, _expect(SIGN_IN, 200, 200, 200, 403, 200)),
    "evaluation:finding_add": ("get", ["@period"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "evaluation:finding": ("get", ["@finding"], None, _expect(SIGN_IN, 200, 200, 200, 403, 404)),
    "evaluation:finding_edit": ("get", ["@finding"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "evaluation:attributes": ("get", ["@period"], None, _expect(SIGN_IN, 200, 200, 200, 403, 404)),
    "evaluation:attributes_edit": ("get", ["@period"], None, _expect(SIGN_IN, 200, 200, 403, 403, 404)),
    "evaluation:staff_team": ("get", None, None, _expect(SIGN_IN, 200, 200, 200, 403, 200)),
    "evaluation:staff_post_add": ("get", None, None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "evaluation:staff_post_edit": ("get", ["@staff_post"], None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "evaluation:staff_month": ("get", [2025, 11], None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "evaluation:delivery_model": ("get", None, None, _expect(SIGN_IN, 200, 200, 200, 403, 200)),
    "evaluation:delivery_note_edit": ("get", ["@peer_mentor_role"], None, _expect(SIGN_IN, 403, 200, 403, 403, 403)),
    "evaluation:grid_compare": ("get", None, None, _expect(SIGN_IN, 200, 200, 200, 403, 200)),
    "evaluation:grid_wings": ("get", None, None, _expect(SIGN_IN, 200, 200, 200, 403, 200)),
    # Issue 15: whoever reads the periods reads the site report of their own wing.
    "evaluation:site_report": ("get", None, None, _expect(SIGN_IN, 200, 200, 200, 403, 200)),
    # The Django admin stands for every admin URL: only administrators get past its sign-in.
    "admin:index": ("get", None, None, _expect(302, 302, 302, 302, 200, 302)),
}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


def test_every_url_is_in_the_matrix():
    urls = {name for name in _named_patterns() if not name.startswith("admin:")}
    assert urls == set(MATRIX) - {"admin:index"}


@pytest.fixture
def as_user(client, request):
    def sign_in(name):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return sign_in


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("name", list(MATRIX))
def test_permission_matrix(name, user, as_user, request, hamlet_wing, other_wing):
    method, args, data, expected = MATRIX[name]

    def value(item):
        return request.getfixturevalue(item[1:]).pk if str(item).startswith("@") else item

    args = [value(arg) for arg in args or []]
    data = {key: value(item) for key, item in (data or {}).items()}
    client = as_user(user)
    response = getattr(client, method)(reverse(name, args=args), data or {})
    assert response.status_code == expected[user], f"{user} {method.upper()} {name}"
    if response.status_code == 302 and expected[user] == SIGN_IN and user == "anonymous":
        assert response.url.startswith(reverse("hamlet:sign_in")) or response.url.startswith("/admin/login/")
