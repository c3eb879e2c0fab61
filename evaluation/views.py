"""The evaluation pages: the research extract, and the wing's assessment periods with the
instruments recorded for each (the social-capital grid)."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from evaluation import disclosure, grid, instruments, selectors, services
from evaluation import ladder as ladder_rungs
from evaluation.filters import ResearchExtractFilter
from evaluation.forms import (
    CompareForm,
    GridRatingForm,
    OnDateForm,
    PeriodCloseForm,
    PeriodForm,
    PeriodReopenForm,
    RoleRungForm,
)
from evaluation.models import AssessmentPeriod, GridRating, RoleRung
from evaluation.resources import ResearchExtractResource
from evaluation.tables import PeriodTable, ResearchExtractTable
from hamlet import wings
from hamlet.access import get_visible_or_404
from hamlet.forms import form_page
from hamlet.spreadsheets import EXPORT_FORMATS, spreadsheet_response
from mentoring.models import PeerRole
from residents.audit import record_listing


def _filtered(request, generalisation) -> ResearchExtractFilter:
    residents = selectors.research_extract(request.user, generalisation)
    return ResearchExtractFilter(request.GET, queryset=residents, user=request.user)


@require_GET
@permission_required("evaluation.view_research_extract", raise_exception=True)
def research_extract(request):
    generalisation = disclosure.generalisation()
    filterset = _filtered(request, generalisation)
    table = ResearchExtractTable(filterset.qs, generalisation=generalisation)
    RequestConfig(request, paginate=True).configure(table)
    # Pseudonymised data is still personal data: the rows on this page are an access event.
    shown = [row.record for row in table.page.object_list]
    record_listing(user=request.user, residents=shown, how="research extract page")
    context = {"filter": filterset, "table": table, "rules": disclosure.RULES}
    return render(request, "evaluation/research_extract.html", context)


@require_GET
@permission_required("evaluation.view_research_extract", raise_exception=True)
def research_extract_export(request, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    generalisation = disclosure.generalisation()
    residents = list(_filtered(request, generalisation).qs)
    record_listing(user=request.user, residents=residents, how=f"research extract {fmt}")
    dataset = ResearchExtractResource(generalisation=generalisation).export(queryset=residents)
    return spreadsheet_response(dataset, fmt=fmt, name="research-extract")


# Assessment periods and the social-capital grid.


def _period(request, pk: int) -> AssessmentPeriod:
    return get_visible_or_404(AssessmentPeriod.objects.select_related("wing", "closed_by"), request.user, pk=pk)


@require_GET
@permission_required("evaluation.view_assessmentperiod", raise_exception=True)
def periods(request):
    """The current wing's assessment periods, and the ways into the instruments."""
    wing = wings.current_wing_or_404(request)
    table = PeriodTable(instruments.periods_on(wing=wing, user=request.user))
    RequestConfig(request, paginate=True).configure(table)
    can_research = request.user.has_perm("evaluation.view_research_extract")
    return render(request, "evaluation/periods.html", {"wing": wing, "table": table, "can_research": can_research})


@permission_required("evaluation.add_assessmentperiod", raise_exception=True)
def period_add(request):
    wing = wings.current_wing_or_404(request)
    form = PeriodForm(request.POST or None, instance=AssessmentPeriod(wing=wing))

    def act():
        period = services.period_add(period=form.save(commit=False))
        return f"{period} added.", period

    context = {"back_url": reverse("evaluation:periods"), "back_text": "Back to the periods", "caption": wing.name}
    return form_page(request, form, act=act, template="evaluation/period_form.html", context=context)


@permission_required("evaluation.change_assessmentperiod", raise_exception=True)
def period_edit(request, pk: int):
    period = _period(request, pk)
    form = PeriodForm(request.POST or None, instance=period)

    def act():
        services.period_update(period=form.save(commit=False), version=form.opened_version)
        return f"{period} saved.", period

    context = {"period": period, "back_url": period.get_absolute_url(), "back_text": "Back to the period"}
    return form_page(request, form, act=act, template="evaluation/period_form.html", context=context)


@require_GET
@permission_required("evaluation.view_assessmentperiod", raise_exception=True)
def period(request, pk: int):
    """A period: its dates and state, and its grid with the evidence from the records."""
    period = _period(request, pk)
    context = {
        "period": period,
        "sources": instruments.grid_page(period=period, user=request.user),
        "reopenings": period.reopenings.select_related("by"),
        "close_form": PeriodCloseForm(instance=period),
        "can_rate": request.user.has_perm("evaluation.change_gridrating") and not period.is_closed,
        "can_change": request.user.has_perm("evaluation.change_assessmentperiod"),
    }
    return render(request, "evaluation/period.html", context)


