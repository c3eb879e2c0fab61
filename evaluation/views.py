"""The evaluation pages: the research extract; the wing's assessment periods with the
instruments recorded for each (the social-capital grid, the participation ladder, relational
mapping); the wing's monthly social-climate counts; and the site report that puts them together."""

from datetime import date, timedelta

from django import forms
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from evaluation import climate as climate_figures
from evaluation import disclosure, grid, instruments, report, selectors, services
from evaluation import ladder as ladder_rungs
from evaluation.filters import FindingFilter, ResearchExtractFilter
from evaluation.forms import (
    AttributesForm,
    ClimateForm,
    DeliveryNoteForm,
    FindingForm,
    GridRatingForm,
    MappingForm,
    OnDateForm,
    PairForm,
    PeriodCloseForm,
    PeriodForm,
    PeriodReopenForm,
    ProgressForm,
    ReportPeriodForm,
    RoleRungForm,
    StaffMonthForm,
    StaffPostForm,
    VoiceForm,
)
from evaluation.mapping import Construct
from evaluation.models import (
    AssessmentPeriod,
    Attribute,
    AttributeSurvey,
    ClimateIndicator,
    ClimateMonth,
    Finding,
    GridRating,
    RelationalMapping,
    RoleDeliveryNote,
    RoleRung,
    StaffMonth,
    StaffPost,
    Voice,
    VoiceKind,
)
from evaluation.resources import ResearchExtractResource
from evaluation.tables import FindingTable, PeriodTable, ResearchExtractTable
from hamlet import computed, wings
from hamlet.access import get_visible_or_404
from hamlet.forms import form_page
from hamlet.spreadsheets import EXPORT_FORMATS, spreadsheet_response, streamed_csv_response
from mentoring.models import PeerRole
from programme.models import Cohort
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
    residents = _filtered(request, generalisation).qs
    resource = ResearchExtractResource(generalisation=generalisation)
    if fmt == "csv":
        return _research_extract_streamed(request, residents, resource)
    # openpyxl builds the whole workbook in memory whatever feeds it, so the Excel file is not streamed.
    residents = list(residents)
    record_listing(user=request.user, residents=residents, how=f"research extract {fmt}")
    return spreadsheet_response(resource.export(queryset=residents), fmt=fmt, name="research-extract")


def _research_extract_streamed(request, residents, resource: ResearchExtractResource):
    """The CSV extract, written as it is sent: every consenting resident nationally is too many
    to hold in a worker's memory as records (docs/performance.md, "The research extract streamed")."""
    # The access entries are written before the first byte goes, from the ids alone. A row
    # that turns up in the stream and not in them (someone who consented a moment later) is
    # left out, so the file never names anyone its entries do not.
    listed = list(residents.values_list("pk", "establishment_id", named=True))
    record_listing(user=request.user, residents=listed, how="research extract csv")
    audited = {row.pk for row in listed}

    def rows():
        # One transaction for the whole read: on PostgreSQL the rows come through a server-side
        # cursor a chunk at a time, and a pooler in transaction mode keeps it on one connection.
        with transaction.atomic():
            chunks = residents.iterator(chunk_size=2000)
            yield from resource.rows(resident for resident in chunks if resident.pk in audited)

    return streamed_csv_response(resource.get_export_headers(), rows(), name="research-extract")


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
        "mappings": period.mappings.select_related("cohort").order_by("cohort__phase", "held_on"),
        "can_map": request.user.has_perm("evaluation.add_relationalmapping") and not period.is_closed,
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
        shown = instruments.stage_figures(period=period, user=request.user)[stage]
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
    form = PairForm(request.GET or None, records=periods, noun="period")
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

    def context() -> dict:
        rows = instruments.grid_across_wings(user=request.user, on=on)
        return {"form": form, "rows": rows, "on": on, "stages": list(grid.STAGES.values())}

    visible = wings.visible_wings(request)
    content = computed.held_content(
        request,
        "evaluation:grid_wings",
        template="evaluation/_grid_wings.html",
        context=context,
        establishments=[wing.establishment_id for wing in visible],
        vary=[*(wing.pk for wing in visible), on],
        form=form,
    )
    return render(request, "evaluation/grid_wings.html", {"form": form, "content": content})


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


# Relational mapping.


def _cohorts_for(period: AssessmentPeriod):
    """The wing's cohorts that ran during the period."""
    return Cohort.objects.filter(
        wing=period.wing_id, starts_on__lte=period.ends_on, ends_on__gte=period.starts_on
    ).order_by("phase", "starts_on")


