"""The programme's pages: the phases of the wing, the waiting list, cohorts, enrolment,
sessions and the register, meetings and their actions, suggestions and the "You said, we
did" board, community projects and their hours. Every form goes through
``hamlet.forms.form_page``; every page that names residents records them (``record_listing``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from hamlet import wings
from hamlet.access import get_visible_or_404, identity_shown
from hamlet.audit import refusals_recorded
from hamlet.forms import form_page
from mentoring.selectors import mentors_on
from programme import calendar, selectors, services
from programme.filters import MeetingFilter, ReferralFilter, WaitingListFilter
from programme.forms import (
    ActionForm,
    ActionReviewForm,
    CohortForm,
    EnrolForm,
    EnrolmentEndForm,
    EnrolmentMoveForm,
    HoursForm,
    MeetingForm,
    PhaseSettingsForm,
    ProjectForm,
    ReferralForm,
    ReferralMoveForm,
    RegisterForm,
    SessionCancelForm,
    SessionForm,
    SessionsPlanForm,
    SuggestionAnswerForm,
    SuggestionForm,
    WaitingAddForm,
    WaitingMoveForm,
)
from programme.models import (
    Action,
    Cohort,
    CohortStatus,
    Enrolment,
    Meeting,
    Phase,
    PhaseSettings,
    Project,
    ProjectHours,
    Referral,
    Session,
    Suggestion,
    WaitingListEntry,
)
from programme.tables import (
    CohortTable,
    EnrolmentTable,
    MeetingTable,
    ProjectTable,
    ReferralTable,
    SessionTable,
    SuggestionTable,
    WaitingListTable,
)
from residents.audit import offered_in, record_access, record_listing, record_refusals, shown_about


def _offering(request, form, how: str, **context):
    """The context of a form page whose pickers offer residents: they are named on the page,
    so they go into its access entry (a function, so a successful POST does not record it)."""

    def build() -> dict:
        record_listing(user=request.user, residents=list(offered_in(form)), how=how)
        return context

    return build


@require_GET
@permission_required("programme.view_cohort", raise_exception=True)
def index(request):
    """The wing's two phases (Table 1.2.2b) and its cohorts."""
    wing = wings.current_wing_or_404(request)
    cohorts = selectors.cohorts_on(wing=wing, user=request.user)
    table = CohortTable(cohorts, rates={})
    RequestConfig(request, paginate=True).configure(table)
    table.rates = selectors.rates_by_cohort(cohorts=[row.record for row in table.page.object_list])
    context = {"wing": wing, "phases": PhaseSettings.for_wing(wing), "table": table}
    return render(request, "programme/index.html", context)


@permission_required("programme.change_phasesettings", raise_exception=True)
def phase_edit(request, number: int):
    """Phase 1 or Phase 2 of the current wing, by its number."""
    wing = wings.current_wing_or_404(request)
    if number not in (1, 2):
        raise Http404
    setting = PhaseSettings.of(wing, Phase.values[number - 1])
    form = PhaseSettingsForm(request.POST or None, instance=setting)

    def act():
        services.phase_settings_save(setting=form.save(commit=False), version=form.opened_version)
        return f"{setting.get_phase_display()} settings saved.", "programme:index"

    context = {
        "setting": setting,
        "back_url": reverse("programme:index"),
        "back_text": "Back to the programme",
        "caption": wing.name,
    }
    return form_page(request, form, act=act, template="programme/phase_form.html", context=context)


# The waiting list.


@require_GET
@permission_required("programme.view_waitinglistentry", raise_exception=True)
def waiting_list(request):
    wing = wings.current_wing_or_404(request)
    filtered = WaitingListFilter(request.GET, queryset=selectors.waiting_list(wing=wing, user=request.user))
    can_change = request.user.has_perm("programme.change_waitinglistentry")
    table = WaitingListTable(filtered.qs, today=timezone.localdate(), can_change=can_change)
    RequestConfig(request, paginate=True).configure(table)
    shown = [row.record.resident for row in table.page.object_list]
    record_listing(user=request.user, residents=shown, how="waiting list")
    return render(request, "programme/waiting_list.html", {"wing": wing, "filter": filtered, "table": table})