@require_POST
@permission_required("evaluation.change_assessmentperiod", raise_exception=True)
def period_close(request, pk: int):
    period = _period(request, pk)
    form = PeriodCloseForm(request.POST, instance=period)

    def act():
        services.period_close(period=period, version=form.opened_version, by=request.user)
        return f"{period} is closed: its instruments can no longer change.", period

    context = {"period": period, "back_url": period.get_absolute_url(), "back_text": "Back to the period"}
    return form_page(request, form, act=act, template="evaluation/period_close.html", context=context)


@permission_required("evaluation.change_assessmentperiod", raise_exception=True)
def period_reopen(request, pk: int):
    period = _period(request, pk)
    form = PeriodReopenForm(request.POST or None, instance=period)

    def act():
        services.period_reopen(
            period=period, version=form.opened_version, reason=form.cleaned_data["reason"], by=request.user
        )
        return f"{period} is open again.", period

    context = {"period": period, "back_url": period.get_absolute_url(), "back_text": "Back to the period"}
    return form_page(request, form, act=act, template="evaluation/period_reopen.html", context=context)


@permission_required("evaluation.change_gridrating", raise_exception=True)
def grid_rate(request, pk: int, stage: int):
    period = _period(request, pk)
    if stage not in grid.STAGES:
        raise Http404
    rating = GridRating.objects.filter(period=period, stage=stage).first() or GridRating(period=period, stage=stage)
    form = GridRatingForm(request.POST or None, instance=rating)

    def act():
        services.grid_rate(rating=form.save(commit=False), version=form.opened_version, by=request.user)
        return f"Stage {stage} rated for {period}.", period

    def context():
        figures = grid.evidence(wing_id=period.wing_id, starts_on=period.starts_on, ends_on=period.ends_on)
        suppress = not request.user.has_perm("hamlet.view_identities")
        shown = [(figure.label, instruments.shown_figure(figure.value, suppress=suppress)) for figure in figures[stage]]
        return {
            "period": period,
            "stage": grid.STAGES[stage],
            "figures": shown,
            "back_url": period.get_absolute_url(),
            "back_text": "Back to the period",
        }

    return form_page(request, form, act=act, template="evaluation/grid_form.html", context=context)


@require_GET
@permission_required("evaluation.view_gridrating", raise_exception=True)
def grid_compare(request):
    """Two of the wing's periods side by side, with what moved up or down."""
    wing = wings.current_wing_or_404(request)
    periods = AssessmentPeriod.objects.visible_to(request.user).filter(wing=wing)
    form = CompareForm(request.GET or None, periods=periods)
    context = {"wing": wing, "form": form}
    if form.is_valid():
        before, after = form.cleaned_data["before"], form.cleaned_data["after"]
        if before.starts_on > after.starts_on:
            before, after = after, before
        context |= {
            "before": before,
            "after": after,
            "sources": instruments.grid_page(period=after, user=request.user, before=before),
        }
    elif not form.is_bound:
        latest = periods.order_by("-starts_on").first()
        earlier = latest and instruments.baseline_of(latest)
        if latest and earlier:
            return redirect(f"{reverse('evaluation:grid_compare')}?before={earlier.pk}&after={latest.pk}")
    return render(request, "evaluation/grid_compare.html", context)


@require_GET
@permission_required("evaluation.view_gridrating", raise_exception=True)
def grid_wings(request):
    """Every wing the user may see side by side: each wing's latest closed period, or the
    period that covers a chosen date."""
    form = OnDateForm(request.GET or None)
    on = form.cleaned_data["on"] if form.is_valid() else None
    context = {"form": form, "rows": instruments.grid_across_wings(user=request.user, on=on), "on": on}
    context["stages"] = list(grid.STAGES.values())
    return render(request, "evaluation/grid_wings.html", context)


# The participation ladder.


@require_GET
@permission_required("evaluation.view_rolerung", raise_exception=True)
def ladder(request, pk: int):
    """Each CFO peer role on the ladder in the period, its history and what the next rung asks."""
    period = _period(request, pk)
    context = {
        "period": period,
        "can_rate": request.user.has_perm("evaluation.change_rolerung") and not period.is_closed,
        **instruments.ladder_page(period=period, user=request.user),
    }
    return render(request, "evaluation/ladder.html", context)


@permission_required("evaluation.change_rolerung", raise_exception=True)
def rung_rate(request, pk: int, role: int):
    period = _period(request, pk)
    peer_role = get_object_or_404(PeerRole, pk=role, establishment=period.wing.establishment_id)
    rung = RoleRung.objects.filter(period=period, role=peer_role).first() or RoleRung(period=period, role=peer_role)
    form = RoleRungForm(request.POST or None, instance=rung)

    def act():
        services.rung_rate(rung=form.save(commit=False), version=form.opened_version, by=request.user)
        return f"{peer_role} placed on the ladder for {period}.", reverse("evaluation:ladder", args=[period.pk])

    context = {
        "period": period,
        "role": peer_role,
        "rungs": ladder_rungs.RUNGS,
        "back_url": reverse("evaluation:ladder", args=[period.pk]),
        "back_text": "Back to the ladder",
    }
    return form_page(request, form, act=act, template="evaluation/rung_form.html", context=context)
