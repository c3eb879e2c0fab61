from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hamlet import wings
from hamlet.access import get_visible_or_404
from hamlet.forms import attach_errors
from hamlet.spreadsheets import EXPORT_FORMATS, spreadsheet_response
from hamlet.versions import StaleEdit
from mentoring import services
from mentoring.forms import (
    ContactForm,
    HoldingEndForm,
    HoldingStartForm,
    MentoringSettingsForm,
    NextStepForm,
    SupervisionForm,
    TrainingForm,
)
from mentoring.models import MentoringSettings, PeerRole, RoleHolding, TrainingRecord, mentor_url
from mentoring.resources import TrainingExportResource
from mentoring.selectors import holds_a_role, mentor_workload, mentors_on
from residents.audit import record_access, record_listing, record_refusals
from residents.models import Resident
from residents.selectors import visible_ids


@require_GET
@permission_required("mentoring.view_peerrole", raise_exception=True)
def role_catalogue(request):
    """The peer involvement roles of the current wing's establishment, as Appendix 2."""
    wing = wings.current_wing_or_404(request)
    roles = PeerRole.objects.visible_to(request.user).filter(establishment=wing.establishment_id)
    mentors = list(mentors_on(wing, request.user)) if request.user.has_perm("mentoring.view_mentorcontact") else []
    record_listing(user=request.user, residents=mentors, how="mentors list")
    return render(request, "mentoring/peerrole_list.html", {"wing": wing, "roles": roles, "mentors": mentors})


@require_GET
@permission_required("mentoring.view_workload", raise_exception=True)
def workload(request):
    wing = wings.current_wing_or_404(request)
    today = timezone.localdate()
    rules = MentoringSettings.for_wing(wing)
    loads = mentor_workload(wing, request.user, today, rules)
    record_listing(user=request.user, residents=[load.mentor for load in loads], how="workload page")
    context = {"wing": wing, "loads": loads, "rules": rules, "today": today}
    return render(request, "mentoring/workload.html", context)


def _mentor(request, pk: int) -> Resident:
    return get_visible_or_404(Resident.objects.select_related("wing__establishment"), request.user, pk=pk)


@record_refusals
@permission_required("mentoring.view_mentorcontact", raise_exception=True)
def mentor_detail(request, pk: int):
    """A mentor's page: roles, training, supervision, contacts, and the quick contact form."""
    mentor = _mentor(request, pk)
    form = ContactForm(request.POST or None, mentor=mentor, user=request.user)
    if request.method == "POST":
        if not request.user.has_perm("mentoring.add_mentorcontact"):
            raise PermissionDenied
        if form.is_valid():
            contact = form.save(commit=False)
            contact.recorded_by = request.user
            try:
                services.contact_log(contact=contact)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, f"Contact logged for {mentor}.")
                return redirect(mentor_url(mentor))
    record_access(user=request.user, resident=mentor, how="mentor page")
    training = list(mentor.training.select_related("qualification", "provider"))
    context = {
        "mentor": mentor,
        "form": form,
        "holdings": list(mentor.role_holdings.select_related("role")),
        "pathway": list(PeerRole.objects.filter(establishment=mentor.establishment_id).pathway()),
        "training": training,
        # Accreditation evidence counts hours of training achieved.
        "learning_hours": sum((r.learning_hours for r in training if r.status == "achieved"), Decimal(0)),
        "supervision": list(mentor.supervision_sessions.select_related("supervisor")[:10]),
        "next_step": mentor.next_steps.select_related("target_role", "recorded_by").first(),
        # A mentor's forms are offered only while they hold a peer role.
        "is_mentor": holds_a_role(mentor, timezone.localdate()),
        "contacts": _hide_unseen_mentees(list(mentor.mentor_contacts.select_related("mentee")[:20]), request.user),
    }
    return render(request, "mentoring/mentor_detail.html", context)


def _hide_unseen_mentees(contacts: list, user) -> list:
    """A mentee whose record is limited to other staff is not named to this user."""
    mentee_ids = {contact.mentee_id for contact in contacts if contact.mentee_id}
    visible = visible_ids(user, mentee_ids)
    for contact in contacts:
        if contact.mentee_id not in visible:
            contact.mentee = None
    return contacts


