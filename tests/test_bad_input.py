"""Bad input never breaks a form.

``FORMS`` names every form in Hamlet by the URL it posts to, with the page that shows it and
the user who may use it. ``test_every_form_in_hamlet_is_listed`` opens every page of the
permission matrix as each user allowed in and fails if a ``<form method="post">`` posts
somewhere not in ``FORMS``, so a new form cannot be forgotten. The Django admin's own forms are
left to Django (only administrators reach them).

Each form is read off its page (``html.parser``: inputs, selects, radios, checkboxes, text
areas, and GOV.UK date inputs' three boxes as one unit). Its plain answers are what the page
already shows, the first real option of every choice, today in every empty date, and a few
answers per form in ``FORMS`` (``test_each_form_saves_its_plain_answers`` proves these save, so
the generated input below starts where a form is accepted). Hypothesis then changes up to three
of the answers at a time to something hostile: empty, missing, 10,000 characters, Unicode with
right-to-left marks, emoji and control characters, ``<script>`` and HTML, SQL, huge and
non-numbers, impossible dates, or another of the form's own options. For each submission:

- no 500 (the test client raises any unhandled exception, so a crash fails the example);
- a form shown again (any non-redirect) changed no row in any table except sessions, axes'
  sign-in attempts and the audit log;
- after a redirect every row created or changed passes ``full_clean()``, the redirect stays on
  Hamlet and names no resident, and the page it leads to is fine;
- ``<script>alert(1)</script>`` never appears unescaped: not in the response, not on the page
  redirected to, and, when it was saved, not on any page that shows residents or mentoring.

NUL characters are generated too (in the fixed list and in random text). Django's text fields
refuse them (``ProhibitNullCharactersValidator``) and choice, number and date fields find no
match, so they must come back as form errors like any other bad input; PostgreSQL could not
store them, so nothing may get as far as the database.

The importer is driven the same way with a generated file (rows of plain and hostile cells,
odd file names); whenever a check passes, the import is confirmed and its residents checked.

Every example runs in a transaction that is rolled back, so examples never see each other's
rows.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from evaluation.models import ClimateIndicator
from residents.resources import COLUMNS
from tests.evaluation.factories import AssessmentPeriodFactory
from tests.mentoring.factories import PeerRoleFactory, QualificationFactory
from tests.programme.factories import CohortFactory, ReferralFactory
from tests.residents.factories import ResidentFactory
from tests.test_permissions import MATRIX

SCRIPT = "<script>alert(1)</script>"
SQL = "'; DROP TABLE residents_resident; --"
PASSWORD = "correct horse battery staple 42"
NEW_PASSWORD = "a brand new passphrase for Hamlet 7"

NASTY = [
    "",
    " ",
    "x" * 10_000,
    "Ωmega résumé 😀 مرحبا שלום \u202eevil\u200b",
    "tab\tbell\x07escape\x1bdelete\x7f",
    "nul\x00byte",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "<b>bold</b> &amp; &lt;",
    SQL,
    "1 OR 1=1",
    str(10**30),
    "-1",
    "1e309",
    "NaN",
    "0",
    "99999",
    "2.5",
    "٣",  # an Arabic-Indic digit: Python's int() takes it, a database might not
]
HOSTILE = st.one_of(st.sampled_from(NASTY), st.text(st.characters(exclude_categories=("Cs",)), max_size=40))
NEXT_YEAR = str(timezone.localdate().year + 1)
OMIT = object()  # the field is left out of the submission altogether
BAD_DATES = [(31, 2, 2025), (29, 2, 2023), (0, 0, 0), (1, 1, 0), (1, 1, 99999), (1, 13, 2025), (32, 1, 2025),
             (1, 1, 1899), (1, 1, 2101), (10**30, 1, 2025)]  # fmt: skip
DATE_PART = st.sampled_from(["", "0", "31", "2", "13", "99999", "-1", str(10**30), "1e309", "٣", "x", SCRIPT])

# Rows that may change on any request (sessions, sign-in attempts, the audit log), and
# Django's permission tables, which no form writes and which are large enough to slow every example.
UNTRACKED_APPS = {"sessions", "axes", "auditlog", "admin", "contenttypes"}
UNTRACKED_MODELS = {"auth.Permission", "auth.Group_permissions"}

BAD_INPUT = hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass(frozen=True)
class FormPage:
    page: str  # the URL name of the page that shows the form
    args: tuple[str, ...] = ()  # fixtures (attributes of ``world``) whose keys fill the page's URL
    user: str = "manager"
    plain: Callable = lambda world: {}  # answers the page does not already give
    writes: bool = True  # whether saving the plain answers changes a row
    password: bool = False  # the user signs in with a password here
    answers_on_the_page: bool = False  # plain answers are shown a page (200, no errors), not sent on


# Every form, by the URL name it posts to.
FORMS = {
    "hamlet:sign_in": FormPage(
        "hamlet:sign_in", user="anonymous", password=True,
        plain=lambda world: {"username": world.manager.username, "password": PASSWORD},
    ),
    "hamlet:sign_out": FormPage("hamlet:sign_out", writes=False),
    "hamlet:password_change": FormPage(
        "hamlet:password_change", password=True,
        plain=lambda world: {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    "hamlet:wing_switch": FormPage("hamlet:home", user="administrator", writes=False),
    "hamlet:wing_edit": FormPage("hamlet:wing_edit", ("hamlet_wing",)),
    "residents:search": FormPage("residents:list", writes=False),
    # The plain answers fill in every date and choice, the consent's date and witness among
    # them, which stand only with consent ticked.
    "residents:admit": FormPage(
        "residents:admit",
        plain=lambda world: {"prison_number": "B1234CD", "pseudonym": "Robin", "evaluation_consent": "on"},
    ),
    "residents:import": FormPage("residents:import"),
    "residents:edit": FormPage("residents:edit", ("resident",), plain=lambda world: {"evaluation_consent": "on"}),
    # Not the stage the resident is at, which is refused.
    "residents:stage": FormPage("residents:stage", ("resident",), plain=lambda world: {"stage": "ready"}),
    "residents:support": FormPage(
        "residents:support", ("resident",), plain=lambda world: {"notes": "Talked through the wing's routine"}
    ),
    "residents:depart": FormPage("residents:depart", ("resident",)),
    "residents:non_association": FormPage(
        "residents:non_association", ("resident",), plain=lambda world: {"other": world.neighbour.prison_number}
    ),
    "residents:anonymise": FormPage("residents:anonymise", ("long_gone_resident",)),
    # Opening the data writes only its access entry, and shows it on the page.
    "residents:subject_access": FormPage(
        "residents:subject_access", ("resident",), writes=False, answers_on_the_page=True,
        plain=lambda world: {"reason": "Their written request"},
    ),
    "mentoring:mentor": FormPage("mentoring:mentor", ("resident",), plain=lambda world: {"minutes": "15"}),
    "mentoring:contact_edit": FormPage("mentoring:contact_edit", ("resident", "mentor_contact")),
    # Removing leaves no row made or changed, which is what ``writes`` looks for (the removal
    # itself is tested in tests/mentoring/test_contact_corrections.py).
    "mentoring:contact_remove": FormPage("mentoring:contact_remove", ("resident", "mentor_contact"), writes=False),
    "mentoring:supervision_add": FormPage("mentoring:supervision_add", ("resident",)),
    "mentoring:supervision_edit": FormPage("mentoring:supervision_edit", ("resident", "supervision_session")),
    "mentoring:training_add": FormPage("mentoring:training_add", ("resident",)),
    "mentoring:holding_start": FormPage(
        "mentoring:holding_start", ("resident",), plain=lambda world: {"role": str(world.listener_role.pk)}
    ),
    "mentoring:holding_end": FormPage("mentoring:holding_end", ("resident", "holding")),
    "mentoring:settings": FormPage("mentoring:settings"),
    "mentoring:next_step": FormPage(
        "mentoring:next_step", ("resident",), plain=lambda world: {"description": "Shadow a Listener"}
    ),
    "mentoring:round_add": FormPage("mentoring:round_add", plain=lambda world: {"places": "2"}),
    "mentoring:candidate_add": FormPage(
        "mentoring:round", ("recruitment_round",), plain=lambda world: {"candidate-resident": str(world.neighbour.pk)}
    ),
    "mentoring:nomination_add": FormPage(
        "mentoring:round", ("recruitment_round",), plain=lambda world: {"nomination-by": str(world.neighbour.pk)}
    ),
    "mentoring:round_close": FormPage("mentoring:round_close", ("recruitment_round",)),
    "mentoring:interview": FormPage("mentoring:interview", ("recruitment_round", "candidate")),
    "mentoring:decide": FormPage(
        "mentoring:decide", ("recruitment_round", "candidate"),
        plain=lambda world: {"decision": "reserve", "reason": "Two places, three strong candidates"},
    ),
    "programme:phase_edit": FormPage("programme:phase_edit", ("phase",)),
    # Who they are is typed in; every choice and date is read off the page.
    "programme:referral_add": FormPage(
        "programme:referral_add",
        plain=lambda world: {"prison_number": "B2345CD", "pseudonym": "Rowan", "why": "Asked at education"},
    ),
    # Accepted, so the move onto the wing, with its houseblock and room, is the one exercised.
    "programme:referral_move": FormPage(
        "programme:referral_move", ("accepted_referral",), plain=lambda world: {"to": "moved", "room": "7"}
    ),
    "programme:waiting_add": FormPage(
        "programme:waiting_add", plain=lambda world: {"resident": str(world.neighbour.pk), "referred_by": "self"}
    ),
    "programme:waiting_move": FormPage(
        "programme:waiting_move", ("waiting_entry",), plain=lambda world: {"to": "declined", "why": "Not yet"}
    ),
    "programme:cohort_add": FormPage("programme:cohort_add", plain=lambda world: {"name": "Cohort 9"}),
    # A lone checkbox is read off the page unticked: tick it.
    "programme:cohort_enrol": FormPage(
        "programme:cohort", ("cohort",), plain=lambda world: {"entries": [str(world.waiting_entry.pk)]}
    ),
    # Refused while residents are still enrolled: the page says so and nothing changes.
    "programme:cohort_finish": FormPage("programme:cohort", ("cohort",), writes=False),
    "programme:sessions_plan": FormPage("programme:sessions_plan", ("cohort",),
                                        plain=lambda world: {"starts_at": "09:30", "ends_at": "12:00"}),
    "programme:session_add": FormPage("programme:session_add", ("cohort",),
                                      plain=lambda world: {"starts_at": "14:00", "ends_at": "15:30"}),
    # Completed, so no reason for leaving (the reader picks the first of every list).
    "programme:enrolment_end": FormPage("programme:enrolment_end", ("enrolment",), plain=lambda world: {"reason": ""}),
    "programme:enrolment_move": FormPage(
        "programme:enrolment_move", ("enrolment",), plain=lambda world: {"to": str(world.next_cohort.pk)}
    ),
    "programme:session": FormPage("programme:session", ("programme_session",)),
    "programme:session_cancel": FormPage("programme:session_cancel", ("programme_session",)),
    "programme:project_add": FormPage("programme:project_add", plain=lambda world: {"title": "Bird boxes"}),
    "programme:project_edit": FormPage("programme:project_edit", ("project",)),
    # Removing writes no row the suite tracks (it sees rows made or changed): tested in test_projects.
    "programme:hours_remove": FormPage("programme:hours_remove", ("project_hours",), writes=False),
    "programme:project": FormPage("programme:project", ("project",), plain=lambda world: {"hours": "2.5"}),
    "programme:meeting_add": FormPage("programme:meeting_add", plain=lambda world: {"kind": "community"}),
    "programme:meeting_edit": FormPage("programme:meeting_edit", ("meeting",)),
    "programme:action_add": FormPage(
        "programme:meeting",
        ("meeting",),
        plain=lambda world: {"description": "Paint the landing", "owner_resident": ""},
    ),
    "programme:action_review": FormPage(
        "programme:action_review", ("meeting_action",), plain=lambda world: {"status": "dropped"}
    ),
    "programme:suggestion_add": FormPage(
        "programme:suggestion_add", plain=lambda world: {"text": "Board games on Fridays"}
    ),
    "programme:suggestion_answer": FormPage(
        "programme:suggestion_answer", ("suggestion",),
        plain=lambda world: {"answer": "adopted", "we_did": "A quiet room from 2pm on Sundays"},
    ),
    # A period of next year: the world's open period covers the last twelve weeks.
    "evaluation:period_add": FormPage(
        "evaluation:period_add",
        plain=lambda world: {"label": "Next year", "starts_on_2": NEXT_YEAR, "ends_on_2": NEXT_YEAR},
    ),
    "evaluation:period_edit": FormPage("evaluation:period_edit", ("period",)),
    "evaluation:period_close": FormPage("evaluation:period", ("period",)),
    "evaluation:period_reopen": FormPage(
        "evaluation:period_reopen", ("closed_period",), plain=lambda world: {"reason": "Late minutes"}
    ),
    "evaluation:rung_rate": FormPage(
        "evaluation:rung_rate", ("period", "peer_mentor_role"),
        plain=lambda world: {"rung": "2", "evidence": "Feedback forms"},
    ),
    "evaluation:mapping_add": FormPage(
        "evaluation:mapping_add", ("period",),
        plain=lambda world: {"cohort": str(world.earlier_cohort.pk), "peer_mentors__trusted": "8"},
    ),
    "evaluation:mapping_edit": FormPage("evaluation:mapping_edit", ("mapping",)),
    "evaluation:climate_month": FormPage(
        "evaluation:climate_month", ("year", "month"),
        plain=lambda world: {f"indicator_{ClimateIndicator.objects.first().pk}": "3"},
    ),
    "evaluation:voice_add": FormPage(
        "evaluation:voice_add", ("period",), plain=lambda world: {"kind": "barrier", "priority": "2", "summary": "Jobs"}
    ),
    "evaluation:voice_edit": FormPage("evaluation:voice_edit", ("voice",)),
    # Removing leaves no row made or changed, which is what ``writes`` looks for.
    "evaluation:voice_remove": FormPage("evaluation:voice_remove", ("voice",), writes=False),
    "evaluation:finding_add": FormPage(
        "evaluation:finding_add", ("period",), plain=lambda world: {"kind": "lesson", "summary": "Recruit early"}
    ),
    "evaluation:finding_edit": FormPage("evaluation:finding_edit", ("finding",)),
    "evaluation:finding": FormPage(
        "evaluation:finding", ("finding",), plain=lambda world: {"note": "Raised at the HiG", "status": "in_progress"}
    ),
    "evaluation:attributes_edit": FormPage(
        "evaluation:attributes_edit", ("period",), plain=lambda world: {"interviews": "12"}
    ),
    "evaluation:staff_post_add": FormPage(
        "evaluation:staff_post_add",
        plain=lambda world: {
            "title": "Case manager", "organisation": str(world.staff_post.organisation_id), "funded": "3",
        },
    ),
    "evaluation:staff_post_edit": FormPage("evaluation:staff_post_edit", ("staff_post",)),
    "evaluation:staff_month": FormPage(
        "evaluation:staff_month", ("year", "month"), plain=lambda world: {f"post_{world.staff_post.pk}": "1"}
    ),
    "evaluation:delivery_note_edit": FormPage(
        "evaluation:delivery_note_edit", ("peer_mentor_role",), plain=lambda world: {"training": "Level 2 mentoring"}
    ),
    "evaluation:grid_rate": FormPage(
        "evaluation:grid_rate", ("period", "stage"), plain=lambda world: {"rating": "green", "evidence": "Weekly"}
    ),
}  # fmt: skip
# Forms that only appear part way through another form's journey, and the entry that drives them.
REACHED_THROUGH = {"residents:import_confirm": "residents:import"}

# Pages that show what people type, checked for live <script> after it has been saved.
SHOWN_ON = [
    ("hamlet:home", ()),
    ("hamlet:wing_detail", ("hamlet_wing",)),
    ("hamlet:wing_history", ("hamlet_wing",)),
    ("residents:list", ()),
    ("residents:detail", ("resident",)),
    ("residents:retention", ()),
    ("mentoring:index", ()),
    ("mentoring:workload", ()),
    ("mentoring:mentor", ("resident",)),
    ("mentoring:rounds", ()),
    ("mentoring:round", ("recruitment_round",)),
    ("programme:index", ()),
    ("programme:waiting_list", ()),
    ("programme:referrals", ()),
    ("programme:referral", ("referral",)),
    ("programme:cohort", ("cohort",)),
    ("programme:session", ("programme_session",)),
    ("programme:meeting", ("meeting",)),
    ("programme:suggestions", ()),
    ("programme:you_said_we_did", ()),
    ("programme:projects", ()),
    ("programme:project", ("project",)),
    ("evaluation:periods", ()),
    ("evaluation:period", ("period",)),
    ("evaluation:ladder", ("period",)),
    ("evaluation:mapping", ("mapping",)),
    ("evaluation:mapping_compare", ()),
    ("evaluation:climate", ()),
    ("evaluation:voices", ("period",)),
    ("evaluation:findings", ()),
    ("evaluation:attributes", ("period",)),
    ("evaluation:staff_team", ()),
    ("evaluation:delivery_model", ()),
    ("evaluation:finding", ("finding",)),
    ("evaluation:grid_compare", ()),
    ("evaluation:grid_wings", ()),
]


@pytest.fixture
def world(
    manager, staff, administrator, hamlet_wing, other_wing, resident, long_gone_resident, holding, candidate,
    peer_mentor_role, supervision_session, mentor_contact, waiting_entry, cohort, enrolment, programme_session,
    meeting, meeting_action, suggestion, project, project_hours, referral, period, mapping, voice, finding,
    staff_post, settings,
):  # fmt: skip
    # Argon2 is slow on purpose; what is tested here is the forms, so sign-in uses a quick hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    neighbour = ResidentFactory(wing=hamlet_wing, pseudonym="Juniper", prison_number="A4102BK")
    listener_role = PeerRoleFactory(
        establishment=hamlet_wing.establishment, title="Listeners", induction=True, single_issue=True,
        representation="some", pathway_step=1,
    )  # fmt: skip
    QualificationFactory(name="NCFE Level 2 Award in Mentoring", awarding_body="NCFE", level="Level 2")
    next_cohort = CohortFactory(wing=hamlet_wing, name="Cohort 2", starts_on=cohort.starts_on + timedelta(weeks=2))
    accepted_referral = ReferralFactory(
        wing=hamlet_wing, status="accepted", resident__pseudonym="Sorrel", resident__prison_number="A4110BK"
    )
    earlier_cohort = CohortFactory(wing=hamlet_wing, name="Cohort 0", starts_on=cohort.starts_on - timedelta(weeks=4))
    closed_period = AssessmentPeriodFactory(
        wing=hamlet_wing, label="Baseline", starts_on=period.starts_on - timedelta(weeks=12),
        ends_on=period.starts_on - timedelta(days=1), closed_on=period.starts_on,
    )  # fmt: skip
    return SimpleNamespace(
        manager=manager, staff=staff, administrator=administrator, hamlet_wing=hamlet_wing, resident=resident,
        long_gone_resident=long_gone_resident, holding=holding, candidate=candidate,
        recruitment_round=candidate.round, supervision_session=supervision_session, mentor_contact=mentor_contact,
        neighbour=neighbour,
        listener_role=listener_role, waiting_entry=waiting_entry, cohort=cohort, enrolment=enrolment,
        programme_session=programme_session, next_cohort=next_cohort, meeting=meeting, meeting_action=meeting_action,
        project=project, project_hours=project_hours, suggestion=suggestion, phase=SimpleNamespace(pk=1), forms={},
        referral=referral, accepted_referral=accepted_referral,
        period=period, closed_period=closed_period, stage=SimpleNamespace(pk=3), peer_mentor_role=peer_mentor_role,
        mapping=mapping, earlier_cohort=earlier_cohort, year=SimpleNamespace(pk=2025), month=SimpleNamespace(pk=11),
        voice=voice, finding=finding, staff_post=staff_post,
    )  # fmt: skip


# Reading forms off a page.


@dataclass
class Control:
    name: str
    kind: str  # text, choice, multi, checkbox or file
    options: list[str] = field(default_factory=list)
    initial: object = ""


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.nested: list[dict] = []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self._form is not None:
            self.nested.append(attrs)  # browsers ignore a form inside a form; so does this reader
        elif tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action") or ""}
            self._form["raw"] = []
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name") and attrs["name"] != "csrfmiddlewaretoken":
            kind = (attrs.get("type") or "text").lower()
            if kind not in {"submit", "button", "image", "reset"}:
                self._form["raw"].append((attrs["name"], kind, attrs.get("value") or "", "checked" in attrs))
        elif tag == "select" and attrs.get("name"):
            self._select = Control(attrs["name"], "multi" if "multiple" in attrs else "choice", initial=None)
            self._form["raw"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value") or "")
            if "selected" in attrs:
                self._select.initial = attrs.get("value") or ""
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = Control(attrs["name"], "text")
            self._form["raw"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.initial += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.initial.startswith("\n"):
                self._textarea.initial = self._textarea.initial[1:]  # as browsers do
            self._textarea = None


def post_forms(html: str) -> list[dict]:
    parser = _FormParser()
    parser.feed(html)
    assert not parser.nested, "a <form> inside another <form>: browsers drop the inner one"
    return [form for form in parser.forms if form["method"] == "post"]


def _controls(raw: list) -> list[Control]:
    """Group radios and checkboxes by name, as the browser submits them."""
    controls: dict[str, Control] = {}
    for item in raw:
        if isinstance(item, Control):
            controls[item.name] = item
            continue
        name, kind, value, checked = item
        control = controls.setdefault(name, Control(name, {"radio": "choice", "checkbox": "checkbox"}.get(kind, kind)))
        if kind in {"radio", "checkbox"}:
            control.options.append(value or "on")
            if checked:
                control.initial = value or "on"
        else:
            control.kind, control.initial = (kind if kind in {"file", "hidden"} else "text"), value
    for control in controls.values():
        if control.kind == "checkbox" and len(control.options) > 1:
            control.kind = "multi"
        if control.kind == "choice" and not control.initial:
            control.initial = next((option for option in control.options if option), "")
        if control.kind == "multi" and control.initial in ("", None):
            control.initial = [control.options[0]] if control.options else []
        elif control.kind == "multi" and not isinstance(control.initial, list):
            control.initial = [control.initial]
    return list(controls.values())


DATE_BOX = re.compile(r"^(?P<stem>.+?)(?:_(?P<i>[012])|-(?P<part>day|month|year))$")


def _date_groups(controls: list[Control]) -> dict[str, list[str]]:
    """GOV.UK date inputs: a stem with three boxes, day, month and year."""
    stems: dict[str, dict[int, str]] = {}
    for control in controls:
        match = DATE_BOX.match(control.name)
        if control.kind == "text" and match:
            index = int(match["i"]) if match["i"] else ["day", "month", "year"].index(match["part"])
            stems.setdefault(match["stem"], {})[index] = control.name
    return {stem: [boxes[i] for i in range(3)] for stem, boxes in stems.items() if len(boxes) == 3}


@dataclass
class Form:
    url: str
    controls: list[Control]
    dates: dict[str, list[str]]
    plain: dict


def _url(name: str, args, world) -> str:
    return reverse(name, args=[getattr(world, arg).pk for arg in args])


def _view_name(action: str, page_url: str) -> str:
    return resolve(urlsplit(action or page_url).path).view_name


def _sign_in(client, spec: FormPage, world) -> None:
    """Sign in as the form's user, unless the client already is (a session costs several queries)."""
    if spec.user == "anonymous":
        client.logout()
        return
    user = getattr(world, spec.user)
    if client.session.get("_auth_user_id") != str(user.pk):
        client.force_login(user)


