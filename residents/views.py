import base64
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from hamlet import wings
from hamlet.access import get_visible_or_404, identity_shown
from hamlet.forms import form_page
from hamlet.spreadsheets import EXPORT_FORMATS, spreadsheet_response
from residents import services
from residents.audit import record_access, record_listing, record_refusals, shown_about
from residents.contract import panels_for, timeline
from residents.filters import ResidentFilter
from residents.forms import (
    DepartureForm,
    ImportForm,
    NonAssociationForm,
    ResidentForm,
    ResidentSearchForm,
    StageChangeForm,
    SubjectAccessForm,
    SupportContactForm,
)
from residents.models import Resident
from residents.resources import (
    COLUMNS,
    REQUIRED_COLUMNS,
    ResidentExportResource,
    check_import,
    import_template,
)
from residents.selectors import (
    namesake_warning,
    non_associations_of,
    resident_at,
    resident_for_page,
    residents_due_for_anonymisation,
)
from residents.subject_access import everything_about, in_words
from residents.tables import ResidentTable, RetentionTable

IMPORT_SESSION_KEY = "residents_import"


# A search names a person, so it is sent by POST and kept in the session: never in an
# address, where it would reach browser history and web server logs.
SEARCH_SESSION_KEY = "residents_search"


def _filtered(request) -> ResidentFilter:
    queryset = Resident.objects.visible_to(request.user).select_related("houseblock")
    data = request.GET.copy()
    data.pop("q", None)
    if search := request.session.get(SEARCH_SESSION_KEY):
        data["q"] = search
    return ResidentFilter(data, queryset=queryset, user=request.user, wing=wings.current_wing(request))


def _search_form(request) -> ResidentSearchForm:
    filters = request.GET.copy()
    filters.pop("page", None)
    initial = {"q": request.session.get(SEARCH_SESSION_KEY, ""), "filters": filters.urlencode()}
    return ResidentSearchForm(initial=initial, searching=bool(initial["q"]))


@require_GET
@permission_required("residents.view_resident", raise_exception=True)
def resident_list(request):
    filterset = _filtered(request)
    residents = filterset.qs  # validates the filter form
    # Everyone listed is still on the wing unless the filter says otherwise: no "Left" column.
    current_only = filterset.form.cleaned_data.get("status") == "current"
    table = ResidentTable(residents, exclude=["departed_on"] if current_only else [])
    RequestConfig(request, paginate=True).configure(table)
    record_listing(user=request.user, residents=[row.record for row in table.page.object_list], how="list page")
    context = {"filter": filterset, "table": table, "search_form": _search_form(request)}
    return render(request, "residents/resident_list.html", context)


@require_POST
@permission_required("residents.view_resident", raise_exception=True)
def resident_search(request):
    """Remember (or forget) what was searched for, then show the list with the same filters."""
    form = ResidentSearchForm(request.POST)
    search = form.cleaned_data["q"] if form.is_valid() and "clear" not in request.POST else ""
    if search:
        request.session[SEARCH_SESSION_KEY] = search
    else:
        request.session.pop(SEARCH_SESSION_KEY, None)
    filters = QueryDict(form.cleaned_data.get("filters", "") if form.is_valid() else "", mutable=True)
    filters.pop("q", None)
    url = reverse("residents:list")
    return redirect(f"{url}?{filters.urlencode()}" if filters else url)