@permission_required("programme.add_waitinglistentry", raise_exception=True)
def waiting_add(request):
    wing = wings.current_wing_or_404(request)
    form = WaitingAddForm(request.POST or None, wing=wing, user=request.user)

    def act():
        entry = services.waiting_add(entry=form.save(commit=False), by=request.user)
        return f"{entry.resident} is on the {entry.get_phase_display()} waiting list.", "programme:waiting_list"

    context = _offering(
        request,
        form,
        "waiting list form",
        back_url=reverse("programme:waiting_list"),
        back_text="Back to the waiting list",
        caption=wing.name,
    )

    return form_page(request, form, act=act, template="programme/waiting_form.html", context=context)


def _entry_resident_pk(kwargs: dict) -> int | None:
    return WaitingListEntry.objects.filter(pk=kwargs["pk"]).values_list("resident_id", flat=True).first()


@record_refusals(resident_pk=_entry_resident_pk)
@permission_required("programme.change_waitinglistentry", raise_exception=True)
def waiting_move(request, pk: int):
    entry = get_visible_or_404(WaitingListEntry.objects.select_related("resident"), request.user, pk=pk)
    if not entry.moves():
        messages.error(request, "This entry has been allocated to a cohort; it cannot move on from here.")
        return redirect("programme:waiting_list")
    form = WaitingMoveForm(request.POST or None, instance=entry)

    def act():
        data = form.cleaned_data
        services.waiting_move(
            entry=entry, to=data["to"], on=data["on"], reason=data["why"], by=request.user, version=form.opened_version
        )
        return f"{entry.resident}: {entry.get_status_display().lower()}.", "programme:waiting_list"

    context = {
        "entry": entry,
        "back_url": reverse("programme:waiting_list"),
        "back_text": "Back to the waiting list",
        "caption": identity_shown(request.user, entry.resident),
    }
    return form_page(
        request,
        form,
        act=act,
        template="programme/waiting_move.html",
        context=context,
        shown=shown_about(request, entry.resident),
    )


# Referrals onto the wing.


@require_GET
@permission_required("programme.view_referral", raise_exception=True)
def referral_list(request):
    wing = wings.current_wing_or_404(request)
    filtered = ReferralFilter(request.GET, queryset=selectors.referrals_on(wing=wing, user=request.user))
    table = ReferralTable(filtered.qs, today=timezone.localdate())
    RequestConfig(request, paginate=True).configure(table)
    record_listing(
        user=request.user, residents=[row.record.resident for row in table.page.object_list], how="referrals"
    )
    return render(request, "programme/referral_list.html", {"wing": wing, "filter": filtered, "table": table})


@permission_required("programme.add_referral", raise_exception=True)
def referral_add(request):
    wing = wings.current_wing_or_404(request)
    form = ReferralForm(request.POST or None, wing=wing, user=request.user)

    def act():
        referral = services.referral_add(referral=form.save(commit=False), resident=form.resident(), by=request.user)
        return f"{referral.resident} has been referred onto {wing.name}.", referral

    context = {"back_url": reverse("programme:referrals"), "back_text": "Back to referrals", "caption": wing.name}
    return form_page(request, form, act=act, template="programme/referral_form.html", context=context)


def _referral_resident_pk(kwargs: dict) -> int | None:
    return Referral.objects.filter(pk=kwargs["pk"]).values_list("resident_id", flat=True).first()


@record_refusals(resident_pk=_referral_resident_pk)
@require_GET
@permission_required("programme.view_referral", raise_exception=True)
def referral_detail(request, pk: int):
    referral = selectors.referral_for_page(pk=pk, user=request.user)
    record_access(user=request.user, resident=referral.resident, how="referral page")
    return render(request, "programme/referral_detail.html", {"referral": referral})


