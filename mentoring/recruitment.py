"""Recruitment pages: open a round, add candidates, record residents' nominations and
endorsements, score interviews on the study's criteria, decide, close."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hamlet import wings
from hamlet.access import get_visible_or_404
from hamlet.forms import attach_errors
from hamlet.versions import StaleEdit
from mentoring import services
from mentoring.forms import CandidateForm, DecisionForm, InterviewForm, NominationForm, RoundForm
from mentoring.models import Candidate, Interview, Nomination, RecruitmentRound
from residents.audit import record_access, record_listing, record_refusals
from residents.models import Resident
from residents.selectors import visible_ids


@require_GET
@permission_required("mentoring.view_recruitmentround", raise_exception=True)
def round_list(request):
    wing = wings.current_wing_or_404(request)
    rounds = (
        RecruitmentRound.objects.visible_to(request.user)
        .filter(wing=wing)
        .select_related("role")
        # Candidates whose records are limited to other staff are not counted either.
        .annotate(
            candidate_count=Count(
                "candidates", filter=Q(candidates__resident__in=Resident.objects.visible_to(request.user))
            )
        )
    )
    return render(request, "mentoring/round_list.html", {"wing": wing, "rounds": rounds})


@permission_required("mentoring.add_recruitmentround", raise_exception=True)
def round_add(request):
    wing = wings.current_wing_or_404(request)
    form = RoundForm(request.POST or None, wing=wing)
    if request.method == "POST" and form.is_valid():
        recruitment = form.save(commit=False)
        recruitment.wing, recruitment.opened_by = wing, request.user
        recruitment.save()
        messages.success(request, f"Recruitment to {recruitment.role} is open.")
        return redirect(recruitment)
    return render(request, "mentoring/round_form.html", {"form": form, "wing": wing})


def _round(request, pk: int) -> RecruitmentRound:
    return get_visible_or_404(
        RecruitmentRound.objects.select_related("role", "wing__establishment"), request.user, pk=pk
    )


def _round_page(request, recruitment, candidate_form=None, nomination_form=None, status=200):
    candidates = recruitment.candidates.visible_to(request.user).select_related("resident", "interview")
    candidates = candidates.prefetch_related(
        Prefetch("nominations", queryset=Nomination.objects.select_related("by")),
        Prefetch("interview__interviewers"),
    )
    candidates = list(candidates)
    # Residents' voices stay anonymous where the voice's own record is limited to other staff.
    voice_ids = {voice.by_id for candidate in candidates for voice in candidate.nominations.all()}
    visible = visible_ids(request.user, voice_ids)
    for candidate in candidates:
        for voice in candidate.nominations.all():
            voice.shown_by = voice.by.pseudonym if voice.by_id in visible else "another resident"
    named = {candidate.resident for candidate in candidates}
    named |= {voice.by for candidate in candidates for voice in candidate.nominations.all() if voice.by_id in visible}
    record_listing(user=request.user, residents=list(named), how="recruitment round page")
    context = {
        "round": recruitment,
        "candidates": candidates,
        "candidate_form": candidate_form or CandidateForm(round=recruitment, user=request.user),
        "nomination_form": nomination_form or NominationForm(round=recruitment, user=request.user),
    }
    return render(request, "mentoring/round_detail.html", context, status=status)


@require_GET
@permission_required("mentoring.view_recruitmentround", raise_exception=True)
def round_detail(request, pk: int):
    return _round_page(request, _round(request, pk))


def _round_form(request, pk: int, form_class, slot: str, act):
    """One of the round page's two forms: bind → call the service → back to the round, or
    the round page again with this form's errors in its ``slot``."""
    recruitment = _round(request, pk)
    form = form_class(request.POST, round=recruitment, user=request.user)
    if form.is_valid():
        try:
            message = act(recruitment, form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(recruitment)
    return _round_page(request, recruitment, **{slot: form})


@require_POST
@permission_required("mentoring.add_candidate", raise_exception=True)
def candidate_add(request, pk: int):
    def act(recruitment, data):
        candidate = services.candidate_add(round=recruitment, **data)
        return f"{candidate.resident} is a candidate."

    return _round_form(request, pk, CandidateForm, "candidate_form", act)


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


def _candidate(request, pk: int, candidate_pk: int) -> Candidate:
    return get_visible_or_404(
        Candidate.objects.select_related("resident", "round__role", "round__wing"),
        request.user,
        pk=candidate_pk,
        round_id=pk,
    )


@record_refusals(resident_pk=_candidate_resident_pk)
@permission_required("mentoring.add_interview", raise_exception=True)
def interview(request, pk: int, candidate_pk: int):
    candidate = _candidate(request, pk, candidate_pk)
    staff = (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__establishments=candidate.round.wing.establishment_id)
        .order_by("first_name")
    )
    instance = Interview.objects.filter(candidate=candidate).first() or Interview(candidate=candidate)
    form = InterviewForm(
        request.POST or None, instance=instance, staff=staff, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_save(
                interview=form.save(commit=False),
                interviewers=form.cleaned_data["interviewers"],
                version=form.opened_version,
            )
        except StaleEdit:
            form.refuse_stale_edit()
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, f"Interview scores saved for {candidate.resident}.")
            return redirect(candidate.round)
    record_access(user=request.user, resident=candidate.resident, how="interview form")
    return render(request, "mentoring/interview_form.html", {"form": form, "candidate": candidate})


@record_refusals(resident_pk=_candidate_resident_pk)
@permission_required("mentoring.change_candidate", raise_exception=True)
def decide(request, pk: int, candidate_pk: int):
    candidate = _candidate(request, pk, candidate_pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_decide(candidate=candidate, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, f"{candidate.resident}: {candidate.get_decision_display().lower()}.")
            return redirect(candidate.round)
    record_access(user=request.user, resident=candidate.resident, how="decision form")
    return render(request, "mentoring/decision_form.html", {"form": form, "candidate": candidate})


@permission_required("mentoring.change_recruitmentround", raise_exception=True)
def round_close(request, pk: int):
    """Asks first (GET), then closes (POST): a closed round cannot be reopened."""
    recruitment = _round(request, pk)
    if request.method != "POST":
        waiting = list(recruitment.candidates.visible_to(request.user).filter(decision="").select_related("resident"))
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