def _mapping_form_page(request, period: AssessmentPeriod, record: RelationalMapping):
    form = MappingForm(request.POST or None, instance=record, cohorts=_cohorts_for(period))

    def act():
        saved = services.mapping_save(
            mapping=form.save(commit=False),
            scores=form.scores(),
            version=form.opened_version,
            by=request.user,
            name_fields=form.name_fields(),
        )
        return f"Relational mapping of {saved.cohort} saved.", saved

    context = {
        "period": period,
        "record": record,
        "back_url": period.get_absolute_url(),
        "back_text": f"Back to {period}",
    }
    return form_page(request, form, act=act, template="evaluation/mapping_form.html", context=context)


@permission_required("evaluation.add_relationalmapping", raise_exception=True)
def mapping_add(request, pk: int):
    period = _period(request, pk)
    return _mapping_form_page(request, period, RelationalMapping(period=period))


@permission_required("evaluation.change_relationalmapping", raise_exception=True)
def mapping_edit(request, pk: int):
    record = get_visible_or_404(RelationalMapping.objects.select_related("period__wing"), request.user, pk=pk)
    return _mapping_form_page(request, record.period, record)


@require_GET
@permission_required("evaluation.view_relationalmapping", raise_exception=True)
def mapping(request, pk: int):
    """One cohort's mapping as a heat map: every cell's score and rank in words, shaded too."""
    record = get_visible_or_404(RelationalMapping.objects.select_related("period__wing", "cohort"), request.user, pk=pk)
    context = {
        "record": record,
        "rows": instruments.heat_map(record=record),
        "constructs": Construct.choices,
        "can_change": request.user.has_perm("evaluation.change_relationalmapping") and not record.period.is_closed,
    }
    return render(request, "evaluation/mapping.html", context)


@require_GET
@permission_required("evaluation.view_relationalmapping", raise_exception=True)
def mapping_compare(request):
    """Two of the wing's mappings side by side with each change marked: by default a Phase 1
    and a Phase 2 cohort in the same period, or the latest against the earliest."""
    wing = wings.current_wing_or_404(request)
    mappings = instruments.mappings_on(wing=wing, user=request.user)
    form = PairForm(
        request.GET or None, records=mappings, noun="mapping", label_from_instance=lambda each: f"{each.period}: {each}"
    )
    if not form.is_bound and (pair := instruments.default_comparison(list(mappings))):
        return redirect(f"{reverse('evaluation:mapping_compare')}?before={pair[0].pk}&after={pair[1].pk}")
    compared = (form.cleaned_data["before"], form.cleaned_data["after"]) if form.is_valid() else ()

    def context() -> dict:
        shown = {"wing": wing, "form": form, "constructs": Construct.choices}
        if compared:
            before, after = compared
            shown |= {"before": before, "after": after, "rows": instruments.heat_map(record=after, before=before)}
        return shown

    content = computed.held_content(
        request,
        "evaluation:mapping_compare",
        template="evaluation/_mapping_compare.html",
        context=context,
        establishments=[wing.establishment_id],
        vary=[wing.pk, *(mapping.pk for mapping in compared)],
        form=form,
    )
    return render(request, "evaluation/mapping_compare.html", {"form": form, "content": content})


# Social-climate indicators.


@require_GET
@permission_required("evaluation.view_climatemonth", raise_exception=True)
def climate(request):
    """The wing's monthly counts and rates per 100 residents, as a chart and a table: the last
    twelve months, or the months of one of the wing's periods."""
    wing = wings.current_wing_or_404(request)
    periods = list(AssessmentPeriod.objects.visible_to(request.user).filter(wing=wing).order_by("-starts_on"))
    chosen = next((each for each in periods if str(each.pk) == request.GET.get("period")), None)
    today = timezone.localdate()
    if chosen:
        months = climate_figures.months_between(chosen.starts_on, min(chosen.ends_on, today))
    else:
        months = _last_twelve_months()
    suppress = instruments.suppressed_for(request.user)
    context = {
        "wing": wing,
        "periods": periods,
        "chosen": chosen,
        "trend": climate_figures.trend(wing_id=wing.pk, months=months, suppress=suppress),
        "can_record": request.user.has_perm("evaluation.add_climatemonth"),
    }
    return render(request, "evaluation/climate.html", context)


