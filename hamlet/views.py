from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.views import LogoutView
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_tables2 import RequestConfig

from hamlet import computed, disclosure, selectors, services, two_factor, wings
from hamlet.access import IDENTITIES, get_visible_or_404
from hamlet.audit import refusals_recorded
from hamlet.contributions import Figure, chosen_span, home_figures, home_panels, spans
from hamlet.disclosure import SMALLEST_SHOWN, shown_count
from hamlet.filters import HistoryFilter
from hamlet.forms import SpanForm, TwoFactorCodeForm, WingChoiceForm, WingForm, form_page
from hamlet.models import Establishment, Wing
from hamlet.regional import RegionalTables, regional_dataset, regional_tables
from hamlet.roles import REGIONAL
from hamlet.spreadsheets import EXPORT_FORMATS, spreadsheet_response
from hamlet.tables import HistoryTable


@require_GET
def home(request):
    """How the current wing is doing, on one screen. Each app counts its own records
    (``hamlet.contributions``) within the span chosen, so this view names none of them."""
    if request.user.has_perm(REGIONAL) and not request.user.has_perm(IDENTITIES):
        # Evaluators work across sites from pseudonymised figures: no wing's dashboard is theirs.
        return redirect("hamlet:regional")
    wing = wings.current_wing(request)
    if wing is None:
        return render(request, "hamlet/home.html", {"wing": None})
    today = timezone.localdate()
    establishment = [wing.establishment_id]
    offered = computed.held(
        "hamlet:spans", establishments=establishment, vary=[wing.pk], compute=lambda: spans(wing=wing, today=today)
    )
    span_form = SpanForm(request.GET or None, spans=offered)
    chosen = span_form.cleaned_data["show"] if span_form.is_valid() else None
    span = chosen_span(chosen, wing=wing, today=today, offered=offered)

    def dashboard() -> dict:
        figures = home_figures(wings=[wing], user=request.user, today=today, span=span)
        # A reader who sees no one's identity sees no count from 1 to 4 either.
        suppress = not request.user.has_perm(IDENTITIES)
        return {
            "wing": wing,
            "span": span,
            "span_form": span_form,
            "groups": _figure_groups(figures, wing, suppress=suppress),
            "panels": home_panels(wing=wing, user=request.user, today=today, span=span),
            "profile": selectors.wing_profile(wing=wing),
        }

    # Readers of the wing with the same permissions see the same figures: they are counted
    # once, and again only after a record of the establishment changes.
    shown = computed.held_content(
        request,
        "hamlet:home",
        template="hamlet/_home.html",
        context=dashboard,
        establishments=establishment,
        vary=[wing.pk, span.key],
        form=span_form,
        today=today,
    )
    context = {
        "wing": wing,
        "dashboard": shown,
        "other_wings": [other for other in wings.visible_wings(request) if other != wing],
    }
    return render(request, "hamlet/home.html", context)


def _figure_groups(figures: list[Figure], wing, *, suppress: bool) -> list[tuple[str, list[dict]]]:
    """The figures by group, each with what it is out of and, for the parts of a total
    (the engagement journey's stages), a bar as wide as the part's share."""
    totals = {(figure.group, figure.label): figure.value_for(wing.pk) for figure in figures}
    groups: dict[str, list[dict]] = {}
    for figure in figures:
        value, of = figure.value_for(wing.pk), figure.of_for(wing.pk)
        whole = totals.get((figure.group, figure.part_of)) if figure.part_of else None
        groups.setdefault(figure.group, []).append(
            {
                "figure": figure,
                "value": shown_count(value, suppress=suppress),
                "of": of,
                "percent": round(100 * value / of) if of and not (suppress and value < SMALLEST_SHOWN) else None,
                "bar": f"hamlet-bar--{5 * round(20 * value / whole)}" if whole else "",
            }
        )
    return list(groups.items())


def _regional(request) -> tuple[RegionalTables, SpanForm, dict]:
    """The tables for the span asked for (this week where none, or one not offered), and what
    they are held under (``hamlet.computed``)."""
    today = timezone.localdate()
    span_form = SpanForm(request.GET or None, spans=spans(wing=None, today=today))
    span = chosen_span(span_form.cleaned_data["show"] if span_form.is_valid() else None, wing=None, today=today)
    visible = wings.visible_wings(request)
    # Counted and protected once for everyone who sees the same wings with the same permissions,
    # and again only after a record at one of their establishments changes.
    scope = {
        "establishments": [wing.establishment_id for wing in visible],
        "vary": [*(wing.pk for wing in visible), span.key],
    }
    tables = computed.held(
        "hamlet:regional",
        **scope,
        compute=lambda: regional_tables(wings=visible, user=request.user, today=today, span=span),
        user=request.user,
        today=today,
    )
    return tables, span_form, scope | {"today": today}


@require_GET
@permission_required(REGIONAL, raise_exception=True)
def regional(request):
    """Every wing the user sees, side by side: counts only, with disclosure control."""
    tables, span_form, scope = _regional(request)
    shown = computed.held_content(
        request,
        "hamlet:regional:page",
        template="hamlet/_regional.html",
        context=lambda: {"tables": tables, "span_form": span_form, "rules": disclosure.RULES},
        form=span_form,
        **scope,
    )
    return render(request, "hamlet/regional.html", {"dashboard": shown})