@record_refusals(resident_pk=_referral_resident_pk)
@permission_required("programme.change_referral", raise_exception=True)
def referral_move(request, pk: int):
    referral = get_visible_or_404(Referral.objects.select_related("resident", "wing"), request.user, pk=pk)
    if not referral.moves():
        messages.error(
            request, f"This referral is {referral.get_status_display().lower()}; it cannot move on from here."
        )
        return redirect(referral)
    form = ReferralMoveForm(request.POST or None, instance=referral)

    def act():
        data = form.cleaned_data
        services.referral_move(
            referral=referral,
            to=data["to"],
            on=data["on"],
            reason=data["reason"],
            houseblock=data.get("houseblock"),
            room=data.get("room", ""),
            by=request.user,
            version=form.opened_version,
        )
        return f"{referral.resident}: {referral.get_status_display().lower()}.", referral

    context = {
        "referral": referral,
        "back_url": referral.get_absolute_url(),
        "back_text": "Back to the referral",
        "caption": identity_shown(request.user, referral.resident),
    }
    return form_page(
        request,
        form,
        act=act,
        template="programme/referral_move.html",
        context=context,
        shown=shown_about(request, referral.resident),
    )


# Cohorts.


@permission_required("programme.add_cohort", raise_exception=True)
def cohort_add(request):
    wing = wings.current_wing_or_404(request)
    form = CohortForm(request.POST or None, wing=wing, user=request.user)

    def act():
        data = form.cleaned_data
        cohort = services.cohort_create(
            cohort=form.save(commit=False), facilitators=data["facilitators"], peer_mentors=data["peer_mentors"]
        )
        return f"{cohort} created. Add its sessions and enrol residents.", cohort

    context = _offering(
        request,
        form,
        "cohort form",
        back_url=reverse("programme:index"),
        back_text="Back to the programme",
        caption=wing.name,
    )

    return form_page(request, form, act=act, template="programme/cohort_form.html", context=context)


def _cohort(request, pk: int) -> Cohort:
    return get_visible_or_404(Cohort.objects.select_related("wing__establishment"), request.user, pk=pk)


def _approved(cohort: Cohort, user):
    return (
        selectors.waiting_list(wing=cohort.wing, user=user)
        .filter(phase=cohort.phase, status="approved")
        .order_by("referred_on", "pk")
    )


def _cohort_page(request, cohort: Cohort, enrol_form=None) -> dict:
    page = selectors.cohort_page(cohort=cohort, user=request.user)
    enrol_form = enrol_form or EnrolForm(cohort=cohort, entries=_approved(cohort, request.user))
    offered = [entry.resident for entry in enrol_form.fields["entries"].queryset]
    named = [e.resident for e in page["enrolments"]] + page["peer_mentors"] + offered
    named += [mentor for session in page["sessions"] for mentor in session.co_delivered_by.all()]
    record_listing(user=request.user, residents=named, how="cohort page")
    last = max((session.on for session in page["sessions"]), default=cohort.ends_on)
    enrolment_table = EnrolmentTable(page["enrolments"], can_change=request.user.has_perm("programme.change_enrolment"))
    session_table = SessionTable(page["sessions"])
    for table in (enrolment_table, session_table):
        RequestConfig(request, paginate=True).configure(table)
    enrolled = [enrolment.resident for enrolment in page["enrolments"]]
    weekly = selectors.weekly_hours(cohort=cohort, residents=enrolled) if cohort.phase == Phase.PHASE_2 else []
    return {
        "weekly": weekly,
        "enrolment_table": enrolment_table,
        "session_table": session_table,
        "cohort": cohort,
        "enrol_form": enrol_form,
        "setting": PhaseSettings.of(cohort.wing, cohort.phase),
        "holidays_unknown_after": calendar.known_until() if last > calendar.known_until() else None,
        **page,
    }