def _month_or_404(year: int, month: int) -> date:
    """The first day of a month that has begun; any other is Not Found."""
    try:
        first = date(year, month, 1)
    except ValueError:
        raise Http404 from None
    if first > timezone.localdate():
        raise Http404
    return first


@permission_required("evaluation.add_climatemonth", raise_exception=True)
def climate_month(request, year: int, month: int):
    wing = wings.current_wing_or_404(request)
    first = _month_or_404(year, month)
    record = ClimateMonth.objects.filter(wing=wing, month=first).first() or ClimateMonth(wing=wing, month=first)
    indicators = ClimateIndicator.objects.filter(Q(retired=False) | Q(counts__record=record.pk)).distinct()
    form = ClimateForm(request.POST or None, instance=record, indicators=list(indicators))

    def act():
        services.climate_save(record=record, counts=form.counts(), version=form.opened_version, by=request.user)
        return f"Counts for {first:%B %Y} saved.", "evaluation:climate"

    back = {"back_url": reverse("evaluation:climate"), "back_text": "Back to the social climate"}
    context = {"wing": wing, "month": first, **back}
    return form_page(request, form, act=act, template="evaluation/climate_form.html", context=context)


# What focus groups and interviews found.


@require_GET
@permission_required("evaluation.view_voice", raise_exception=True)
def voices(request, pk: int):
    """A period's focus-group and interview findings, each kind in priority order."""
    period = _period(request, pk)
    found = list(period.voices.all())
    kinds = [(label, [voice for voice in found if voice.kind == kind]) for kind, label in VoiceKind.choices]
    can_record = request.user.has_perm("evaluation.change_voice") and not period.is_closed
    return render(request, "evaluation/voices.html", {"period": period, "kinds": kinds, "can_record": can_record})


def _voice_form_page(request, period: AssessmentPeriod, voice: Voice):
    form = VoiceForm(request.POST or None, instance=voice)

    def act():
        services.voice_save(voice=form.save(commit=False), version=form.opened_version)
        return f"“{voice.summary}” saved.", reverse("evaluation:voices", args=[period.pk])

    back = {"back_url": reverse("evaluation:voices", args=[period.pk]), "back_text": "Back to what the groups found"}
    return form_page(request, form, act=act, template="evaluation/voice_form.html", context={"period": period, **back})


@permission_required("evaluation.add_voice", raise_exception=True)
def voice_add(request, pk: int):
    period = _period(request, pk)
    return _voice_form_page(request, period, Voice(period=period))


@permission_required("evaluation.change_voice", raise_exception=True)
def voice_edit(request, pk: int):
    voice = get_visible_or_404(Voice.objects.select_related("period__wing"), request.user, pk=pk)
    return _voice_form_page(request, voice.period, voice)


@permission_required("evaluation.delete_voice", raise_exception=True)
def voice_remove(request, pk: int):
    """Asks first (GET), then removes (POST)."""
    voice = get_visible_or_404(Voice.objects.select_related("period__wing"), request.user, pk=pk)
    form = forms.Form(request.POST if request.method == "POST" else None)

    def act():
        services.voice_remove(voice=voice)
        return f"“{voice.summary}” removed.", reverse("evaluation:voices", args=[voice.period_id])

    return form_page(request, form, act=act, template="evaluation/voice_remove.html", context={"voice": voice})


# Findings and recommendations, tracked as actions.


@require_GET
@permission_required("evaluation.view_finding", raise_exception=True)
def findings(request):
    """The wing's findings from every period, filtered by kind and status, sortable."""
    wing = wings.current_wing_or_404(request)
    filtered = FindingFilter(request.GET, queryset=instruments.findings_on(wing=wing, user=request.user))
    # Who owns an action is staff's to know: evaluators see no staff names.
    hidden = ("owner",) if instruments.suppressed_for(request.user) else ()
    table = FindingTable(filtered.qs, exclude=hidden)
    RequestConfig(request, paginate=True).configure(table)
    periods = AssessmentPeriod.objects.visible_to(request.user).filter(wing=wing).open()
    can_add = request.user.has_perm("evaluation.add_finding")
    context = {"wing": wing, "filter": filtered, "table": table, "open_periods": periods, "can_add": can_add}
    return render(request, "evaluation/findings.html", context)