@require_GET
@permission_required(REGIONAL, raise_exception=True)
def regional_export(request, fmt: str):
    """The regional dashboard's published cells, exactly as on the page, with its rules."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    tables, _, _ = _regional(request)
    return spreadsheet_response(regional_dataset(tables), fmt=fmt, name="regional-dashboard")


@require_POST
def wing_switch(request):
    form = WingChoiceForm(request.POST, wings=wings.visible_wings(request))
    if form.is_valid():
        wings.choose_wing(request, get_visible_or_404(Wing.objects, request.user, pk=form.cleaned_data["wing"]))
    return redirect(_after_switch(request, _safe_next(request)))


def _after_switch(request, next_url: str) -> str:
    """Back to the page the user was on, if it is a list or dashboard; a page about one
    record belongs to the old wing, so go to the new wing's dashboard instead."""
    if not next_url:
        return reverse("hamlet:home")
    try:
        match = resolve(urlsplit(next_url).path)
    except Resolver404:
        return reverse("hamlet:home")
    return next_url if not match.kwargs else reverse("hamlet:home")


@refusals_recorded(Wing)
@require_GET
def wing_detail(request, pk: int):
    wing = get_visible_or_404(Wing.objects.select_related("establishment"), request.user, pk=pk)
    # Opening a wing's page makes it the wing the rest of Hamlet shows.
    wings.choose_wing(request, wing)
    return render(request, "hamlet/wing_detail.html", {"wing": wing, "profile": selectors.wing_profile(wing=wing)})


@refusals_recorded(Wing)
@permission_required("hamlet.change_wing", raise_exception=True)
def wing_edit(request, pk: int):
    wing = get_visible_or_404(Wing.objects.select_related("establishment"), request.user, pk=pk)
    form = WingForm(request.POST or None, instance=wing)

    def act():
        if not form.has_changed():
            return None, wing
        services.wing_update(wing=form.save(commit=False), version=form.opened_version)
        return f"{wing.name} has been updated.", wing

    return form_page(request, form, act=act, template="hamlet/wing_edit.html", context={"wing": wing})


@refusals_recorded(Wing)
@require_GET
@permission_required("auditlog.view_logentry", raise_exception=True)
def wing_history(request, pk: int):
    """The audit trail of a wing, its houseblocks and its establishment."""
    wing = get_visible_or_404(Wing.objects.select_related("establishment"), request.user, pk=pk)
    history = HistoryFilter(request.GET, queryset=selectors.wing_trail(wing=wing))
    table = HistoryTable(history.qs)
    RequestConfig(request, paginate=True).configure(table)
    return render(request, "hamlet/wing_history.html", {"wing": wing, "table": table, "filter": history})


@refusals_recorded(Establishment)
@require_GET
@permission_required("auditlog.view_logentry", raise_exception=True)
def establishment_staff(request, pk: int):
    """Staff with access: who may see this establishment's records, and who gave them access when."""
    establishment = get_visible_or_404(Establishment.objects, request.user, pk=pk)
    context = {
        "establishment": establishment,
        "staff": selectors.staff_with_access(establishment=establishment),
        "grants": selectors.access_grants(establishment=establishment),
    }
    return render(request, "hamlet/establishment_staff.html", context)


@login_not_required
@require_GET
def healthz(request):
    """For the load balancer: the database answers. Says nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


class SignOutView(LogoutView):
    """Signing out is a POST; a GET (a typed or bookmarked address) asks first."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/sign_out.html")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # On a shared PC the next person should see that the last one really left.
        messages.success(request, "You have signed out of Hamlet.")
        return response


def bad_request(request, exception=None):
    """Hamlet's 400 page. Django's own checks the CSRF token first, which reads the form again:
    when the form was the bad part (sent as UTF-16, say), that raised again and became a 500.
    This one reads nothing from the request."""
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def _safe_next(request) -> str:
    """The "next" page the form or address asks for, if it is an address on this site; else "".

    Only a path from the root: ``redirect()`` would take a bare word as the name of a URL
    pattern (a 500 when there is none) and a relative path depends on the page it is on."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=False)
    return candidate if safe and candidate.startswith("/") else ""


# Two-factor sign-in (hamlet.two_factor): the only pages a password-only session may open
# besides signing out. Both carry on to the page first asked for, if it is on this site.
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    next_url = _safe_next(request)
    if not two_factor.needs_verifying(request.user):
        return redirect(next_url or "hamlet:home")
    if two_factor.authenticator_for(request.user):
        # Only an administrator's reset lets someone set up again: a password alone must not add an app.
        return redirect(two_factor.next_step_url(request.user, next_url))
    form = TwoFactorCodeForm(request.POST or None, label="6-digit code from your app")

    def act():
        _, codes = two_factor.two_factor_set_up(request=request, code=form.cleaned_data["code"])
        # The backup codes are shown once, on this response, never stored where they could be shown again.
        context = {"codes": codes, "next": next_url or reverse("hamlet:home")}
        return None, render(request, "registration/two_factor_backup_codes.html", context)

    def context():
        device = two_factor.pending_authenticator(request)
        qr_code, secret = two_factor.qr_code_svg(device), two_factor.secret_for_typing(device)
        return {"qr_code": qr_code, "secret": secret, "next": next_url}

    return form_page(request, form, act=act, template="registration/two_factor_setup.html", context=context)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    next_url = _safe_next(request)
    if not two_factor.needs_verifying(request.user):
        return redirect(next_url or "hamlet:home")
    if not two_factor.authenticator_for(request.user):
        return redirect(two_factor.next_step_url(request.user, next_url))
    form = TwoFactorCodeForm(
        request.POST or None,
        label="Enter the code from your authenticator app",
        hint="The 6-digit code your app shows now. Without your phone, enter one of your backup codes.",
        heading=True,
    )

    def act():
        device = two_factor.two_factor_verify(request=request, code=form.cleaned_data["code"])
        if isinstance(device, StaticDevice):
            left = two_factor.backup_codes_left(request.user)
            messages.info(request, f"You used a backup code. You have {left} left.")
        return None, next_url or "hamlet:home"

    return form_page(request, form, act=act, template="registration/two_factor_verify.html", context={"next": next_url})
