"""Recruitment pages: open a round, add candidates, record residents' nominations and
endorsements, score interviews on the study's criteria, decide, close."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from hamlet import wings
from hamlet.access import get_visible_or_404
from hamlet.audit import refusals_recorded
from hamlet.forms import form_page
from hamlet.selectors import staff_at
from mentoring import services
from mentoring.forms import CandidateForm, DecisionForm, InterviewForm, NominationForm, RoundForm
from mentoring.models import Candidate, Interview, RecruitmentRound
from mentoring.selectors import round_candidates, rounds_on, undecided
from mentoring.tables import RoundTable
from residents.audit import offered_in, record_listing, record_refusals, shown_about


@require_GET
@permission_required("mentoring.view_recruitmentround", raise_exception=True)
def round_list(request):
    wing = wings.current_wing_or_404(request)
    rounds = rounds_on(wing=wing, user=request.user)
    table = RoundTable(rounds)
    RequestConfig(request, paginate=True).configure(table)
    return render(request, "mentoring/round_list.html", {"wing": wing, "rounds": rounds, "table": table})


@permission_required("mentoring.add_recruitmentround", raise_exception=True)
def round_add(request):
    wing = wings.current_wing_or_404(request)
    form = RoundForm(request.POST or None, wing=wing)

    def act():
        recruitment = services.round_open(round=form.save(commit=False), wing=wing, by=request.user)
        return f"Recruitment to {recruitment.role} is open.", recruitment

    return form_page(request, form, act=act, template="mentoring/round_form.html", context={"wing": wing})


def _round(request, pk: int) -> RecruitmentRound:
    return get_visible_or_404(
        RecruitmentRound.objects.select_related("role", "wing__establishment"), request.user, pk=pk
    )


def _round_page(request, recruitment, candidate_form=None, nomination_form=None) -> dict:
    """What the round page shows, recording whom it names."""
    candidates, named = round_candidates(round=recruitment, user=request.user)
    candidate_form = candidate_form or CandidateForm(round=recruitment, user=request.user)
    nomination_form = nomination_form or NominationForm(round=recruitment, user=request.user)
    shown = set(named) | offered_in(candidate_form, nomination_form)
    record_listing(user=request.user, residents=list(shown), how="recruitment round page")
    return {
        "round": recruitment,
        "candidates": candidates,
        "candidate_form": candidate_form,
        "nomination_form": nomination_form,
    }


@refusals_recorded(RecruitmentRound)
@require_GET
@permission_required("mentoring.view_recruitmentround", raise_exception=True)
def round_detail(request, pk: int):
    return render(request, "mentoring/round_detail.html", _round_page(request, _round(request, pk)))


def _round_form(request, pk: int, form_class, slot: str, act):
    """One of the round page's two forms: bind → ``act(recruitment, data)`` calls the service →
    back to the round, or the round page again with this form's errors in its ``slot``."""
    recruitment = _round(request, pk)
    form = form_class(request.POST, round=recruitment, user=request.user)
    return form_page(
        request,
        form,
        act=lambda: (act(recruitment, form.cleaned_data), recruitment),
        template="mentoring/round_detail.html",
        context=lambda: _round_page(request, recruitment, **{slot: form}),
    )


@refusals_recorded(RecruitmentRound)
@require_POST
@permission_required("mentoring.add_candidate", raise_exception=True)
def candidate_add(request, pk: int):
    def act(recruitment, data):
        candidate = services.candidate_add(round=recruitment, **data)
        return f"{candidate.resident} is a candidate."

    return _round_form(request, pk, CandidateForm, "candidate_form", act)


@refusals_recorded(RecruitmentRound)
@require_POST
@permission_required("mentoring.add_nomination", raise_exception=True)
def nomination_add(request, pk: int):
    def act(recruitment, data):
        nomination = services.nomination_add(**data)
        return f"{nomination.get_kind_display()} of {nomination.candidate.resident} recorded."

    return _round_form(request, pk, NominationForm, "nomination_form", act)


def _candidate_resident_pk(kwargs: dict) -> int | None:
    """Who a refused candidate page was about, for the audit trail only."""
    return Candidate.objects.filter(pk=kwargs["candidate_pk"]).values_list("resident_id", flat=True).first()


def _candidate_form(request, pk: int, candidate_pk: int, build, template: str, act, how: str, *, closed=None):
    """Fetch the candidate in scope → ``build(candidate, data)`` binds the form →
    ``act(candidate, form)`` calls the service → back to the round. ``closed(candidate)``
    says why the form is no longer offered, if it is not."""
    candidate = get_visible_or_404(
        Candidate.objects.select_related("resident", "round__role", "round__wing"),
        request.user,
        pk=candidate_pk,
        round_id=pk,
    )
    if closed and (why := closed(candidate)):
        messages.error(request, why)
        return redirect(candidate.round)
    form = build(candidate, request.POST or None)
    back = {"back_url": candidate.round.get_absolute_url(), "back_text": "Back to the round"}
    caption = f"{candidate.round.role.title} recruitment"
    return form_page(
        request,
        form,
        act=lambda: (act(candidate, form), candidate.round),
        template=template,
        context={"candidate": candidate, "caption": caption, **back},
        shown=shown_about(request, candidate.resident, how),
    )


@record_refusals(resident_pk=_candidate_resident_pk)
@permission_required("mentoring.add_interview", raise_exception=True)
def interview(request, pk: int, candidate_pk: int):
    def build(candidate, data):
        instance = Interview.objects.filter(candidate=candidate).first() or Interview(candidate=candidate)
        staff = staff_at(establishment=candidate.round.wing.establishment_id)
        return InterviewForm(data, instance=instance, staff=staff, initial={"held_on": timezone.localdate()})

    def act(candidate, form):
        services.interview_save(
            interview=form.save(commit=False),
            interviewers=form.cleaned_data["interviewers"],
            version=form.opened_version,
        )
        return f"Interview scores saved for {candidate.resident}."

    return _candidate_form(request, pk, candidate_pk, build, "mentoring/interview_form.html", act, "interview form")


@record_refusals(resident_pk=_candidate_resident_pk)
@permission_required("mentoring.change_candidate", raise_exception=True)
def decide(request, pk: int, candidate_pk: int):
    def act(candidate, form):
        services.candidate_decide(candidate=candidate, by=request.user, **form.cleaned_data)
        return f"{candidate.resident}: {candidate.get_decision_display().lower()}."

    build = lambda candidate, data: DecisionForm(data)  # noqa: E731

    def closed(candidate) -> str:
        if candidate.decision:
            decided = candidate.get_decision_display().lower()
            return f"The decision on {candidate.resident} has been recorded: {decided}."
        return ""

    return _candidate_form(
        request, pk, candidate_pk, build, "mentoring/decision_form.html", act, "decision form", closed=closed
    )


@refusals_recorded(RecruitmentRound)
@permission_required("mentoring.change_recruitmentround", raise_exception=True)
def round_close(request, pk: int):
    """Asks first (GET), then closes (POST): a closed round cannot be reopened."""
    recruitment = _round(request, pk)
    if request.method != "POST":
        waiting = undecided(round=recruitment, user=request.user)
        named = [candidate.resident for candidate in waiting]
        record_listing(user=request.user, residents=named, how="close round page")
        return render(request, "mentoring/round_close.html", {"round": recruitment, "waiting": waiting})
    try:
        services.round_close(round=recruitment, closed_on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The round is closed.")
    return redirect(recruitment)
