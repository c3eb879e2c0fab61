from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from evaluation import disclosure, selectors
from evaluation.filters import ResearchExtractFilter
from evaluation.resources import ResearchExtractResource
from evaluation.tables import ResearchExtractTable
from hamlet.spreadsheets import EXPORT_FORMATS, spreadsheet_response
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
