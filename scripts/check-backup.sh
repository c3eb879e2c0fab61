#!/usr/bin/env bash
# Prove that a backup of Hamlet's PostgreSQL database restores whole.
#
#   scripts/check-backup.sh [postgres://user[:password]@host:port[/ignored]]
#   scripts/check-backup.sh --self-test [url]
#
# 1. recreate hamlet_backup_source; migrate it and load the demo with production
#    settings, then make everyday changes (a resident leaves the wing, a failed sign-in,
#    a session) so the audit trail and the sign-in log have rows
# 2. back it up with `pg_dump -Fc`, as a nightly backup would
# 3. recreate hamlet_backup_restored, empty, and `pg_restore --single-transaction` into it
# 4. for every table in the source's public schema, compare the row count and an md5 of
#    all its rows between the two databases, and every sequence's position
#
# It fails on any difference, on a table missing from the copy, on fewer than 20 tables
# or on an empty audit trail (two empty databases match and prove nothing).
# --self-test deletes one audit entry from the copy before comparing: the run must fail.
#
# The two databases are dropped and recreated on every run and left behind afterwards
# for a look; only the server in the URL (default: local, user postgres) is used.
set -euo pipefail
cd "$(dirname "$0")/.."

# self_test, server, psql_at, recreate and random_key
source scripts/checks.sh
source_url="$server/hamlet_backup_source"
restored_url="$server/hamlet_backup_restored"

backup="$(mktemp --suffix=.dump)"
trap 'rm -f "$backup"' EXIT

echo "--- source: migrate, load the demo, make some changes"
recreate hamlet_backup_source
production_env=(
  DEBUG=0
  HAMLET_DEMO=1
  SECRET_KEY="$(random_key)"
  HAMLET_PSEUDONYM_KEY="$(random_key)"
  HAMLET_BACKUP_CODE_KEY="$(random_key)"
  ALLOWED_HOSTS=hamlet.example.org
  DATABASE_URL="$source_url"
)
django() { env "${production_env[@]}" .venv/bin/python manage.py "$@"; }
django migrate --noinput -v 0
django load_demo >/dev/null
django shell -v 0 -c '
from auditlog.context import set_actor
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.utils import timezone

from residents.models import DepartureReason, Resident
from residents.services import resident_depart

manager = User.objects.get(username="manager.dhi")
resident = Resident.objects.current().order_by("pk").first()
with set_actor(manager):
    resident_depart(resident=resident, departed_on=timezone.localdate(), reason=DepartureReason.RELEASED, by=manager)
authenticate(RequestFactory().post("/sign-in/"), username="officer.dhi", password="not the password")
Client().force_login(manager)
'

echo "--- pg_dump -Fc"
pg_dump -Fc -f "$backup" "$source_url"
echo "$(du -h "$backup" | cut -f1) backup"

echo "--- restore into an empty database"
recreate hamlet_backup_restored
pg_restore --single-transaction --exit-on-error --no-owner -d "$restored_url" "$backup"

if [ "$self_test" -eq 1 ]; then
  echo "--- self-test: deleting one audit entry from the restored copy"
  psql_at "$restored_url" "DELETE FROM auditlog_logentry WHERE id = (SELECT max(id) FROM auditlog_logentry)"
fi

echo "--- compare"
tables_sql="SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
mapfile -t tables < <(psql_at "$source_url" "$tables_sql")
restored_tables="$(psql_at "$restored_url" "$tables_sql")"

# Row count and an md5 over the md5 of every row, in sorted order so physical order
# on disk does not matter; printed as "rows|checksum".
fingerprint() {
  psql_at "$1" "SELECT count(*) || '|' || md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), ''))
                FROM public.$(printf '"%s"' "$2") t"
}

failures=0
audit_rows=0
printf '%-44s %8s  %-32s  %s\n' table rows checksum result
for table in "${tables[@]}"; do
  IFS='|' read -r rows checksum <<<"$(fingerprint "$source_url" "$table")"
  [ "$table" = auditlog_logentry ] && audit_rows="$rows"
  if ! grep -qxF "$table" <<<"$restored_tables"; then
    result=MISSING
  elif [ "$(fingerprint "$restored_url" "$table")" = "$rows|$checksum" ]; then
    result=OK
  else
    result="DIFFERENT (restored: $(fingerprint "$restored_url" "$table"))"
  fi
  printf '%-44s %8s  %-32s  %s\n' "$table" "$rows" "$checksum" "$result"
  [ "$result" = OK ] || failures=$((failures + 1))
done

sequences_sql="SELECT sequencename || ' ' || coalesce(last_value::text, 'unused')
               FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
if [ "$(psql_at "$source_url" "$sequences_sql")" = "$(psql_at "$restored_url" "$sequences_sql")" ]; then
  echo "sequences: all $(psql_at "$source_url" "$sequences_sql" | wc -l) at the same position: OK"
else
  echo "sequences: DIFFERENT"
  diff <(psql_at "$source_url" "$sequences_sql") <(psql_at "$restored_url" "$sequences_sql") || true
  failures=$((failures + 1))
fi

echo "---"
if [ "${#tables[@]}" -lt 20 ]; then
  echo "FAILED: only ${#tables[@]} tables in the source; the demo did not load" >&2
  exit 1
fi
if [ "$audit_rows" -eq 0 ]; then
  echo "FAILED: the audit trail (auditlog_logentry) is empty, so the comparison proves nothing" >&2
  exit 1
fi
if [ "$failures" -gt 0 ]; then
  echo "FAILED: $failures of ${#tables[@]} tables (or the sequences) differ after restoring" >&2
  exit 1
fi
echo "Backup restored whole: ${#tables[@]} tables, $audit_rows audit entries, in ${SECONDS}s."
