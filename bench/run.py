"""``make bench``: Hamlet's pages under a fixed load, as ratios of a signed-in "hello".

Against the PostgreSQL database in DATABASE_URL (created, migrated and filled with the
national synthetic data if it is not there yet), it starts gunicorn on 127.0.0.1 with
the benchmark's settings (hamlet.settings_bench), signs in as a custody manager and as
an evaluator with their passwords and seeded authenticator devices, and drives each page
with wrk for a fixed time at a fixed concurrency. Each page is also fetched once in this
process to count its queries. It prints a table and writes JSON (bench/results.json).

Noise from other work on the machine moves every page together, so read the ratios to
"hello", which is driven again just before each page, not the raw requests per second.

Adding a page is one line in PAGES.
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamlet.settings_bench")


@dataclass(frozen=True)
class Page:
    name: str
    user: str  # "manager" or "evaluator"
    # Formatted with the ids found in the data: {resident}, {mentor}, {round}, {cohort}, {session},
    # {period}, {mapping_before}, {mapping_after}.
    path: str
    # The least a page should reach, as a share of hello's throughput (the targets).
    target: float = 0.5
    # Driven by opening and saving it (drive_register_saves) rather than by GETs alone.
    saves: bool = False


PAGES = [
    Page("hello", "manager", "/bench/hello/", target=1.0),
    # Nothing but the layout every page has: the most any page can reach (no target of its own).
    Page("layout only (the floor of every page)", "manager", "/bench/layout/", target=0.0),
    Page("wing dashboard (home, this week)", "manager", "/"),
    Page("wing dashboard (this month)", "manager", "/?show=month"),
    Page("residents list (left the wing, page 1)", "manager", "/residents/?status=left&page=1"),
    Page("resident page", "manager", "/residents/{resident}/"),
    Page("mentor page", "manager", "/mentoring/mentors/{mentor}/"),
    Page("workload", "manager", "/mentoring/workload/"),
    Page("recruitment round", "manager", "/mentoring/recruitment/{round}/"),
    Page("programme (cohorts)", "manager", "/programme/"),
    Page("waiting list", "manager", "/programme/waiting-list/"),
    Page("cohort page", "manager", "/programme/cohorts/{cohort}/"),
    Page("register (a session's attendance)", "manager", "/programme/sessions/{session}/"),
    Page("register saved (GET, then POST)", "manager", "/programme/sessions/{session}/", saves=True),
    Page("meetings", "manager", "/programme/meetings/"),
    Page("social-capital grid (a period)", "manager", "/evaluation/periods/{period}/"),
    Page("participation ladder", "manager", "/evaluation/periods/{period}/ladder/"),
    Page(
        "relational mapping comparison",
        "manager",
        "/evaluation/mappings/compare/?before={mapping_before}&after={mapping_after}",
        target=0.25,
    ),
    Page("social climate", "manager", "/evaluation/climate/"),
    Page("every wing's grid (regional)", "evaluator", "/evaluation/grid/wings/", target=0.25),
    Page("site report", "manager", "/evaluation/report/", target=0.25),
    Page("regional dashboard (every wing)", "evaluator", "/regional/", target=0.25),
    Page("regional dashboard download (CSV)", "evaluator", "/regional/export.csv", target=0.25),
    Page("research extract", "evaluator", "/evaluation/", target=0.25),
    Page("research extract download (CSV)", "evaluator", "/evaluation/extract.csv", target=0.25),
]


def _programme_pages(wing) -> dict:
    from django.db.models import Count
    from django.utils import timezone

    from programme.models import Cohort

    cohort = (
        Cohort.objects.filter(wing=wing, status="running", phase="phase_1")
        .annotate(people=Count("enrolments"))
        .order_by("-people")
        .first()
    )
    held = cohort.sessions.filter(on__lte=timezone.localdate(), cancel_reason="").order_by("-on")
    # The register is saved by each client on a session of its own: two people saving one
    # register at once is refused for the second (hamlet.versions), which is not what is measured.
    return {"cohort": cohort.pk, "session": held[0].pk, "sessions": list(held.values_list("pk", flat=True)[:16])}


def _evaluation_pages(wing) -> dict:
    from evaluation.models import AssessmentPeriod, RelationalMapping

    period = AssessmentPeriod.objects.filter(wing=wing).order_by("-starts_on").first()
    mappings = RelationalMapping.objects.filter(period__wing=wing).order_by("-held_on")
    latest, earliest = mappings.first(), mappings.last()
    return {"period": period.pk, "mapping_before": earliest.pk, "mapping_after": latest.pk}


def ensure_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')  # the name is ours, from the Makefile
            print(f"Created database {name}")


def prepare() -> dict:
    """Migrate, collect static files, generate the national data if the database is empty,
    and find the records the pages are about."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count, Exists, OuterRef

    from hamlet.models import Establishment
    from mentoring.models import RecruitmentRound, RoleHolding
    from residents.models import Resident

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Establishment.objects.exists():
        started = time.monotonic()
        call_command("generate_data", scale="national")
        print(f"National data loaded in {time.monotonic() - started:.0f} s")
    wing = Establishment.objects.order_by("pk").first().wings.get()
    mentor_role = RoleHolding.objects.current().filter(resident=OuterRef("pk"), role__is_cfo_role=True)
    busiest_mentor = (
        Resident.objects.current()
        .filter(Exists(mentor_role), wing=wing)
        .annotate(contacts=Count("mentor_contacts"))
        .order_by("-contacts", "pk")
        .first()
    )
    return {
        "resident": busiest_mentor.pk,
        "mentor": busiest_mentor.pk,
        "round": RecruitmentRound.objects.filter(wing=wing, closed_on__isnull=True).get().pk,
        # The running Phase 1 cohort with the most residents, and its latest session held.
        **_programme_pages(wing),
        # The wing's latest period, and its earliest and latest relational mappings.
        **_evaluation_pages(wing),
        "manager": wing.establishment.staff.get(job_title="custody_manager").user.username,
        "evaluator": wing.establishment.staff.get(job_title="evaluator").user.username,
    }