@refusals_recorded(Cohort)
@require_GET
@permission_required("programme.view_cohort", raise_exception=True)
def cohort_detail(request, pk: int):
    return render(request, "programme/cohort_detail.html", _cohort_page(request, _cohort(request, pk)))


@refusals_recorded(Cohort)
@require_POST
@permission_required("programme.add_enrolment", raise_exception=True)
def cohort_enrol(request, pk: int):
    cohort = _cohort(request, pk)
    form = EnrolForm(request.POST, cohort=cohort, entries=_approved(cohort, request.user))

    def act():
        data = form.cleaned_data
        enrolled = services.cohort_enrol(
            cohort=cohort,
            entries=list(data["entries"].select_related("resident")),
            on=data["on"],
            accept_size=data["accept_size"],
            by=request.user,
        )
        return f"{len(enrolled)} enrolled in {cohort}.", cohort

    return form_page(
        request,
        form,
        act=act,
        template="programme/cohort_detail.html",
        context=lambda: _cohort_page(request, cohort, enrol_form=form),
    )


def _cohort_action(request, pk: int, action, done: str):
    cohort = _cohort(request, pk)
    try:
        action(cohort)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done.format(cohort=cohort))
    return redirect(cohort)


@refusals_recorded(Cohort)
@require_POST
@permission_required("programme.change_cohort", raise_exception=True)
def cohort_start(request, pk: int):
    start = lambda cohort: services.cohort_start(cohort=cohort, by=request.user)  # noqa: E731
    return _cohort_action(request, pk, start, "{cohort} is running: its residents are on the phase from its start.")


@refusals_recorded(Cohort)
@require_POST
@permission_required("programme.change_cohort", raise_exception=True)
def cohort_finish(request, pk: int):
    return _cohort_action(request, pk, lambda cohort: services.cohort_finish(cohort=cohort), "{cohort} has finished.")


# Enrolments: one resident's place in a cohort.


def _enrolment_resident_pk(kwargs: dict) -> int | None:
    return Enrolment.objects.filter(pk=kwargs["pk"]).values_list("resident_id", flat=True).first()


def _enrolment_form(request, pk: int, build, template: str, act):
    """Fetch the enrolment in scope (its resident's own rule included) → bind → service →
    back to the cohort."""
    enrolment = get_visible_or_404(Enrolment.objects.select_related("cohort__wing", "resident"), request.user, pk=pk)
    if enrolment.status != "enrolled":
        messages.error(request, f"{enrolment.resident}'s place in {enrolment.cohort} has already ended.")
        return redirect(enrolment.cohort)
    form = build(enrolment, request.POST or None)
    context = {
        "enrolment": enrolment,
        "back_url": enrolment.cohort.get_absolute_url(),
        "back_text": "Back to the cohort",
        "caption": f"{identity_shown(request.user, enrolment.resident)}, {enrolment.cohort}",
    }
    return form_page(
        request,
        form,
        act=lambda: (act(enrolment, form.cleaned_data), enrolment.cohort),
        template=template,
        context=context,
        shown=shown_about(request, enrolment.resident),
    )


@record_refusals(resident_pk=_enrolment_resident_pk)
@permission_required("programme.change_enrolment", raise_exception=True)
def enrolment_end(request, pk: int):
    def act(enrolment, data):
        if data["outcome"] == "completed":
            services.enrolment_complete(
                enrolment=enrolment,
                ended_on=data["ended_on"],
                by=request.user,
                graduated_on=data["graduated_on"],
                attended_ceremony=data["attended_ceremony"],
            )
        else:
            services.enrolment_withdraw(
                enrolment=enrolment,
                ended_on=data["ended_on"],
                reason=data["reason"],
                justification=data["justification"],
                by=request.user,
            )
        return f"{enrolment.resident}: {enrolment.get_status_display().lower()}."

    build = lambda enrolment, data: EnrolmentEndForm(data)  # noqa: E731
    return _enrolment_form(request, pk, build, "programme/enrolment_end.html", act)


