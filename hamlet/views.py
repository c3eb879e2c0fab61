from urllib.parse import urlsplit

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.views import LogoutView
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_tables2 import RequestConfig

from hamlet import selectors, two_factor, wings
from hamlet.access import get_visible_or_404
from hamlet.forms import TwoFactorCodeForm, WingChoiceForm, WingForm
from hamlet.models import Establishment, Houseblock, Wing
from hamlet.tables import HistoryTable


@require_GET
def home(request):
    wing = wings.current_wing(request)
    others = [other for other in wings.visible_wings(request) if other != wing]
    houseblocks = list(wing.houseblocks.all()) if wing else []
    return render(request, "hamlet/home.html", {"wing": wing, "houseblocks": houseblocks, "other_wings": others})


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


@require_GET
def wing_detail(request, pk: int):
    wing = get_visible_or_404(Wing.objects.select_related("establishment"), request.user, pk=pk)
    # Opening a wing's page makes it the wing the rest of Hamlet shows.
    wings.choose_wing(request, wing)
    return render(request, "hamlet/wing_detail.html", {"wing": wing, "houseblocks": list(wing.houseblocks.all())})


@permission_required("hamlet.change_wing", raise_exception=True)
def wing_edit(request, pk: int):
    wing = get_visible_or_404(Wing.objects.select_related("establishment"), request.user, pk=pk)
    form = WingForm(request.POST or None, instance=wing)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            return redirect(wing)
        if form.save_unless_stale():
            messages.success(request, f"{wing.name} has been updated.")
            return redirect(wing)
    return render(request, "hamlet/wing_edit.html", {"wing": wing, "form": form})


@require_GET
@permission_required("auditlog.view_logentry", raise_exception=True)
def wing_history(request, pk: int):
    """The audit trail of a wing, its houseblocks and its establishment."""
    wing = get_visible_or_404(Wing.objects.select_related("establishment"), request.user, pk=pk)
    types = ContentType.objects.get_for_models(Establishment, Wing, Houseblock)
    houseblock_ids = [str(pk) for pk in Houseblock.objects.filter(wing=wing).values_list("pk", flat=True)]
    entries = LogEntry.objects.filter(
        Q(content_type=types[Wing], object_pk=str(wing.pk))
        | Q(content_type=types[Establishment], object_pk=str(wing.establishment_id))
        | Q(content_type=types[Houseblock], object_pk__in=houseblock_ids)
    ).select_related("actor", "content_type")
    table = HistoryTable(entries)
    RequestConfig(request, paginate=True).configure(table)
    return render(request, "hamlet/wing_history.html", {"wing": wing, "table": table})


@require_GET
@permission_required("auditlog.view_logentry", raise_exception=True)
def establishment_staff(request, pk: int):
    """Staff with access: who may see this establishment's records, and who gave them access when."""
    establishment = get_visible_or_404(Establishment.objects, request.user, pk=pk)
    context = {
        "establishment": establishment,
        "staff": selectors.staff_with_access(establishment),
        "grants": selectors.access_grants(establishment),
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
    if request.method == "POST" and form.is_valid():
        try:
            _, codes = two_factor.two_factor_set_up(request=request, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            context = {"codes": codes, "next": next_url or reverse("hamlet:home")}
            return render(request, "registration/two_factor_backup_codes.html", context)
    device = two_factor.pending_authenticator(request)
    qr_code, secret = two_factor.qr_code_svg(device), two_factor.secret_for_typing(device)
    context = {"form": form, "qr_code": qr_code, "secret": secret, "next": next_url}
    return render(request, "registration/two_factor_setup.html", context)


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
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.two_factor_verify(request=request, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if isinstance(device, StaticDevice):
                left = two_factor.backup_codes_left(request.user)
                messages.info(request, f"You used a backup code. You have {left} left.")
            return redirect(next_url or "hamlet:home")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})