def _finding_form_page(request, period: AssessmentPeriod, finding: Finding):
    form = FindingForm(request.POST or None, instance=finding, establishment_id=period.wing.establishment_id)

    def act():
        saved = services.finding_save(finding=form.save(commit=False), version=form.opened_version)
        return f"“{saved.summary}” saved.", saved

    back = {"back_url": reverse("evaluation:findings"), "back_text": "Back to the findings"}
    return form_page(
        request, form, act=act, template="evaluation/finding_form.html", context={"period": period, **back}
    )


@permission_required("evaluation.add_finding", raise_exception=True)
def finding_add(request, pk: int):
    period = _period(request, pk)
    return _finding_form_page(request, period, Finding(period=period))


@permission_required("evaluation.change_finding", raise_exception=True)
def finding_edit(request, pk: int):
    finding = get_visible_or_404(Finding.objects.select_related("period__wing"), request.user, pk=pk)
    return _finding_form_page(request, finding.period, finding)


@permission_required("evaluation.view_finding", raise_exception=True)
def finding(request, pk: int):
    """A finding, its action's progress, and (for those who record) a note of progress."""
    record = get_visible_or_404(Finding.objects.select_related("period__wing", "owner"), request.user, pk=pk)
    if request.method == "POST" and not request.user.has_perm("evaluation.change_finding"):
        raise PermissionDenied
    form = ProgressForm(request.POST or None, instance=record, initial={"on": timezone.localdate()})

    def act():
        services.finding_progress(
            finding=record,
            note=form.cleaned_data["note"],
            status=form.cleaned_data["status"],
            on=form.cleaned_data["on"],
            version=form.opened_version,
            by=request.user,
        )
        return "Progress added.", record

    def context():
        return {
            "finding": record,
            "progress": record.progress.select_related("by"),
            "can_change": request.user.has_perm("evaluation.change_finding"),
        }

    return form_page(request, form, act=act, template="evaluation/finding.html", context=context)


# Attributes of a good peer-role holder.


@require_GET
@permission_required("evaluation.view_attributesurvey", raise_exception=True)
def attributes(request, pk: int):
    """How many of the period's interviews named each attribute, as bars and as a table."""
    period = _period(request, pk)
    survey = AttributeSurvey.objects.filter(period=period).first()
    context = {
        "period": period,
        "survey": survey,
        "bars": instruments.attribute_bars(survey=survey),
        "can_record": request.user.has_perm("evaluation.change_attributesurvey") and not period.is_closed,
    }
    return render(request, "evaluation/attributes.html", context)


@permission_required("evaluation.change_attributesurvey", raise_exception=True)
def attributes_edit(request, pk: int):
    period = _period(request, pk)
    survey = AttributeSurvey.objects.filter(period=period).first() or AttributeSurvey(period=period)
    used = survey.counts.values("attribute") if survey.pk else []
    catalogue = Attribute.objects.filter(Q(retired=False) | Q(pk__in=used))
    form = AttributesForm(request.POST or None, instance=survey, attributes=list(catalogue))

    def act():
        services.attributes_save(survey=form.save(commit=False), counts=form.counts(), version=form.opened_version)
        return "Attributes saved.", reverse("evaluation:attributes", args=[period.pk])

    back = {"back_url": reverse("evaluation:attributes", args=[period.pk]), "back_text": "Back to the attributes"}
    context = {"period": period, **back}
    return form_page(request, form, act=act, template="evaluation/attributes_form.html", context=context)


# The staff team and the peer role delivery model.


def _last_twelve_months() -> list[date]:
    today = timezone.localdate()
    return climate_figures.months_between(date(today.year - 1, today.month, 1) + timedelta(days=31), today)


@require_GET
@permission_required("evaluation.view_staffpost", raise_exception=True)
def staff_team(request):
    """The wing's funded posts by job title and organisation, against those filled each month."""
    wing = wings.current_wing_or_404(request)
    months = _last_twelve_months()
    context = {
        "wing": wing,
        "months": months,
        "rows": instruments.staff_team(wing=wing, months=months),
        "can_change": request.user.has_perm("evaluation.change_staffpost"),
    }
    return render(request, "evaluation/staff_team.html", context)


def _post_form_page(request, post: StaffPost):
    form = StaffPostForm(request.POST or None, instance=post)

    def act():
        saved = services.staff_post_save(post=form.save(commit=False), version=form.opened_version)
        return f"{saved} saved.", "evaluation:staff_team"

    context = {"post": post, "back_url": reverse("evaluation:staff_team"), "back_text": "Back to the staff team"}
    return form_page(request, form, act=act, template="evaluation/staff_post_form.html", context=context)


