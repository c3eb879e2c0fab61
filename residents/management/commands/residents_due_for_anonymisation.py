from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from residents.models import Resident
from residents.selectors import retention_cutoff


class Command(BaseCommand):
    help = (
        "List residents who left more than HAMLET_RETENTION_YEARS years ago and are not yet anonymised. "
        "Custody managers anonymise them from the Records due for anonymisation page."
    )

    def handle(self, *args, **options):
        cutoff = retention_cutoff(timezone.localdate())
        due = (
            Resident.objects.not_anonymised()
            .filter(departed_on__lt=cutoff)
            .select_related("establishment")
            .order_by("establishment__name", "departed_on")
        )
        years = settings.HAMLET_RETENTION_YEARS
        self.stdout.write(f"Residents who left before {cutoff:%d/%m/%Y} ({years} years ago): {due.count()}")
        for resident in due:
            # Record ids and dates only: this output may end up in a log.
            self.stdout.write(
                f"  {resident.establishment.nomis_code}  record {resident.pk}  left {resident.departed_on:%d/%m/%Y}"
            )
