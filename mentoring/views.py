from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from hamlet import wings
from hamlet.access import get_visible_or_404, identity_shown
from hamlet.forms import form_page
from hamlet.spreadsheets import EXPORT_FORMATS, spreadsheet_response
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
from mentoring.models import MentorContact, MentoringSettings, PeerRole, RoleHolding, mentor_url
from mentoring.resources import TrainingExportResource
from mentoring.selectors import holds_a_role, mentor_page, mentor_workload, mentors_on, training_on
from mentoring.tables import PeerRoleTable, WorkloadTable
from residents.audit import offered_in, record_listing, record_refusals, shown_about
from residents.models import Resident


@require_GET
@permission_required("mentoring.view_peerrole", raise_exception=True)
def role_catalogue(request):
    """The peer involvement roles of the current wing's establishment, as Appendix 2."""
    wing = wings.current_wing_or_404(request)
    roles = PeerRoleTable(PeerRole.objects.visible_to(request.user).filter(establishment=wing.establishment_id))
    roles.caption = f"Peer involvement roles at {wing.establishment.name}"
    RequestConfig(request, paginate=True).configure(roles)
    mentors = list(mentors_on(wing, request.user)) if request.user.has_perm("mentoring.view_mentorcontact") else []
    record_listing(user=request.user, residents=mentors, how="mentors list")
    return render(request, "mentoring/peerrole_list.html", {"wing": wing, "table": roles, "mentors": mentors})


@require_GET
@permission_required("mentoring.view_workload", raise_exception=True)
def workload(request):
    wing = wings.current_wing_or_404(request)
    today = timezone.localdate()
    rules = MentoringSettings.for_wing(wing)
    loads = mentor_workload(wing, request.user, today, rules)
    table = WorkloadTable(loads, empty_text=f"No one on {wing.name} holds a CFO peer role at the moment.")
    RequestConfig(request, paginate=True).configure(table)
    shown = [row.record.mentor for row in table.page.object_list]
    record_listing(user=request.user, residents=shown, how="workload page")
    context = {"wing": wing, "loads": loads, "table": table, "rules": rules, "today": today}
    return render(request, "mentoring/workload.html", context)


def _mentor(request, pk: int) -> Resident:
    return get_visible_or_404(Resident.objects.select_related("wing__establishment"), request.user, pk=pk)


def _not_on_a_wing(request, resident: Resident):
    """A person referred onto the wing, not on it yet: peer roles, training and contacts are
    recorded once they have moved onto it; back to their own page, which says so."""
    messages.error(request, f"{resident} is not on a wing yet, so mentoring is recorded once they have moved onto it.")
    return redirect(resident)


@record_refusals
@permission_required("mentoring.view_mentorcontact", raise_exception=True)
def mentor_detail(request, pk: int):
    """A mentor's page: roles, training, supervision, contacts, and the quick contact form."""
    mentor = _mentor(request, pk)
    if request.method == "POST" and not request.user.has_perm("mentoring.add_mentorcontact"):
        raise PermissionDenied
    if not mentor.on_a_wing:
        return _not_on_a_wing(request, mentor)
    form = ContactForm(request.POST or None, mentor=mentor, user=request.user)

    def act():
        contact = form.save(commit=False)
        contact.recorded_by = request.user
        services.contact_log(contact=contact, work_out_hours="out_of_hours" not in form.changed_data)
        return f"Contact logged for {mentor}.", mentor_url(mentor)

    return form_page(
        request,
        form,
        act=act,
        template="mentoring/mentor_detail.html",
        context=lambda: _mentor_page(request, mentor, form),
        shown=shown_about(request, mentor, "mentor page"),
    )


def _mentor_page(request, mentor, form) -> dict:
    page = mentor_page(mentor=mentor, user=request.user)
    # The mentees named beside their contacts, and offered in the form, are shown too.
    mentees = {contact.mentee for contact in page["contacts"] if contact.mentee} | offered_in(form)
    record_listing(user=request.user, residents=list(mentees), how="mentees on a mentor page")
    return {"mentor": mentor, **page}


def _mentor_form(request, pk: int, build, template: str, act, *, for_mentors: bool = False):
    """Fetch the mentor in scope → ``build(mentor, data)`` binds the form → ``act(mentor, form)``
    calls the service → back to the mentor page. ``for_mentors``: the form is offered only
    while the resident holds a peer role."""
    mentor = _mentor(request, pk)
    if not mentor.on_a_wing:
        return _not_on_a_wing(request, mentor)
    if for_mentors and not holds_a_role(mentor, timezone.localdate()):
        messages.error(request, f"{mentor} holds no peer role now, so this cannot be recorded.")
        return redirect(mentor_url(mentor))
    form = build(mentor, request.POST or None)
    context = {
        "mentor": mentor,
        "back_url": mentor_url(mentor),
        "back_text": "Back to the mentor",
        "caption": identity_shown(request.user, mentor),
    }

    def shown():
        shown_about(request, mentor)()
        # A form that offers residents (a mentee) names them too.
        record_listing(user=request.user, residents=list(offered_in(form)), how="offered on a mentor's form")

    return form_page(
        request,
        form,
        act=lambda: (act(mentor, form), mentor_url(mentor)),
        template=template,
        context=context,
        shown=shown,
    )