def totp_code(username: str) -> str:
    """The code the seeded authenticator shows now, or the next one (the devices allow one
    step of drift) if this one was used by a run a moment ago."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    now = totp.t()
    while totp.t() <= device.last_t:
        totp.time += device.step
    if totp.t() - now > device.tolerance:  # wait until the server will take it
        time.sleep((totp.t() - now - device.tolerance) * device.step)
    return f"{totp.token():0{device.digits}d}"


def sign_in(base: str, username: str) -> dict[str, str]:
    """Sign in as a person would, password then authenticator code; returns the cookies."""
    import requests

    from hamlet.synthetic import SYNTHETIC_PASSWORD

    session = requests.Session()
    session.get(f"{base}/sign-in/")
    response = session.post(
        f"{base}/sign-in/",
        data={
            "username": username,
            "password": SYNTHETIC_PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
    )
    if "/account/two-factor/" in response.url:
        response = session.post(
            f"{base}/account/two-factor/",
            data={"code": totp_code(username), "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        )
    hello = session.get(f"{base}/bench/hello/", allow_redirects=False)
    if hello.status_code != 200:
        raise SystemExit(f"Could not sign in as {username}: /bench/hello/ answered {hello.status_code}")
    return session.cookies.get_dict()


def count_queries(path: str, cookies: dict[str, str]) -> tuple[int, int]:
    """One request in this process, through the same middleware, to count its queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    for name, value in cookies.items():
        client.cookies[name] = value
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


