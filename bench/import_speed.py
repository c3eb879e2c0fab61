"""How long importing 10,000 residents takes, on the benchmark's national data.

    make bench-import

The importer takes at most residents.resources.MAX_ROWS (1,000) rows a file, so this
imports ten files of 1,000 as a custody manager would: each checked first (the dry run
the import page shows) and then saved, through residents.resources.check_import. It all
happens in one transaction that is rolled back, so the national data is left as it was.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamlet.settings_bench")

RESIDENTS = 10_000


def main() -> None:
    import django

    django.setup()
    import tablib
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from hamlet.models import Wing
    from residents.models import Resident
    from residents.resources import MAX_ROWS, check_import

    wing = Wing.objects.order_by("pk").first()
    manager = get_user_model().objects.get(username="manager.001")
    # On a houseblock but in no room yet: the wing's rooms could not take 10,000 more.
    houseblock = wing.houseblocks.first().name
    files = []
    for start in range(0, RESIDENTS, MAX_ROWS):
        dataset = tablib.Dataset(
            headers=["prison_number", "pseudonym", "houseblock", "room", "sentence_type", "age_band", "arrived_on"]
        )
        for index in range(start, start + MAX_ROWS):
            number = f"T{index % 10_000:04d}{chr(65 + index // 10_000)}A"
            dataset.append([number, f"Imported {index}", houseblock, "", "Short", "25 to 29", "01/11/2026"])
        files.append(dataset.export("csv").encode())
    before = Resident.objects.count()
    timings = []
    with transaction.atomic():
        started = time.perf_counter()
        for content in files:
            file_started = time.perf_counter()
            checked = check_import(wing=wing, name="residents.csv", content=content, by=manager)
            assert checked.ok, checked.problems[:3]
            saved = check_import(wing=wing, name="residents.csv", content=content, commit=True, by=manager)
            assert saved.ok, saved.problems[:3]
            timings.append(time.perf_counter() - file_started)
            print(f"  file {len(timings)}: {timings[-1]:.1f} s", flush=True)
        elapsed = time.perf_counter() - started
        imported = Resident.objects.count() - before
        transaction.set_rollback(True)
    print(f"Imported {imported:,} residents in {len(files)} files of {MAX_ROWS:,} (each checked, then saved) "
          f"in {elapsed:.1f} s; per file {min(timings):.1f}–{max(timings):.1f} s. Rolled back.")  # fmt: skip


if __name__ == "__main__":
    main()