@require_GET
@permission_required("residents.export_resident", raise_exception=True)
def resident_export(request, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    residents = list(_filtered(request).qs.select_related("houseblock"))
    record_listing(user=request.user, residents=residents, how=f"export {fmt}")
    return spreadsheet_response(ResidentExportResource().export(queryset=residents), fmt=fmt, name="residents")


@record_refusals
@require_GET
@permission_required("residents.view_resident", raise_exception=True)
def resident_detail(request, pk: int):
    resident = resident_for_page(user=request.user, pk=pk)
    record_access(user=request.user, resident=resident, how="page")
    non_associations = non_associations_of(resident=resident, user=request.user)
    # The other party of a non-association is named and linked on the page: their view counts too.
    record_listing(user=request.user, residents=[other for _, other in non_associations], how="non-associations")
    return render(
        request,
        "residents/resident_detail.html",
        {
            "resident": resident,
            "timeline": timeline(resident),
            "support_contacts": resident.support_contacts.all(),
            "non_associations": non_associations,
            "panels": panels_for(resident, request.user),
        },
    )


@permission_required("residents.add_resident", raise_exception=True)
def resident_admit(request):
    wing = wings.current_wing_or_404(request)
    form = ResidentForm(request.POST or None, wing=wing, user=request.user)

    def act():
        permitted = form.cleaned_data["permitted_staff"]
        resident = services.resident_admit(resident=form.save(commit=False), by=request.user, permitted_staff=permitted)
        if resident.namesakes().exists():
            messages.warning(request, namesake_warning(resident))
        return f"{resident} has been admitted to {wing.name}.", resident

    return form_page(request, form, act=act, template="residents/resident_form.html", context={"wing": wing})


@record_refusals
@permission_required("residents.change_resident", raise_exception=True)
def resident_edit(request, pk: int):
    resident = get_visible_or_404(Resident.objects.select_related("wing"), request.user, pk=pk)
    form = ResidentForm(request.POST or None, instance=resident, wing=resident.wing, user=request.user)

    def act():
        permitted, version = form.cleaned_data["permitted_staff"], form.opened_version
        services.resident_update(
            resident=form.save(commit=False), version=version, by=request.user, permitted_staff=permitted
        )
        return f"{resident}'s record has been updated.", resident

    context = {"wing": resident.wing, "resident": resident}
    shown = shown_about(request, resident, "edit form")
    return form_page(request, form, act=act, template="residents/resident_form.html", context=context, shown=shown)


def _resident_action(request, pk: int, form_class, template: str, act, *, on_the_wing: bool = True):
    """Fetch in scope → bind → ``act(resident, form)`` calls the service → back to the resident page.
    ``on_the_wing``: recorded only about someone living on a wing, not a person referred onto it."""
    resident = get_visible_or_404(Resident.objects.select_related("wing"), request.user, pk=pk)
    if not resident.is_current:
        messages.error(request, f"{resident} has left the wing, so this can no longer be recorded.")
        return redirect(resident)
    if on_the_wing and not resident.on_a_wing:
        messages.error(request, f"{resident} is not on a wing yet, so this is recorded once they have moved onto it.")
        return redirect(resident)
    form = form_class(request.POST or None)
    context = {
        "resident": resident,
        "back_url": resident.get_absolute_url(),
        "back_text": "Back to the resident",
        "caption": identity_shown(request.user, resident),
    }
    return form_page(
        request,
        form,
        act=lambda: (act(resident, form), resident),
        template=template,
        context=context,
        shown=shown_about(request, resident),
    )


@record_refusals
@permission_required("residents.add_stagechange", raise_exception=True)
def resident_stage(request, pk: int):
    def act(resident, form):
        change = services.resident_change_stage(resident=resident, by=request.user, **form.cleaned_data)
        return f"{resident} is now at: {change.get_stage_display()}."

    return _resident_action(request, pk, StageChangeForm, "residents/resident_stage.html", act)


@record_refusals
@permission_required("residents.add_supportcontact", raise_exception=True)
def resident_support(request, pk: int):
    def act(resident, form):
        contact = form.save(commit=False)
        contact.resident, contact.staff = resident, request.user
        services.support_log(contact=contact)
        return f"Support for {resident} has been logged."

    return _resident_action(request, pk, SupportContactForm, "residents/resident_support.html", act)


@record_refusals
@permission_required("residents.change_resident", raise_exception=True)
def resident_depart(request, pk: int):
    def act(resident, form):
        data = form.cleaned_data
        services.resident_depart(
            resident=resident, departed_on=data["departed_on"], reason=data["reason"], by=request.user
        )
        return f"{resident} has left the wing."

    return _resident_action(request, pk, DepartureForm, "residents/resident_depart.html", act)


@record_refusals
@permission_required("residents.add_nonassociation", raise_exception=True)
def resident_non_association(request, pk: int):
    def act(resident, form):
        other = resident_at(
            user=request.user, establishment=resident.establishment_id, prison_number=form.cleaned_data["other"]
        )
        if other is None:
            raise ValidationError({"other": "There is no resident with this prison number at this establishment"})
        services.non_association_add(
            resident=resident, other=other, reason=form.cleaned_data["reason"], by=request.user
        )
        return f"{resident} and {other} will be kept apart."

    # Two people of the establishment are kept apart wherever they are, on a wing or not yet.
    return _resident_action(
        request, pk, NonAssociationForm, "residents/resident_non_association.html", act, on_the_wing=False
    )


@permission_required("residents.import_resident", raise_exception=True)
def resident_import(request):
    wing = wings.current_wing_or_404(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    check = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        check = check_import(wing=wing, name=upload.name, content=content, by=request.user)
        if check.ok:
            # Kept in the (server-side, 30-minute) session until the user confirms.
            request.session[IMPORT_SESSION_KEY] = {
                "wing": wing.pk,
                "name": upload.name,
                "content": base64.b64encode(content).decode(),
            }
    context = {
        "form": form,
        "check": check,
        "wing": wing,
        "column_labels": [column.replace("_", " ").capitalize().replace("Cats id", "CATS ID") for column in COLUMNS],
        "required": REQUIRED_COLUMNS,
    }
    return render(request, "residents/resident_import.html", context)


@require_GET
@permission_required("residents.import_resident", raise_exception=True)
def resident_import_template(request):
    """The spreadsheet to fill in: the columns, an example row and notes on each column."""
    wing = wings.current_wing_or_404(request)
    response = HttpResponse(import_template(wing), content_type=EXPORT_FORMATS["xlsx"][0])
    response["Content-Disposition"] = 'attachment; filename="residents-import-template.xlsx"'
    return response


@require_POST
@permission_required("residents.import_resident", raise_exception=True)
def resident_import_confirm(request):
    pending = request.session.pop(IMPORT_SESSION_KEY, None)
    wing = wings.current_wing(request)
    if not pending or wing is None or pending["wing"] != wing.pk:
        messages.error(request, "There was no checked file to import. Choose the file again.")
        return redirect("residents:import")
    check = check_import(
        wing=wing, name=pending["name"], content=base64.b64decode(pending["content"]), commit=True, by=request.user
    )
    if not check.ok:
        messages.error(request, "The file could not be imported. Nothing was saved.")
        return redirect("residents:import")
    noun = "resident has" if check.rows == 1 else "residents have"
    messages.success(request, f"{check.rows} {noun} been imported to {wing.name}.")
    return redirect("residents:list")


@require_GET
@permission_required("residents.anonymise_resident", raise_exception=True)
def resident_retention(request):
    table = RetentionTable(residents_due_for_anonymisation(user=request.user, today=timezone.localdate()))
    RequestConfig(request, paginate=True).configure(table)
    record_listing(user=request.user, residents=[row.record for row in table.page.object_list], how="retention page")
    context = {"table": table, "retention_years": settings.HAMLET_RETENTION_YEARS}
    return render(request, "residents/resident_retention.html", context)


@record_refusals
@permission_required("residents.anonymise_resident", raise_exception=True)
def resident_anonymise(request, pk: int):
    """Asks first (GET), then anonymises (POST): it cannot be undone."""
    resident = get_visible_or_404(
        residents_due_for_anonymisation(user=request.user, today=timezone.localdate()), request.user, pk=pk
    )
    if request.method != "POST":
        record_access(user=request.user, resident=resident, how="anonymise form")
        return render(request, "residents/resident_anonymise.html", {"resident": resident})
    services.resident_anonymise(resident=resident, by=request.user, today=timezone.localdate())
    messages.success(request, f"The record has been anonymised as {resident}.")
    return redirect("residents:retention")


@record_refusals
@require_http_methods(["GET", "POST"])
# The page carries the audit trail, so it needs the permission to read audit entries too.
@permission_required(["residents.subject_access_resident", "auditlog.view_logentry"], raise_exception=True)
def resident_subject_access(request, pk: int):
    """Asks why (GET), then shows everything held about the person as a page to hand to them,
    with the same as JSON beside it (POST with ``format=json``). Each is an access entry with the reason."""
    resident = resident_for_page(user=request.user, pk=pk)
    form = SubjectAccessForm(request.POST or None)
    if not (request.method == "POST" and form.is_valid()):
        record_access(user=request.user, resident=resident, how="subject access form")
        context = {
            "form": form,
            "back_url": reverse("residents:detail", args=[resident.pk]),
            "back_text": "Back to the resident",
            "caption": identity_shown(request.user, resident),
        }
        return render(request, "residents/subject_access_form.html", context)
    reason = form.cleaned_data["reason"]
    record_access(user=request.user, resident=resident, how="subject access", reason=reason)
    held = everything_about(resident)
    if request.POST.get("format") == "json":
        response = HttpResponse(
            json.dumps(held, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="subject-access-{resident.pk}.json"'
        return response
    context = {"resident": resident, "held": held, "sections": in_words(held), "reason": reason}
    return render(request, "residents/subject_access.html", context)