def drive(url: str, cookies: dict[str, str], *, seconds: int, connections: int) -> dict:
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s"]
    command += ["-s", str(ROOT / "bench" / "report.lua"), "-H", f"Cookie: {cookie}", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    result = json.loads(output.strip().splitlines()[-1])
    return {
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "p50_ms": result["p50_us"] / 1000,
        "p95_ms": result["p95_us"] / 1000,
        "errors": result["errors"],
        "requests": result["requests"],
    }


def drive_register_saves(urls: list[str], cookies: dict[str, str], *, seconds: int) -> dict:
    """The register as staff use it: opened (GET), then sent back (POST) with its marks, the first
    one changed from attended to sick or back, so that every POST saves. A client for each of
    ``urls`` (a session's register each) does this over and over for ``seconds``. Requests a
    second count both halves; p50 and p95 are the POSTs' own; an error is any POST not answered
    with the redirect back to the register."""
    import threading

    import requests

    sys.path.insert(0, str(ROOT / "scripts"))
    from check_scale_out import form_on

    stop = time.monotonic() + seconds
    times: list[float] = []
    counts = {"requests": 0, "errors": 0}
    lock = threading.Lock()

    def client(url: str) -> None:
        session = requests.Session()
        session.cookies.update(cookies)
        while time.monotonic() < stop:
            page = session.get(url, timeout=60)
            fields = form_on(page, "version")
            first = re.search(r'name="(\d+)-mark"', page.text).group(1)
            fields[f"{first}-mark"] = "sick" if fields.get(f"{first}-mark") == "attended" else "attended"
            fields[f"{first}-supported_by"] = ""
            started = time.monotonic()
            response = session.post(url, data=fields, allow_redirects=False, timeout=60)
            took = time.monotonic() - started
            with lock:
                times.append(took)
                counts["requests"] += 2
                if response.status_code != 302:
                    counts["errors"] += 1
                    refusal = re.search(r'govuk-error-summary__list">\s*<li>\s*<a[^>]*>([^<]+)', response.text)
                    print(f"    POST {response.status_code}: {refusal.group(1) if refusal else ''}", flush=True)

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=[url]) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    times.sort()
    return {
        "rps": counts["requests"] / elapsed,
        "p50_ms": times[len(times) // 2] * 1000,
        "p95_ms": times[int(len(times) * 0.95)] * 1000,
        "errors": counts["errors"],
        "requests": counts["requests"],
    }


def stress(base: str, ids: dict, cookies: dict, *, seconds: int, connections: int) -> dict:
    """Every page in turn at ``connections`` clients for ``seconds``: half the clients as the
    custody manager over their pages, half as the evaluator over theirs, at the same time."""
    runs = {}
    for who in ("manager", "evaluator"):
        paths = "\n".join(page.path.format(**ids) for page in PAGES if page.user == who)
        cookie = "; ".join(f"{name}={value}" for name, value in cookies[who].items())
        command = ["wrk", "-t2", f"-c{connections // 2}", f"-d{seconds}s", "--timeout", "60s"]
        command += ["-s", str(ROOT / "bench" / "report.lua"), "-H", f"Cookie: {cookie}", base]
        runs[who] = subprocess.Popen(  # noqa: S603
            command, stdout=subprocess.PIPE, text=True, env={**os.environ, "WRK_PATHS": paths}
        )
    results = {who: json.loads(run.communicate()[0].strip().splitlines()[-1]) for who, run in runs.items()}
    return {
        "seconds": seconds,
        "connections": connections,
        "requests": sum(result["requests"] for result in results.values()),
        "errors": sum(result["errors"] for result in results.values()),
        "p95_ms": max(result["p95_us"] for result in results.values()) / 1000,
    }


def volumes() -> dict[str, int]:
    from auditlog.models import LogEntry

    from hamlet.models import Establishment
    from mentoring.models import MentorContact, SupervisionSession
    from residents.models import Resident

    return {
        "establishments": Establishment.objects.count(),
        "residents": Resident.objects.count(),
        "residents_on_wings_now": Resident.objects.current().count(),
        "mentor_contacts": MentorContact.objects.count(),
        "supervision_sessions": SupervisionSession.objects.count(),
        "audit_and_access_entries": LogEntry.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--connections", type=int, default=4, help="concurrent clients")
    parser.add_argument("--seconds", type=int, default=15, help="how long each page is driven")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--only", help="drive only pages whose name contains one of these, comma-separated (hello is always driven)"
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument(
        "--stress",
        type=int,
        metavar="SECONDS",
        help="then every page at concurrency 16 for this long (default 60, or 0 with --only)",
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("The benchmark needs wrk: apt-get install wrk")
    ensure_database(os.environ["DATABASE_URL"])
    ids = prepare()
    base = f"http://127.0.0.1:{options.port}"
    gunicorn = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "hamlet.wsgi", "--workers", str(options.workers)]
        + ["--bind", f"127.0.0.1:{options.port}", "--log-level", "warning"],
        cwd=ROOT,
    )
    try:
        _wait_for(f"{base}/healthz")
        cookies = {who: sign_in(base, ids[who]) for who in ("manager", "evaluator")}
        wanted = options.only.split(",") if options.only else [""]
        pages = [page for page in PAGES if page.name == "hello" or any(part in page.name for part in wanted)]
        rows = []
        for page in pages:
            if page.name != "hello":
                # Hello again just before each page: the machine's load drifts over a run, and
                # the ratio should compare the page with the ceiling measured beside it.
                beside = _measure(pages[0], base, ids, cookies, options, quiet=True)
            row = _measure(page, base, ids, cookies, options)
            row["hello_beside"] = row["rps"] if page.name == "hello" else beside["rps"]
            row["ratio"] = row["rps"] / row["hello_beside"]
            rows.append(row)
        loaded = None
        seconds = options.stress if options.stress is not None else (0 if options.only else 60)
        if seconds:
            print(f"  every page in turn at concurrency 16 for {seconds} s", flush=True)
            loaded = stress(base, ids, cookies, seconds=seconds, connections=16)
    finally:
        gunicorn.terminate()
        gunicorn.wait()
    report = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": f"{platform.node()}, {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}",  # noqa: E501
        "gunicorn_workers": options.workers,
        "connections": options.connections,
        "seconds_per_page": options.seconds,
        "volumes": volumes(),
        "pages": rows,
        "stress": loaded,
    }
    Path(options.output).write_text(json.dumps(report, indent=2) + "\n")
    print(table(report))
    print(f"Written to {options.output}")