@permission_required("evaluation.add_staffpost", raise_exception=True)
def staff_post_add(request):
    return _post_form_page(request, StaffPost(wing=wings.current_wing_or_404(request)))


@permission_required("evaluation.change_staffpost", raise_exception=True)
def staff_post_edit(request, pk: int):
    return _post_form_page(request, get_visible_or_404(StaffPost.objects.all(), request.user, pk=pk))


@permission_required("evaluation.change_staffpost", raise_exception=True)
def staff_month(request, year: int, month: int):
    wing = wings.current_wing_or_404(request)
    first = _month_or_404(year, month)
    record = StaffMonth.objects.filter(wing=wing, month=first).first() or StaffMonth(wing=wing, month=first)
    form = StaffMonthForm(request.POST or None, instance=record, posts=list(StaffPost.objects.filter(wing=wing)))

    def act():
        services.staff_month_save(record=record, counts=form.counts(), version=form.opened_version)
        return f"Staffing for {first:%B %Y} saved.", "evaluation:staff_team"

    context = {"month": first, "back_url": reverse("evaluation:staff_team"), "back_text": "Back to the staff team"}
    return form_page(request, form, act=act, template="evaluation/staff_month_form.html", context=context)


@require_GET
@permission_required("evaluation.view_roledeliverynote", raise_exception=True)
def delivery_model(request):
    """Table 1.3: how each of the wing's CFO peer roles is trained, supervised and leads on."""
    wing = wings.current_wing_or_404(request)
    context = {
        "wing": wing,
        "rows": instruments.delivery_model(wing=wing),
        "can_change": request.user.has_perm("evaluation.change_roledeliverynote"),
    }
    return render(request, "evaluation/delivery_model.html", context)


@permission_required("evaluation.change_roledeliverynote", raise_exception=True)
def delivery_note_edit(request, role: int):
    wing = wings.current_wing_or_404(request)
    peer_role = get_object_or_404(PeerRole, pk=role, establishment=wing.establishment_id, is_cfo_role=True)
    note = RoleDeliveryNote.objects.filter(role=peer_role).first() or RoleDeliveryNote(role=peer_role)
    form = DeliveryNoteForm(request.POST or None, instance=note)

    def act():
        services.delivery_note_save(note=form.save(commit=False), version=form.opened_version)
        return f"How {peer_role} is delivered saved.", "evaluation:delivery_model"

    back = {"back_url": reverse("evaluation:delivery_model"), "back_text": "Back to the delivery model"}
    context = {"role": peer_role, **back}
    return form_page(request, form, act=act, template="evaluation/delivery_note_form.html", context=context)


# The site report.


def _visible_period_id(request) -> int | None:
    """The period the address names, if it is one the user may see on any of their wings."""
    chosen = request.GET.get("period", "")
    if not (chosen.isascii() and chosen.isdigit() and len(chosen) <= 18):
        return None
    return AssessmentPeriod.objects.visible_to(request.user).filter(pk=int(chosen)).values_list("pk", flat=True).first()


@require_GET
@permission_required("evaluation.view_assessmentperiod", raise_exception=True)
def site_report(request):
    """One printable document for the current wing and one of its periods (the latest unless
    the form chose another), its sections in the study's order."""
    wing = wings.current_wing_or_404(request)
    periods = list(AssessmentPeriod.objects.visible_to(request.user).filter(wing=wing))
    period = next((each for each in periods if str(each.pk) == request.GET.get("period")), None)
    if request.GET.get("period") and period is None:
        # One of the user's other wings' periods (the address kept across a switch of wing)
        # gives way to the current wing's latest; any other is Not Found.
        if _visible_period_id(request) is None:
            raise Http404
        return redirect("evaluation:site_report")
    period = period or (periods[0] if periods else None)

    def document() -> dict:
        context = {"wing": wing, "period": period, "form": ReportPeriodForm(periods=periods, chosen=period)}
        if period:
            period.wing = wing  # with its establishment, already fetched
            context |= report.site_report(period=period, user=request.user)
        return context

    # Made once for everyone with the same permissions, and again after a record of the
    # establishment changes (hamlet.computed).
    held_report = computed.held_content(
        request,
        "evaluation:site_report",
        template="evaluation/_site_report.html",
        context=document,
        establishments=[wing.establishment_id],
        vary=[wing.pk, period.pk if period else "", *(each.pk for each in periods)],
    )
    return render(request, "evaluation/site_report.html", {"period": period, "report": held_report})
