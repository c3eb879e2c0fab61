# Sourced by the check scripts that take `[--self-test] [postgres://user[:password]@host:port]`
# (check-backup.sh, check-scale-out.sh): reads those arguments and gives them psql helpers.
#
# Sets self_test (1 with --self-test, else 0) and server: the URL's scheme, credentials, host
# and port, to which each script adds a database name of its own. (Never echo server: it may
# carry a password.)

self_test=0
if [ "${1:-}" = "--self-test" ]; then
  self_test=1
  shift
fi
base_url="${1:-postgres://postgres@127.0.0.1:5432}"
[[ "$base_url" =~ ^(postgres(ql)?://[^/?]+) ]] || { echo "Not a postgres:// URL" >&2; exit 2; }
server="${BASH_REMATCH[1]}"

export PGOPTIONS="-c client_min_messages=warning"  # no NOTICE when a database is not there yet
psql_at() { psql "$1" -X -q -A -t -v ON_ERROR_STOP=1 -c "$2"; }
recreate() {
  psql_at "$server/postgres" "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
  psql_at "$server/postgres" "CREATE DATABASE $1"
}
random_key() { head -c 64 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9'; }