@record_refusals(resident_pk=_enrolment_resident_pk)
@permission_required("programme.change_enrolment", raise_exception=True)
def enrolment_move(request, pk: int):
    def build(enrolment, data):
        cohorts = Cohort.objects.filter(wing=enrolment.cohort.wing, phase=enrolment.phase).exclude(
            status__in=[CohortStatus.FINISHED, CohortStatus.CANCELLED]
        )
        return EnrolmentMoveForm(data, cohorts=cohorts.exclude(pk=enrolment.cohort_id))

    def act(enrolment, data):
        moved = services.enrolment_move(enrolment=enrolment, to=data["to"], on=data["on"], by=request.user)
        return f"{enrolment.resident} moved to {moved.cohort}."

    return _enrolment_form(request, pk, build, "programme/enrolment_move.html", act)


# Sessions and the register.


def _cohort_form(request, pk: int, build, template: str, act):
    """A form about one cohort: bind → service → back to the cohort."""
    cohort = _cohort(request, pk)
    form = build(cohort, request.POST or None)

    context = _offering(
        request,
        form,
        "cohort form",
        cohort=cohort,
        back_url=cohort.get_absolute_url(),
        back_text="Back to the cohort",
        caption=str(cohort),
    )

    return form_page(
        request, form, act=lambda: (act(cohort, form.cleaned_data, form), cohort), template=template, context=context
    )


@refusals_recorded(Cohort)
@permission_required("programme.add_session", raise_exception=True)
def sessions_plan(request, pk: int):
    def act(cohort, data, form):
        sessions = services.sessions_generate(cohort=cohort, **data)
        moved = sum(1 for session in sessions if session.moved_from)
        note = f" {moved} moved to the end because of a bank holiday." if moved else ""
        return f"{len(sessions)} sessions added.{note}"

    build = lambda cohort, data: SessionsPlanForm(data)  # noqa: E731
    return _cohort_form(request, pk, build, "programme/sessions_plan.html", act)


@refusals_recorded(Cohort)
@permission_required("programme.add_session", raise_exception=True)
def session_add(request, pk: int):
    def act(cohort, data, form):
        session = services.session_add(session=form.save(commit=False), catch_up_for=data["catch_up_for"])
        return f"Session on {session.on:%-d %B %Y} added."

    build = lambda cohort, data: SessionForm(data, cohort=cohort, user=request.user)  # noqa: E731
    return _cohort_form(request, pk, build, "programme/session_form.html", act)


def _session(request, pk: int) -> Session:
    return get_visible_or_404(Session.objects.select_related("cohort__wing__establishment"), request.user, pk=pk)


@refusals_recorded(Session)
@permission_required("programme.view_attendance", raise_exception=True)
def session_detail(request, pk: int):
    """The register: the whole cohort in one form, and every correction beside it."""
    session = _session(request, pk)
    if request.method == "POST" and not request.user.has_perm("programme.add_attendance"):
        raise PermissionDenied
    residents = selectors.register_residents(session=session, user=request.user)
    mentors = mentors_on(session.cohort.wing, request.user).order_by("pseudonym")
    form = RegisterForm(
        request.POST or None,
        instance=session,
        residents=residents,
        marks=selectors.register_marks(session=session),
        mentors=mentors,
    )

    def act():
        rows = [services.MarkEntry(**row) for row in form.rows(all_attended=RegisterForm.ALL_ATTENDED in request.POST)]
        changed = services.register_save(
            session=session,
            rows=rows,
            co_delivered_by=form.cleaned_data["co_delivered_by"],
            version=form.opened_version,
            by=request.user,
        )
        return f"Register saved: {changed} mark{'s' if changed != 1 else ''} recorded or changed.", session

    def context():
        changes = selectors.corrections(session=session, user=request.user)
        record_listing(user=request.user, residents=residents + list(mentors), how="session register")
        return {
            "session": session,
            "cohort": session.cohort,
            "residents": residents,
            "changes": changes,
            "today": timezone.localdate(),
        }

    return form_page(request, form, act=act, template="programme/session_detail.html", context=context)