def _form(client, action: str, world) -> Form:
    """The form that posts to ``action``, read off its page, with its plain answers."""
    if action in world.forms:
        return world.forms[action]
    spec = FORMS[action]
    if spec.password:
        world.manager.set_password(PASSWORD)
        world.manager.save()
    _sign_in(client, spec, world)
    page_url = _url(spec.page, spec.args, world)
    response = client.get(page_url)
    assert response.status_code == 200, f"{spec.user} cannot open {spec.page}"
    found = [form for form in post_forms(response.content.decode()) if _view_name(form["action"], page_url) == action]
    assert found, f"no form on {spec.page} posts to {action}"
    controls = _controls(found[0]["raw"])
    dates = _date_groups(controls)
    today = timezone.localdate()
    plain = {control.name: control.initial for control in controls if control.kind != "file"}
    for boxes in dates.values():
        if not any(plain[box] for box in boxes):
            plain.update(zip(boxes, (str(today.day), str(today.month), str(today.year)), strict=True))
    plain = {name: value for name, value in plain.items() if value is not None}
    plain.update(spec.plain(world))
    form = Form(url=found[0]["action"] or page_url, controls=controls, dates=dates, plain=plain)
    world.forms[action] = form
    return form


# Generated answers.


def _hostile(control: Control):
    if control.kind == "multi":
        return st.one_of(
            st.lists(st.sampled_from(control.options), unique=True, max_size=3) if control.options else st.nothing(),
            st.lists(HOSTILE, min_size=1, max_size=2),
            st.just(OMIT),
        )
    if control.kind == "file":
        return _spreadsheet()
    return st.one_of(HOSTILE, st.just(OMIT), st.sampled_from(control.options) if control.options else st.nothing())


