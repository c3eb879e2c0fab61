#!/usr/bin/env bash
# Prove that Hamlet keeps no state in a process, so that nodes can be added behind a load
# balancer (issue 16, docs/deployment.md).
#
#   scripts/check-scale-out.sh [postgres://user[:password]@host:port[/ignored]]
#   scripts/check-scale-out.sh --self-test [url]
#
# 1. recreate the database hamlet_scale_out, migrate it and load the demo, with production
#    settings (DEBUG off, static files collected and served by whitenoise; plain HTTP on this
#    machine and two-factor sign-in off, as for the demo)
# 2. start two gunicorn instances on two free ports against it, with the same keys
# 3. scripts/check_scale_out.py signs in on one and uses the session on the other, saves a
#    change through one and reads it through the other, fails passwords on both and finds the
#    username locked on both, and signs out on one and finds the session gone on the other
#
# Sessions, lock-outs (django-axes's database handler) and the sign-in limit are in PostgreSQL;
# the figures the dashboards hold (hamlet.computed) are in one Redis (REDIS_URL, default
# redis://127.0.0.1:6379/0) that both nodes share, under a key prefix of this run's own.
#
# --self-test runs the nodes with Django's cache in each process's own memory, and lock-outs
# counted there (axes's cache handler): the run must fail, on the lock-outs and on the held
# dashboard. The database is dropped and recreated on every run and left behind afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

# self_test, server, psql_at, recreate and random_key
source scripts/checks.sh
database_url="$server/hamlet_scale_out"
free_port() { .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

settings=hamlet.settings
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$self_test" -eq 1 ]; then
  echo "--- self-test: the cache, and lock-outs, in each process's memory"
  cat >"$work/per_process_settings.py" <<'PY'
from hamlet.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"  # over that local-memory cache
PY
  settings=per_process_settings
fi

# The same environment for both nodes, as one deployment's nodes share it.
production_env=(
  DEBUG=0
  HAMLET_DEMO=1
  HAMLET_2FA=0
  SECRET_KEY="$(random_key)"
  HAMLET_PSEUDONYM_KEY="$(random_key)"
  HAMLET_BACKUP_CODE_KEY="$(random_key)"
  ALLOWED_HOSTS=127.0.0.1,localhost
  SECURE_SSL_REDIRECT=0
  SECURE_COOKIES=0
  SECURE_HSTS_SECONDS=0
  LOG_LEVEL=WARNING
  DATABASE_URL="$database_url"
  REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
  CACHE_KEY_PREFIX="scale-out-$(random_key)"
  DJANGO_SETTINGS_MODULE="$settings"
  PYTHONPATH="$work"
)
django() { env "${production_env[@]}" .venv/bin/python manage.py "$@"; }

echo "--- database hamlet_scale_out: migrate, load the demo"
recreate hamlet_scale_out
django migrate --noinput -v 0
django collectstatic --noinput -v 0
django load_demo >/dev/null
wing="$(psql_at "$database_url" "SELECT w.id FROM hamlet_wing w JOIN hamlet_establishment e ON e.id = w.establishment_id
                                  WHERE e.nomis_code = 'DHI' AND w.name = 'The Hamlet'")"

echo "--- two gunicorn nodes"
nodes=()
for name in A B; do
  port="$(free_port)"
  env "${production_env[@]}" .venv/bin/gunicorn hamlet.wsgi --bind "127.0.0.1:$port" --workers 1 \
    --log-level warning >"$work/node-$name.log" 2>&1 &
  pids+=("$!")
  nodes+=("http://127.0.0.1:$port")
done
answers() { .venv/bin/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$1/healthz" 2>/dev/null; }
for node in "${nodes[@]}"; do
  for _ in $(seq 120); do answers "$node" && break; sleep 0.5; done
  answers "$node" || { echo "FAILED: $node did not answer /healthz" >&2; cat "$work"/node-*.log >&2; exit 1; }
done

echo "--- one browser, two nodes"
status=0
.venv/bin/python scripts/check_scale_out.py "${nodes[0]}" "${nodes[1]}" "$wing" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- the nodes' logs"
  cat "$work"/node-*.log
  exit "$status"
fi
echo "Scale-out check passed in ${SECONDS}s."
