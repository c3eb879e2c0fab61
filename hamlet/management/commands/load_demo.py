from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hamlet import computed
from hamlet.demo import DEMO_PASSWORD
from hamlet.env import env_bool


class Command(BaseCommand):
    help = "Load (or refresh) Hamlet's demo data. Safe to run again: it updates in place."

    def handle(self, *args, **options):
        if not settings.DEBUG and not env_bool("HAMLET_DEMO", default=False):
            raise CommandError(
                "Refusing to load demo data with DEBUG off: it creates accounts with a published password. "
                "Set HAMLET_DEMO=1 if this really is a demo installation."
            )
        sign_ins = []
        with transaction.atomic():
            # Each app's demo builds on the ones before it, in the order of INSTALLED_APPS.
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if app_config.name.startswith("django.") or find_spec(module_name) is None:
                    continue
                sign_ins += import_module(module_name).load() or []
            # Partly written in bulk, without signals: nothing held from an earlier database may be shown.
            computed.changed([None])
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Sign in with any of these usernames and the password {DEMO_PASSWORD}:")
        for line in sign_ins:
            self.stdout.write(f"  {line}")