def _spreadsheet():
    today = timezone.localdate()
    plain = {
        "prison_number": st.sampled_from(["C1234DE", "c2345ef", "C 3456 FG"]),
        "pseudonym": st.sampled_from(["Saffron", "Marigold"]),
        "houseblock": st.sampled_from(["Houseblock 1", ""]),
        "room": st.just("3"),
        "sentence_type": st.sampled_from(["Short", "life"]),
        "age_band": st.sampled_from(["30 to 39", "40-49"]),
        "arrived_on": st.just(f"{today - timedelta(days=10):%d/%m/%Y}"),
        "cats_id": st.just(""),
    }
    row = st.fixed_dictionaries({column: st.one_of(plain[column], HOSTILE) for column in COLUMNS})

    def build(name, rows):
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(COLUMNS)
        writer.writerows([[row[column] for column in COLUMNS] for row in rows])
        return SimpleUploadedFile(name, text.getvalue().encode("utf-8", "surrogatepass"))

    names = st.sampled_from(["residents.csv", "RESIDENTS.CSV", "residents.xlsx", "residents.txt", f"{SCRIPT}.csv"])
    return st.builds(build, names, st.lists(row, min_size=1, max_size=3))


def _answers(data, form: Form) -> dict:
    in_dates = {box for boxes in form.dates.values() for box in boxes}
    units = sorted([control.name for control in form.controls if control.name not in in_dates] + list(form.dates))
    answers = dict(form.plain)
    if not units:
        return answers
    by_name = {control.name: control for control in form.controls}
    for unit in sorted(data.draw(st.sets(st.sampled_from(units), max_size=min(3, len(units))), label="changed")):
        if unit in form.dates:
            day_month_year = data.draw(
                st.one_of(st.sampled_from(BAD_DATES).map(lambda d: tuple(map(str, d))), st.tuples(*[DATE_PART] * 3)),
                label=unit,
            )
            answers.update(zip(form.dates[unit], day_month_year, strict=True))
        else:
            value = data.draw(_hostile(by_name[unit]), label=unit)
            if value is OMIT:
                answers.pop(unit, None)
            else:
                answers[unit] = value
    return answers


