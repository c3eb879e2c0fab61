from urllib.parse import urlsplit

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.contrib.auth.views import LogoutView
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from hamlet import wings
from hamlet.access import get_visible_or_404
from hamlet.forms import WingChoiceForm, WingForm
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
    return redirect(_after_switch(request, request.POST.get("next", "")))


def _after_switch(request, next_url: str) -> str:
    """Back to the page the user was on, if it is a list or dashboard; a page about one
    record belongs to the old wing, so go to the new wing's dashboard instead."""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=False):
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
        if form.has_changed():
            form.save()
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


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