def _wait_for(url: str) -> None:
    import requests

    for _ in range(120):
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still loading
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer at {url}")


def _measure(page: Page, base: str, ids: dict, cookies: dict, options, quiet: bool = False) -> dict:
    import requests

    path = page.path.format(**ids)
    for _ in range(3):  # warm both workers (and the figures held in Redis) before the clock starts
        requests.get(base + path, cookies=cookies[page.user], timeout=60)
    status, queries = count_queries(path, cookies[page.user])  # as the run will find it
    if page.saves:
        registers = [base + page.path.format(**{**ids, "session": pk}) for pk in ids["sessions"]]
        measured = drive_register_saves(registers[: options.connections], cookies[page.user], seconds=options.seconds)
    else:
        measured = drive(base + path, cookies[page.user], seconds=options.seconds, connections=options.connections)
    if status != 200:
        measured["errors"] = max(measured["errors"], measured["requests"])
    if not quiet:
        print(f"  {page.name}: {measured['rps']:.1f} requests/s, {queries} queries, status {status}", flush=True)
    return {"page": page.name, "path": re.sub(r"\d{2,}", "…", path), "status": status, "queries": queries,
            "target": page.target, **measured}  # fmt: skip


def table(report: dict) -> str:
    lines = [
        f"{report['when']}; {report['machine']}; gunicorn {report['gunicorn_workers']} workers, "
        f"{report['connections']} clients, {report['seconds_per_page']} s a page",
        "",
        "| page | requests/s | hello beside it | × hello | target | p50 ms | p95 ms | errors | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report["pages"]:
        lines.append(
            f"| {row['page']} | {row['rps']:.1f} | {row['hello_beside']:.1f} | {row['ratio']:.2f} | "
            f"{row['target']:.2f} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['errors']} | {row['queries']} |"
        )
    if report.get("stress"):
        run = report["stress"]
        lines += [
            "",
            f"Every page in turn at concurrency {run['connections']} for {run['seconds']} s: {run['requests']:,} "
            f"requests, {run['errors']} errors, p95 {run['p95_ms']:.0f} ms.",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