# What a submission may change.


def _tracked_models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in UNTRACKED_APPS and model._meta.label not in UNTRACKED_MODELS
    ]


def _snapshot() -> dict:
    rows = {}
    for model in _tracked_models():
        names = [f.attname for f in model._meta.concrete_fields]
        rows[model] = {row[0]: row for row in model._base_manager.values_list("pk", *names)}
    return rows


def _changed(before: dict, after: dict):
    for model, rows in after.items():
        for pk, row in rows.items():
            if before[model].get(pk) != row:
                yield model._base_manager.get(pk=pk)


def _full_clean(obj) -> None:
    # An anonymised resident's prison number is cleared on purpose: null, never blank (residents.models).
    anonymised = obj._meta.concrete_model._meta.label == "residents.Resident" and obj.anonymised_on
    obj.full_clean(exclude=["prison_number"] if anonymised else None)
    # full_clean does not look for NUL, which PostgreSQL refuses to store: it must never get this far.
    texts = [getattr(obj, f.attname) for f in obj._meta.concrete_fields]
    assert not any(isinstance(text, str) and "\x00" in text for text in texts), f"NUL saved in {obj!r}"


def _submitted_text(answers: dict) -> str:
    values = []
    for value in answers.values():
        if isinstance(value, SimpleUploadedFile):
            value.seek(0)
            values.append(value.name + value.read().decode("utf-8", "replace"))
            value.seek(0)
        elif isinstance(value, list):
            values.extend(map(str, value))
        else:
            values.append(str(value))
    return "\n".join(values)


