#!/usr/bin/env bash
# Make a local PostgreSQL server ready for the storage tests and print the line
#   export TEST_DATABASE_URL=postgresql+psycopg://cp:cp@localhost:<port>/consultplanner_test
# on stdout (everything else goes to stderr), so CI can do:
#   eval "$(scripts/ci-postgres.sh)"
# Idempotent: installs Debian's postgresql only if missing, creates a cluster only if none
# exists, starts it if it is down, creates the role and database only if missing.
# Needs root (or passwordless sudo). Override names with CP_PG_USER, CP_PG_PASSWORD, CP_PG_DB.
set -euo pipefail

PG_USER="${CP_PG_USER:-cp}"
PG_PASSWORD="${CP_PG_PASSWORD:-cp}"
PG_DB="${CP_PG_DB:-consultplanner_test}"

log() { echo "ci-postgres: $*" >&2; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        log "must run as root (or with sudo available)"
        exit 1
    fi
fi

as_postgres() {
    # Run a command as the postgres OS user, from a directory it can read.
    (cd / && $SUDO su postgres -s /bin/sh -c "$1")
}

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    log "installing postgresql (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update >&2
    $SUDO apt-get install -y postgresql >&2
fi

# The newest installed server version.
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if [ -z "$VERSION" ]; then
    log "no PostgreSQL server found under /usr/lib/postgresql"
    exit 1
fi

# Use the first cluster of that version, or create "main".
CLUSTER="$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v {print $2; exit}')"
if [ -z "$CLUSTER" ]; then
    log "creating cluster $VERSION/main"
    $SUDO pg_createcluster "$VERSION" main >&2
    CLUSTER=main
fi
STATUS="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $4}')"
PORT="$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1 == v && $2 == c {print $3}')"
if [ "$STATUS" != "online" ]; then
    log "starting cluster $VERSION/$CLUSTER on port $PORT"
    $SUDO pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi

for _ in $(seq 1 30); do
    if pg_isready -q -h localhost -p "$PORT"; then
        break
    fi
    sleep 1
done
if ! pg_isready -q -h localhost -p "$PORT"; then
    log "server on port $PORT does not accept connections"
    exit 1
fi

PSQL="psql -v ON_ERROR_STOP=1 -X -q -p $PORT"
if [ "$(as_postgres "$PSQL -tAc \"SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'\"")" != "1" ]; then
    log "creating role $PG_USER"
    as_postgres "$PSQL -c \"CREATE ROLE \\\"$PG_USER\\\" LOGIN SUPERUSER PASSWORD '$PG_PASSWORD'\"" >&2
fi
if [ "$(as_postgres "$PSQL -tAc \"SELECT 1 FROM pg_database WHERE datname = '$PG_DB'\"")" != "1" ]; then
    log "creating database $PG_DB"
    as_postgres "createdb -p $PORT -O \"$PG_USER\" \"$PG_DB\"" >&2
fi

echo "export TEST_DATABASE_URL=postgresql+psycopg://$PG_USER:$PG_PASSWORD@localhost:$PORT/$PG_DB"
