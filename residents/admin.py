"""The Django admin's audit log names residents (each entry's record and changes), so reading
it there is accounted for like any page of Hamlet: every resident whose entries a page lists
or opens is named in one access entry (``residents.audit.record_listing``)."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from residents.audit import record_listing
from residents.models import Resident


def _record_shown(request, entries) -> None:
    resident_type = ContentType.objects.get_for_model(Resident)
    ids = {entry.object_id for entry in entries if entry.content_type_id == resident_type.pk and entry.object_id}
    if ids:
        shown = list(Resident.objects.filter(pk__in=ids).only("pk", "establishment"))
        record_listing(user=request.user, residents=shown, how="admin audit log")


class AccountedLogEntryAdmin(LogEntryAdmin):
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            _record_shown(request, changelist.result_list)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            _record_shown(request, [self.get_object(request, object_id)])
        return response


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, AccountedLogEntryAdmin)