def _identities(world) -> set[str]:
    from residents.models import Resident

    people = Resident.objects.values_list("prison_number", "pseudonym")
    return {value for person in people for value in person if value and len(value) >= 5}


def _assert_inert(response, where: str) -> None:
    assert response.status_code < 500, where
    assert SCRIPT not in response.content.decode("utf-8", "replace"), f"live <script> on {where}"


def _submit(client, action: str, world, answers: dict):
    """Post the answers; then, if the importer's check passed, confirm the import."""
    response = client.post(world.forms[action].url, answers)
    _assert_inert(response, action)
    check = response.context and response.context.get("check") if response.status_code == 200 else None
    if action == "residents:import" and check is not None and check.ok:
        response = client.post(reverse("residents:import_confirm"))
        _assert_inert(response, "residents:import_confirm")
    return response


def _try(client, action: str, world, answers: dict, shown: bool = True) -> bool:
    """One submission, rolled back afterwards. Returns whether it was saved (a redirect)."""
    _sign_in(client, FORMS[action], world)
    with transaction.atomic():
        before = _snapshot()
        response = _submit(client, action, world, answers)
        after = _snapshot()
        if response.status_code not in (301, 302, 303):
            changed = [f"{obj._meta.label} {obj.pk}" for obj in _changed(before, after)]
            assert not changed, f"a form shown again with errors changed {changed}"
            saved = False
        else:
            location = response["Location"]
            assert not urlsplit(location).netloc, f"sent away to {location}"
            assert not urlsplit(location).scheme, f"sent away to {location}"
            named = [identity for identity in _identities(world) if identity.lower() in unquote(location).lower()]
            assert not named, f"the address {location} names a resident"
            _assert_inert(client.get(location), location)
            for obj in _changed(before, after):
                _full_clean(obj)
            if shown and SCRIPT in _submitted_text(answers):
                reader = Client()
                reader.force_login(world.manager)
                for name, args in SHOWN_ON:
                    _assert_inert(reader.get(_url(name, args, world)), name)
            saved = True
        transaction.set_rollback(True)
    return saved