@refusals_recorded(Session)
@permission_required("programme.change_session", raise_exception=True)
def session_cancel(request, pk: int):
    session = _session(request, pk)
    form = SessionCancelForm(request.POST or None, instance=session)

    def act():
        data = form.cleaned_data
        services.session_cancel(
            session=session, reason=data["cancel_reason"], note=data["cancel_note"], version=form.opened_version
        )
        return f"The session on {session.on:%-d %B %Y} is cancelled.", session.cohort

    context = {
        "session": session,
        "back_url": session.get_absolute_url(),
        "back_text": "Back to the session",
        "caption": str(session.cohort),
    }
    return form_page(request, form, act=act, template="programme/session_cancel.html", context=context)


@refusals_recorded(Session)
@require_POST
@permission_required("programme.change_session", raise_exception=True)
def session_reinstate(request, pk: int):
    session = _session(request, pk)
    try:
        services.session_reinstate(session=session, version=session.version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The session on {session.on:%-d %B %Y} is back on.")
    return redirect(session)


# Meetings, actions, suggestions and "You said, we did".


@require_GET
@permission_required("programme.view_meeting", raise_exception=True)
def meeting_list(request):
    wing = wings.current_wing_or_404(request)
    filtered = MeetingFilter(request.GET, queryset=selectors.meetings_on(wing=wing, user=request.user))
    table = MeetingTable(filtered.qs)
    RequestConfig(request, paginate=True).configure(table)
    return render(request, "programme/meeting_list.html", {"wing": wing, "filter": filtered, "table": table})


@permission_required("programme.add_meeting", raise_exception=True)
def meeting_add(request):
    wing = wings.current_wing_or_404(request)
    form = MeetingForm(request.POST or None, wing=wing, user=request.user)

    def act():
        data = form.cleaned_data
        meeting = services.meeting_record(
            meeting=form.save(commit=False),
            staff_present=data["staff_present"],
            attendees=data["residents_there"],
            peer_mentors=data["mentors_there"],
            by=request.user,
        )
        return f"{meeting} recorded.", meeting

    context = _offering(
        request,
        form,
        "meeting form",
        back_url=reverse("programme:meetings"),
        back_text="Back to meetings",
        caption=wing.name,
    )

    return form_page(request, form, act=act, template="programme/meeting_form.html", context=context)


def _meeting(request, pk: int) -> Meeting:
    return get_visible_or_404(Meeting.objects.select_related("wing__establishment"), request.user, pk=pk)


@refusals_recorded(Meeting)
@require_GET
@permission_required("programme.view_meeting", raise_exception=True)
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    page = selectors.meeting_page(meeting=meeting, user=request.user)
    action_form = (
        ActionForm(meeting=meeting, user=request.user) if request.user.has_perm("programme.add_action") else None
    )
    named = page["named"] + (list(offered_in(action_form)) if action_form else [])
    record_listing(user=request.user, residents=named, how="meeting page")
    return render(request, "programme/meeting_detail.html", {"meeting": meeting, "action_form": action_form, **page})


@refusals_recorded(Meeting)
@permission_required("programme.change_meeting", raise_exception=True)
def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting, wing=meeting.wing, user=request.user)

    def act():
        data = form.cleaned_data
        services.meeting_update(
            meeting=form.save(commit=False),
            version=form.opened_version,
            staff_present=data["staff_present"],
            attendees=data["residents_there"],
            peer_mentors=data["mentors_there"],
        )
        return f"{meeting} saved.", meeting

    context = _offering(
        request,
        form,
        "meeting form",
        back_url=meeting.get_absolute_url(),
        back_text="Back to the meeting",
        caption=str(meeting),
    )

    return form_page(request, form, act=act, template="programme/meeting_form.html", context=context)


