from django.core.management.base import BaseCommand
from django.utils import timezone

from residents.services import journey_catch_up


class Command(BaseCommand):
    help = (
        "Bring residents' engagement stages up to date with changes recorded ahead of their day "
        "(a cohort that starts later moves its residents into the phase on its start date). Run nightly."
    )

    def handle(self, *args, **options):
        moved = journey_catch_up(today=timezone.localdate())
        self.stdout.write(f"Residents whose stage changed today: {moved}")