# The tests.


def test_every_form_in_hamlet_is_listed(client, request, world):
    """Every page in the permission matrix, as every user let in: each post form is in FORMS."""
    users = ["anonymous", "staff", "manager", "evaluator", "administrator", "other_staff"]
    posted_to = set()
    for name, (method, args, _data, expected) in MATRIX.items():
        if method != "get" or name.startswith("admin:"):
            continue
        args = [request.getfixturevalue(arg[1:]).pk if str(arg).startswith("@") else arg for arg in args or []]
        url = reverse(name, args=args)
        for user in users:
            if expected[user] != 200:
                continue
            client.logout()
            if user != "anonymous":
                client.force_login(request.getfixturevalue(user))
            response = client.get(url)
            if response.get("Content-Type", "").startswith("text/html"):
                for form in post_forms(response.content.decode()):
                    posted_to.add(_view_name(form["action"], url))
    assert posted_to, "no forms found: the page reader is broken"
    assert posted_to - set(FORMS) - set(REACHED_THROUGH) == set()
    assert set(REACHED_THROUGH.values()) <= set(FORMS)


@pytest.mark.parametrize("action", list(FORMS))
def test_each_form_saves_its_plain_answers(action, client, world):
    form = _form(client, action, world)
    answers = dict(form.plain)
    if action == "residents:import":
        today = timezone.localdate()
        row = ["C1234DE", "Saffron", "Houseblock 1", "3", "Short", "30 to 39", f"{today:%d/%m/%Y}", ""]
        answers["file"] = SimpleUploadedFile("residents.csv", f"{','.join(COLUMNS)}\n{','.join(row)}\n".encode())
    with transaction.atomic():
        _sign_in(client, FORMS[action], world)
        before = _snapshot()
        response = _submit(client, action, world, answers)
        context = response.context or {}
        errors = [form.errors for key in ("form", "candidate_form", "nomination_form") if (form := context.get(key))]
        if FORMS[action].answers_on_the_page:
            assert response.status_code == 200
            assert not any(errors), errors
        else:
            assert response.status_code == 302, errors
        assert bool(list(_changed(before, _snapshot()))) == FORMS[action].writes
        transaction.set_rollback(True)