def _mentor_form(request, pk: int, build, template: str, act, *, for_mentors: bool = False):
    """Fetch the mentor in scope → bind → call the service → back to the mentor page.
    ``for_mentors``: the form is offered only while the resident holds a peer role."""
    mentor = _mentor(request, pk)
    if for_mentors and not holds_a_role(mentor, timezone.localdate()):
        messages.error(request, f"{mentor} holds no peer role now, so this cannot be recorded.")
        return redirect(mentor_url(mentor))
    form = build(mentor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = act(mentor, form)
        except ValidationError as error:
            attach_errors(form, error)
        except StaleEdit:
            form.refuse_stale_edit()
        else:
            messages.success(request, message)
            return redirect(mentor_url(mentor))
    record_access(user=request.user, resident=mentor, how=request.resolver_match.view_name)
    return render(request, template, {"form": form, "mentor": mentor})


@record_refusals
@permission_required("mentoring.add_supervisionsession", raise_exception=True)
def supervision_add(request, pk: int):
    def act(mentor, form):
        session = form.save(commit=False)
        session.mentor, session.supervisor = mentor, request.user
        services.supervision_record(session=session)
        return f"Supervision recorded for {mentor}. Next due {session.next_due:%-d %B %Y}."

    def build(mentor, data):
        interval = MentoringSettings.for_wing(mentor.wing).supervision_interval_days
        today = timezone.localdate()
        initial = {"held_on": today, "next_due": today + timedelta(days=interval)}
        return SupervisionForm(data, initial=initial, mentor=mentor)

    return _mentor_form(request, pk, build, "mentoring/supervision_form.html", act, for_mentors=True)


@record_refusals
@permission_required("mentoring.change_supervisionsession", raise_exception=True)
def supervision_edit(request, pk: int, session_pk: int):
    def build(mentor, data):
        session = get_object_or_404(mentor.supervision_sessions, pk=session_pk)
        return SupervisionForm(data, instance=session, mentor=mentor)

    def act(mentor, form):
        session = services.supervision_update(session=form.save(commit=False), version=form.opened_version)
        return f"Supervision of {session.held_on:%-d %B %Y} updated for {mentor}."

    return _mentor_form(request, pk, build, "mentoring/supervision_form.html", act)


@record_refusals
@permission_required("mentoring.add_trainingrecord", raise_exception=True)
def training_add(request, pk: int):
    def act(mentor, form):
        record = form.save(commit=False)
        record.resident = mentor
        record.full_clean()
        record.save()
        return f"{record.qualification} recorded for {mentor}."

    return _mentor_form(request, pk, lambda mentor, data: TrainingForm(data), "mentoring/training_form.html", act)


@record_refusals
@permission_required("mentoring.add_roleholding", raise_exception=True)
def holding_start(request, pk: int):
    def act(mentor, form):
        holding = services.role_holding_start(resident=mentor, **form.cleaned_data)
        return f"{mentor} now holds the role {holding.role}."

    build = lambda mentor, data: HoldingStartForm(data, resident=mentor)  # noqa: E731
    return _mentor_form(request, pk, build, "mentoring/holding_start.html", act)


@record_refusals
@permission_required("mentoring.change_roleholding", raise_exception=True)
def holding_end(request, pk: int, holding_pk: int):
    holding = get_visible_or_404(
        RoleHolding.objects.select_related("role", "resident"), request.user, pk=holding_pk, resident_id=pk
    )

    def act(mentor, form):
        services.role_holding_end(holding=holding, **form.cleaned_data)
        return f"{mentor} no longer holds the role {holding.role}."

    return _mentor_form(request, pk, lambda mentor, data: HoldingEndForm(data), "mentoring/holding_end.html", act)


@record_refusals
@permission_required("mentoring.add_nextstep", raise_exception=True)
def next_step_add(request, pk: int):
    def act(mentor, form):
        step = form.save(commit=False)
        step.resident, step.recorded_by, step.recorded_on = mentor, request.user, timezone.localdate()
        services.next_step_record(step=step)
        return f"Next step recorded for {mentor}."

    return _mentor_form(
        request,
        pk,
        lambda mentor, data: NextStepForm(data, resident=mentor),
        "mentoring/next_step_form.html",
        act,
        for_mentors=True,
    )


@permission_required("mentoring.change_mentoringsettings", raise_exception=True)
def settings_edit(request):
    wing = wings.current_wing_or_404(request)
    form = MentoringSettingsForm(request.POST or None, instance=MentoringSettings.for_wing(wing))
    if request.method == "POST" and form.is_valid():
        if form.save_unless_stale():
            messages.success(request, f"Mentoring settings for {wing.name} saved.")
            return redirect("mentoring:workload")
    return render(request, "mentoring/settings_form.html", {"form": form, "wing": wing})


@require_GET
@permission_required("mentoring.view_trainingrecord", raise_exception=True)
def training_export(request, fmt: str):
    """Every training record of the current wing's residents, for accreditation evidence."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    wing = wings.current_wing_or_404(request)
    records = list(
        TrainingRecord.objects.visible_to(request.user)
        .filter(resident__in=Resident.objects.visible_to(request.user).on_wing(wing))
        .select_related("resident", "qualification", "provider")
        .order_by("resident__pseudonym", "-completed_on")
    )
    record_listing(user=request.user, residents=list({record.resident for record in records}), how=f"training {fmt}")
    return spreadsheet_response(TrainingExportResource().export(queryset=records), fmt=fmt, name="training")
