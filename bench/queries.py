"""Where one page's time goes: its queries, slowest first, with EXPLAIN ANALYZE of the
slowest, and (with --profile) a pyinstrument profile of the whole request.

    make bench-queries PAGE=/mentoring/workload/ [USER=manager.001] [PROFILE=1]

Runs in this process against the benchmark's database, signed in with force_login (so
without the two-factor step), through the same middleware as the benchmark.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamlet.settings_bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--user", default="manager.001")
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile too")
    parser.add_argument("--explain", type=int, default=1, help="how many of the slowest queries to explain")
    options = parser.parse_args()
    os.environ["HAMLET_2FA"] = "0"  # force_login cannot give a code
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=options.user))
    client.get(options.path)  # warm up
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(options.path)
    elapsed = time.perf_counter() - started
    queries = sorted(captured.captured_queries, key=lambda query: -float(query["time"]))
    total = sum(float(query["time"]) for query in queries)
    print(f"{options.path}: status {response.status_code}, {elapsed * 1000:.0f} ms, {len(queries)} queries, "
          f"{total * 1000:.0f} ms in the database")  # fmt: skip
    for query in queries:
        print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:300]}")
    with connection.cursor() as cursor:
        for query in queries[: options.explain]:
            if query["sql"].startswith("SELECT"):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n" + "\n".join(row[0] for row in cursor.fetchall()))
    if options.profile:
        from pyinstrument import Profiler

        with Profiler() as profiler:
            client.get(options.path)
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