@pytest.mark.parametrize("action", list(FORMS))
@BAD_INPUT
@given(data=st.data())
def test_no_form_breaks_or_keeps_bad_input(action, data, client, world):
    form = _form(client, action, world)
    event("saved" if _try(client, action, world, _answers(data, form)) else "shown again with errors")


@pytest.mark.parametrize("action", list(FORMS))
def test_script_in_any_text_box_is_shown_as_text(action, client, world):
    """<script> in each text box the form keeps it in, then in all of them at once: every page shows it as text."""
    form = _form(client, action, world)
    boxes = [control.name for control in form.controls if control.kind == "text" and not DATE_BOX.match(control.name)]
    kept = [name for name in boxes if _try(client, action, world, {**form.plain, name: SCRIPT}, shown=False)]
    if kept:
        assert _try(client, action, world, {**form.plain, **dict.fromkeys(kept, SCRIPT)})


@pytest.mark.parametrize(
    ("action", "boxes"), [("mentoring:interview", "interviewers"), ("residents:admit", "permitted_staff")]
)
def test_a_number_too_big_for_any_key_among_the_checkboxes_is_an_unknown_choice(action, boxes, client, world):
    # Found by the test above: Django handed 10**30 to SQLite, which cannot compare it, and the page crashed.
    form = _form(client, action, world)
    assert not _try(client, action, world, {**form.plain, boxes: [str(10**30)]})


