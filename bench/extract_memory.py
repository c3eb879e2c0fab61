"""``make bench-extract``: the research extract's CSV for every consenting resident of every
wing, downloaded through gunicorn, with the worker's peak memory (issue 16: under 150 MB).

On the benchmark's data (``make bench`` loads it), it makes sure of an evaluator who sees all
establishments, ``evaluator.national`` (the synthetic evaluators see a region each), with an
authenticator device like theirs; starts gunicorn with one sync worker and the benchmark's
settings (and a worker timeout of 120 s); signs in; reads the worker's memory; downloads the
file; and reads it again. The peak is the worker's VmHWM in /proc, the most resident memory
it has held since the download began.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamlet.settings_bench")

USERNAME = "evaluator.national"


def national_evaluator() -> None:
    """An evaluator who sees every establishment, made once and kept with the bench data."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hamlet.models import Establishment, JobTitle, Organisation, StaffProfile
    from hamlet.roles import Role
    from hamlet.synthetic import SYNTHETIC_PASSWORD

    user, created = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"first_name": "Evaluator", "last_name": "National"}
    )
    if created:
        user.password = make_password(SYNTHETIC_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=Role.EVALUATOR.value))
        TOTPDevice.objects.create(user=user, name="Synthetic authenticator", confirmed=True)
    profile, _ = StaffProfile.objects.get_or_create(
        user=user, defaults={"organisation": Organisation.objects.first(), "job_title": JobTitle.EVALUATOR}
    )
    profile.establishments.set(Establishment.objects.all())


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB."""
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {line.split(":")[0]: int(line.split()[1]) for line in status if line.startswith(("VmRSS", "VmHWM"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--path", default="/evaluation/extract.csv")
    parser.add_argument("--warm", default="/bench/hello/", help="a page fetched first, before 'before'")
    # gunicorn's default of 30 seconds kills a sync worker still busy with one request.
    parser.add_argument("--timeout", type=int, default=120, help="gunicorn's worker timeout, seconds")
    options = parser.parse_args()
    import requests
    from run import _wait_for, sign_in

    national_evaluator()
    base = f"http://127.0.0.1:{options.port}"
    gunicorn = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "hamlet.wsgi", "--workers", "1", "--timeout", str(options.timeout)]
        + ["--bind", f"127.0.0.1:{options.port}", "--log-level", "warning"],
        cwd=ROOT,
    )
    try:
        _wait_for(f"{base}/healthz")
        cookies = sign_in(base, USERNAME)
        worker = int(Path(f"/proc/{gunicorn.pid}/task/{gunicorn.pid}/children").read_text().split()[0])
        requests.get(f"{base}{options.warm}", cookies=cookies, timeout=60).raise_for_status()
        # Signing in hashes the password with Argon2, which takes 100 MB for a moment: start the
        # peak again from here ("5" resets VmHWM to the present VmRSS), so it is the download's.
        Path(f"/proc/{worker}/clear_refs").write_text("5")
        before = memory(worker)
        started = time.monotonic()
        first_byte = None
        size = lines = 0
        with requests.get(f"{base}{options.path}", cookies=cookies, stream=True, timeout=600) as response:
            response.raise_for_status()
            for chunk in response.iter_content(chunk_size=65536):
                first_byte = first_byte or time.monotonic() - started
                size += len(chunk)
                lines += chunk.count(b"\n")
        took = time.monotonic() - started
        after = memory(worker)
    finally:
        gunicorn.terminate()
        gunicorn.wait()
    print(f"{options.path} as {USERNAME}: {lines - 1:,} rows, {size / 1e6:.1f} MB")
    print(f"  first byte after {first_byte:.2f} s, whole file in {took:.1f} s")
    print(f"  worker before: VmRSS {before['VmRSS'] / 1024:.0f} MB, VmHWM {before['VmHWM'] / 1024:.0f} MB")
    print(f"  worker after:  VmRSS {after['VmRSS'] / 1024:.0f} MB, VmHWM {after['VmHWM'] / 1024:.0f} MB (peak)")


if __name__ == "__main__":
    main()