@refusals_recorded(Meeting)
@require_POST
@permission_required("programme.add_action", raise_exception=True)
def action_add(request, pk: int):
    meeting = _meeting(request, pk)
    form = ActionForm(request.POST, meeting=meeting, user=request.user)

    def act():
        services.action_add(action=form.save(commit=False))
        return "Action added.", meeting

    def context():
        page = selectors.meeting_page(meeting=meeting, user=request.user)
        record_listing(user=request.user, residents=page["named"] + list(offered_in(form)), how="meeting page")
        return {"meeting": meeting, "action_form": form, **page}

    return form_page(request, form, act=act, template="programme/meeting_detail.html", context=context)


@refusals_recorded(Action)
@permission_required("programme.change_action", raise_exception=True)
def action_review(request, pk: int):
    """Review an action; reached from a later meeting of the same kind, it is reviewed there."""
    action = get_visible_or_404(Action.objects.select_related("meeting__wing"), request.user, pk=pk)
    at = selectors.meeting_for_review(action=action, pk=request.GET.get("at"), user=request.user)
    form = ActionReviewForm(
        request.POST or None, instance=action, initial={"status": action.status, "done_on": action.done_on}
    )

    def act():
        data = form.cleaned_data
        services.action_review(
            action=action, status=data["status"], done_on=data["done_on"], at=at, version=form.opened_version
        )
        return "Action reviewed.", at or action.meeting

    back = at or action.meeting
    context = {
        "action": action,
        "back_url": back.get_absolute_url(),
        "back_text": "Back to the meeting",
        "caption": str(action.meeting),
    }
    return form_page(request, form, act=act, template="programme/action_review.html", context=context)


@require_GET
@permission_required("programme.view_suggestion", raise_exception=True)
def suggestion_list(request):
    wing = wings.current_wing_or_404(request)
    table = SuggestionTable(selectors.suggestions_on(wing=wing, user=request.user), user=request.user)
    RequestConfig(request, paginate=True).configure(table)
    named = [row.record.resident for row in table.page.object_list if row.record.resident_id]
    record_listing(user=request.user, residents=named, how="suggestions")
    return render(request, "programme/suggestion_list.html", {"wing": wing, "table": table})


@permission_required("programme.add_suggestion", raise_exception=True)
def suggestion_add(request):
    wing = wings.current_wing_or_404(request)
    form = SuggestionForm(request.POST or None, wing=wing, user=request.user)

    def act():
        services.suggestion_add(suggestion=form.save(commit=False))
        return "Suggestion recorded. Take it to a meeting to answer it.", "programme:suggestions"

    context = _offering(
        request,
        form,
        "suggestion form",
        back_url=reverse("programme:suggestions"),
        back_text="Back to suggestions",
        caption=wing.name,
    )

    return form_page(request, form, act=act, template="programme/suggestion_form.html", context=context)


@refusals_recorded(Suggestion)
@permission_required("programme.change_suggestion", raise_exception=True)
def suggestion_answer(request, pk: int):
    suggestion = get_visible_or_404(Suggestion.objects.select_related("wing"), request.user, pk=pk)
    form = SuggestionAnswerForm(request.POST or None, instance=suggestion)

    def act():
        services.suggestion_answer(suggestion=form.save(commit=False), version=form.opened_version)
        return "Answer saved.", "programme:suggestions"

    context = {
        "suggestion": suggestion,
        "back_url": reverse("programme:suggestions"),
        "back_text": "Back to suggestions",
        "caption": str(suggestion),
    }
    return form_page(request, form, act=act, template="programme/suggestion_answer.html", context=context)