def _correctable_contact(request, mentor: Resident, contact_pk: int) -> MentorContact:
    """One of the mentor's contacts, if it is the user's to correct (theirs, or they are a custody manager)."""
    contact = get_object_or_404(mentor.mentor_contacts.select_related("mentee"), pk=contact_pk)
    if not contact.correctable_by(request.user):
        raise PermissionDenied
    return contact


@record_refusals
@permission_required("mentoring.change_mentorcontact", raise_exception=True)
def contact_edit(request, pk: int, contact_pk: int):
    def build(mentor, data):
        contact = _correctable_contact(request, mentor, contact_pk)
        return ContactForm(data, instance=contact, mentor=mentor, user=request.user)

    def act(mentor, form):
        contact = services.contact_update(contact=form.save(commit=False), version=form.opened_version, by=request.user)
        return f"Contact of {timezone.localtime(contact.occurred_at):%-d %B %Y, %H:%M} updated for {mentor}."

    return _mentor_form(request, pk, build, "mentoring/contact_form.html", act)


@record_refusals
@permission_required("mentoring.delete_mentorcontact", raise_exception=True)
def contact_remove(request, pk: int, contact_pk: int):
    """Asks first (GET), then removes (POST)."""
    mentor = _mentor(request, pk)
    contact = _correctable_contact(request, mentor, contact_pk)
    # Nothing to fill in: the button confirms, so an empty POST is the answer.
    form = forms.Form(request.POST if request.method == "POST" else None)
    # The person helped is named only to those who may see them (as on the mentor page).
    mentee = Resident.objects.visible_to(request.user).filter(pk=contact.mentee_id).first()

    def act():
        services.contact_remove(contact=contact, by=request.user)
        when = timezone.localtime(contact.occurred_at)
        return f"The contact of {when:%-d %B %Y, %H:%M} is removed from {mentor}'s record.", mentor_url(mentor)

    def shown():
        shown_about(request, mentor)()
        record_listing(user=request.user, residents=[mentee] if mentee else [], how="mentee of a contact")

    context = {"mentor": mentor, "contact": contact, "mentee": mentee}
    return form_page(request, form, act=act, template="mentoring/contact_remove.html", context=context, shown=shown)


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
@require_POST
@permission_required("mentoring.change_supervisionsession", raise_exception=True)
def hand_back_dealt_with(request, pk: int, session_pk: int):
    """What a mentor handed back at a supervision session has been dealt with: it leaves the
    mentor page's and the workload page's to-do (the session keeps it, with who and when)."""
    mentor = _mentor(request, pk)
    session = get_object_or_404(mentor.supervision_sessions, pk=session_pk)
    try:
        services.hand_back_dealt_with(session=session, by=request.user, on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"What {mentor} handed back on {session.held_on:%-d %B %Y} is marked as dealt with.")
    return redirect(mentor_url(mentor))


@record_refusals
@permission_required("mentoring.add_trainingrecord", raise_exception=True)
def training_add(request, pk: int):
    def act(mentor, form):
        record = services.training_record_add(record=form.save(commit=False), resident=mentor)
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
        services.next_step_add(step=form.save(commit=False), resident=mentor, by=request.user)
        return f"Next step recorded for {mentor}."

    build = lambda mentor, data: NextStepForm(data, resident=mentor)  # noqa: E731
    return _mentor_form(request, pk, build, "mentoring/next_step_form.html", act, for_mentors=True)


@permission_required("mentoring.change_mentoringsettings", raise_exception=True)
def settings_edit(request):
    wing = wings.current_wing_or_404(request)
    form = MentoringSettingsForm(request.POST or None, instance=MentoringSettings.for_wing(wing))

    def act():
        services.mentoring_settings_save(settings=form.save(commit=False), version=form.opened_version)
        return f"Mentoring settings for {wing.name} saved.", "mentoring:workload"

    return form_page(request, form, act=act, template="mentoring/settings_form.html", context={"wing": wing})


@require_GET
@permission_required("mentoring.view_trainingrecord", raise_exception=True)
def training_export(request, fmt: str):
    """Every training record of the current wing's residents, for accreditation evidence."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    records = training_on(wing=wings.current_wing_or_404(request), user=request.user)
    record_listing(user=request.user, residents=list({record.resident for record in records}), how=f"training {fmt}")
    return spreadsheet_response(TrainingExportResource().export(queryset=records), fmt=fmt, name="training")
