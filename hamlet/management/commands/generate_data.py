import random
import time

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from hamlet import computed
from hamlet.env import env_bool
from hamlet.models import Establishment
from hamlet.synthetic import SCALES, SYNTHETIC_PASSWORD, Context, finish, loading_in_bulk


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic, clearly fake data at a chosen scale, for measuring Hamlet. "
        "Each app adds its own records (its AppConfig.synthetic_data), in INSTALLED_APPS order."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="small")
        parser.add_argument("--seed", type=int, default=2026, help="The same seed gives the same data")

    def handle(self, *args, scale, seed, **options):
        if not settings.DEBUG and not env_bool("HAMLET_SYNTHETIC", default=False):
            raise CommandError(
                "Refusing to generate synthetic data with DEBUG off: it creates accounts with a published password. "
                "Set HAMLET_SYNTHETIC=1 if this really is a database for measuring Hamlet."
            )
        if Establishment.objects.exists() or get_user_model().objects.exists():
            raise CommandError("Refusing to generate synthetic data: the database already has establishments or users.")
        context = Context(today=timezone.localdate())
        started = time.monotonic()
        with transaction.atomic(), loading_in_bulk():
            for app_config in apps.get_app_configs():
                path = getattr(app_config, "synthetic_data", None)
                if not path:
                    continue
                app_started = time.monotonic()
                import_string(path)(scale=scale, rng=random.Random(f"{seed}:{app_config.name}"), context=context)  # noqa: S311 (fake data, not secrets)
                self.stdout.write(f"  {app_config.name}: {time.monotonic() - app_started:.1f} s")
            finish(context)
            # Written in bulk, without signals: nothing held from an earlier database may be shown.
            computed.changed([None])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the planner's statistics, as a database in use would have them
        self.stdout.write(
            self.style.SUCCESS(f"Synthetic data at {scale} scale generated in {time.monotonic() - started:.1f} s.")
        )
        for model in sorted(context.models_written, key=lambda model: model._meta.label):
            self.stdout.write(f"  {model._meta.label}: {model.objects.count():,}")
        self.stdout.write(f"Every synthetic user's password is {SYNTHETIC_PASSWORD}.")