@require_GET
@permission_required("programme.view_suggestion", raise_exception=True)
def you_said_we_did(request):
    """The notice board: answered suggestions in plain words, newest first, naming no one."""
    wing = wings.current_wing_or_404(request)
    board = selectors.you_said_we_did(wing=wing)
    return render(request, "programme/you_said_we_did.html", {"wing": wing, "board": board})


# Community projects.


@require_GET
@permission_required("programme.view_project", raise_exception=True)
def project_list(request):
    wing = wings.current_wing_or_404(request)
    table = ProjectTable(selectors.projects_on(wing=wing, user=request.user))
    RequestConfig(request, paginate=True).configure(table)
    target = PhaseSettings.of(wing, Phase.PHASE_2).weekly_hours
    return render(request, "programme/project_list.html", {"wing": wing, "table": table, "target": target})


@permission_required("programme.add_project", raise_exception=True)
def project_add(request):
    wing = wings.current_wing_or_404(request)
    form = ProjectForm(request.POST or None, wing=wing)

    def act():
        project = services.project_add(project=form.save(commit=False))
        return f"{project} added.", project

    context = {"back_url": reverse("programme:projects"), "back_text": "Back to projects", "caption": wing.name}
    return form_page(request, form, act=act, template="programme/project_form.html", context=context)


def _project(request, pk: int) -> Project:
    return get_visible_or_404(Project.objects.select_related("wing__establishment"), request.user, pk=pk)


@refusals_recorded(Project)
@permission_required("programme.view_project", raise_exception=True)
def project_detail(request, pk: int):
    """A project's hours by resident, and the form to log more."""
    project = _project(request, pk)
    if request.method == "POST" and not request.user.has_perm("programme.add_projecthours"):
        raise PermissionDenied
    form = HoursForm(request.POST or None, project=project, user=request.user)

    def act():
        entry = services.hours_log(entry=form.save(commit=False), by=request.user)
        return f"{entry.hours} hours logged for {entry.resident}.", project

    def context():
        page = selectors.project_page(project=project, user=request.user)
        named = [row.resident for row in page["latest"]] + list(offered_in(form))
        record_listing(user=request.user, residents=named, how="project page")
        return {"project": project, **page}

    return form_page(request, form, act=act, template="programme/project_detail.html", context=context)


@refusals_recorded(Project)
@permission_required("programme.change_project", raise_exception=True)
def project_edit(request, pk: int):
    project = _project(request, pk)
    form = ProjectForm(request.POST or None, instance=project, wing=project.wing)

    def act():
        services.project_update(project=form.save(commit=False), version=form.opened_version)
        return f"{project} saved.", project

    context = {"back_url": project.get_absolute_url(), "back_text": "Back to the project", "caption": str(project)}
    return form_page(request, form, act=act, template="programme/project_form.html", context=context)


def _hours_resident_pk(kwargs: dict) -> int | None:
    return ProjectHours.objects.filter(pk=kwargs["pk"]).values_list("resident_id", flat=True).first()


@record_refusals(resident_pk=_hours_resident_pk)
@permission_required("programme.delete_projecthours", raise_exception=True)
def hours_remove(request, pk: int):
    """Asks first (GET), then removes (POST): hours logged in error, to be logged again."""
    entry = get_visible_or_404(ProjectHours.objects.select_related("project", "resident"), request.user, pk=pk)
    # Nothing to fill in: the button confirms, so an empty POST is the answer.
    form = forms.Form(request.POST if request.method == "POST" else None)

    def act():
        services.hours_remove(entry=entry)
        return f"{entry.hours} hours of {entry.on:%-d %B %Y} removed from {entry.resident}.", entry.project

    return form_page(
        request,
        form,
        act=act,
        template="programme/hours_remove.html",
        context={"entry": entry},
        shown=shown_about(request, entry.resident),
    )