# Issue 10, item 4: the inputs an outside tester broke Hamlet with.

TOO_BIG_FOR_ANY_KEY = 2**63  # one past the largest key PostgreSQL and SQLite can store


def _id_urls(request) -> list[tuple[str, str]]:
    """Every URL in the permission matrix that takes a record's id, with each id made too big."""
    urls = []
    for name, (method, args, _data, _expected) in MATRIX.items():
        if args and any(str(arg).startswith("@") for arg in args):
            big = [TOO_BIG_FOR_ANY_KEY if str(arg).startswith("@") else arg for arg in args]
            urls.append((method, reverse(name, args=big)))
    return urls


def test_an_id_too_big_for_any_key_is_not_found_and_the_refusal_is_recorded(client, request, world):
    from auditlog.models import LogEntry

    client.force_login(world.manager)
    urls = _id_urls(request)
    assert ("get", reverse("residents:detail", args=[TOO_BIG_FOR_ANY_KEY])) in urls
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    page = reverse("residents:detail", args=[TOO_BIG_FOR_ANY_KEY])
    refused = LogEntry.objects.filter(additional_data__how="refused", additional_data__page=page)
    assert refused.count() == 1


@pytest.mark.parametrize(
    "next_url", ["abc", "hamlet:home", "residents:list", "admin", "-", "..", "https://evil.example/"]
)
@pytest.mark.parametrize("page", ["hamlet:two_factor_setup", "hamlet:two_factor_verify"])
def test_a_next_that_is_not_an_address_on_this_site_goes_to_the_dashboard(page, next_url, client, world, settings):
    settings.HAMLET_2FA = True
    client.force_login(world.staff)  # needs no second factor: sent straight on
    response = client.get(reverse(page), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("hamlet:home")


UNICODE_DIGITS = ["²", "½", "٣", "𝟙"]  # isdigit() is true of the first; int() reads the last two


@pytest.mark.parametrize("action", list(FORMS))
def test_unicode_digits_in_any_choice_are_an_unknown_choice_not_an_error_page(action, client, world):
    form = _form(client, action, world)
    choices = [control for control in form.controls if control.kind in ("choice", "multi", "hidden")]
    for control in choices:
        for digit in UNICODE_DIGITS:
            value = [digit] if control.kind == "multi" else digit
            _try(client, action, world, {**form.plain, control.name: value}, shown=False)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("newline.csv", b"\n"),
        ("crlf.csv", b"\r\n"),
        ("bom.csv", b"\xef\xbb\xbf"),
        ("bom-newline.csv", b"\xef\xbb\xbf\n"),
        ("spaces.csv", b"   \n  \n"),
        ("commas.csv", b",,,\n,,,\n"),
        ("empty.xlsx", None),
        ("zero.xlsx", b""),
    ],
)
def test_an_empty_or_degenerate_file_is_refused_with_a_message(name, content, client, world):
    if content is None:
        from openpyxl import Workbook

        buffer = io.BytesIO()
        Workbook().save(buffer)
        content = buffer.getvalue()
    client.force_login(world.manager)
    response = client.post(reverse("residents:import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert response.context["form"].errors or not response.context["check"].ok


def test_a_form_sent_in_utf_16_gets_hamlets_bad_request_page(world):
    # A browser's client checks the CSRF token, which reads the form: Django's own 400 page
    # checks it again, reading the form that could not be read, and broke (a 500).
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.manager)
    client.get(reverse("residents:admit"))
    body = "pseudonym=Robin&prison_number=B1234CD"  # the test client encodes it in the charset named
    for url in [reverse("residents:admit"), reverse("hamlet:sign_in"), reverse("admin:login")]:
        response = client.post(url, body, content_type="application/x-www-form-urlencoded; charset=utf-16")
        assert response.status_code == 400, url
        assert "Something was wrong with that request" in response.content.decode(), url


@pytest.mark.parametrize("host", ["evil.example", "hamlet.example.org:99999", "[::1", "a" * 300, "xn--80ak6aa92e.com"])
def test_a_request_for_a_host_hamlet_does_not_answer_to_is_a_bad_request(host, client, world):
    client.force_login(world.manager)
    for url in ["/", reverse("residents:list"), reverse("hamlet:sign_in")]:
        assert client.get(url, HTTP_HOST=host).status_code == 400
