#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: a cluster of its own under artifacts/postgres (initdb, trust auth,
# TCP on 127.0.0.1 only plus a Unix socket beside the data), installed from Debian's packages if the machine has
# no PostgreSQL, and run as the `postgres` user when we are root (PostgreSQL refuses to run as root).
#
#   scripts/postgres.sh start     starts it (or finds it running) and prints `export TEST_DATABASE_URL=...`
#   scripts/postgres.sh stop      stops it
#   eval "$(scripts/postgres.sh start)"   for running `dotnet test` by hand
#
# scripts/test.sh sources this file and calls pg_test_start / pg_test_stop.
# Settings: PG_TEST_PORT (default 55432; the next free port is taken when it is busy), PG_TEST_ROOT (default
# <repo>/artifacts/postgres). The tests make a fresh database per run inside this server (see
# SocketIoServer.Tests/Chat/Storage/PostgresTestServer.cs), so runs never see each other's data.

PG_TEST_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_TEST_ROOT="${PG_TEST_ROOT:-$PG_TEST_REPO/artifacts/postgres}"
PG_TEST_DATABASE="socketio_test"
PG_TEST_STARTED=0

pg_test_log() { echo "[postgres.sh] $*" >&2; }

# The newest PostgreSQL server binaries Debian installed (/usr/lib/postgresql/<major>/bin).
pg_test_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && echo "$dir"
}

pg_test_install() {
  if [[ -n "$(pg_test_bindir)" ]]; then return 0; fi
  if [[ $(id -u) -ne 0 ]]; then
    pg_test_log "PostgreSQL is not installed and we are not root: run 'sudo apt-get install -y postgresql'"
    return 1
  fi
  pg_test_log "installing PostgreSQL from the Debian packages"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
    || { pg_test_log "apt-get install postgresql failed"; return 1; }
  [[ -n "$(pg_test_bindir)" ]] || { pg_test_log "PostgreSQL installed, but no initdb under /usr/lib/postgresql/*/bin"; return 1; }
}

# Runs a command as the user who owns the cluster: `postgres` when we are root, else ourselves.
pg_test_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_test_prepare_dirs() {
  if [[ $(id -u) -eq 0 ]]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres \
      || { pg_test_log "could not create the postgres user"; return 1; }
  fi
  mkdir -p "$PG_TEST_ROOT/data" "$PG_TEST_ROOT/run" || return 1
  if [[ $(id -u) -eq 0 ]]; then
    chown -R postgres: "$PG_TEST_ROOT"
    # the postgres user must be able to reach the directory; when a parent is closed to it, use one under /tmp
    if ! runuser -u postgres -- test -w "$PG_TEST_ROOT/data"; then
      PG_TEST_ROOT=$(mktemp -d /tmp/socketio-postgres.XXXXXX)
      pg_test_log "the postgres user cannot reach the repository's artifacts/; using $PG_TEST_ROOT"
      mkdir -p "$PG_TEST_ROOT/data" "$PG_TEST_ROOT/run" && chown -R postgres: "$PG_TEST_ROOT"
    fi
  fi
  chmod 700 "$PG_TEST_ROOT/data"
}

pg_test_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts the cluster (creating it the first time) and exports TEST_DATABASE_URL.
pg_test_start() {
  local started=$SECONDS bin port
  pg_test_install || return 1
  bin=$(pg_test_bindir)
  pg_test_prepare_dirs || return 1
  local data="$PG_TEST_ROOT/data" run="$PG_TEST_ROOT/run" log="$PG_TEST_ROOT/server.log"

  if pg_test_as_owner "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; then
    port=$(sed -n 4p "$data/postmaster.pid")
    pg_test_log "PostgreSQL already running on port $port (left running at the end)"
  else
    local major
    major=$(basename "$(dirname "$bin")")
    if [[ -f "$data/PG_VERSION" && "$(cat "$data/PG_VERSION")" != "$major" ]]; then
      pg_test_log "the cluster in $data is from PostgreSQL $(cat "$data/PG_VERSION"); making a new one for $major"
      rm -rf "${data:?}"/* 
    fi
    if [[ ! -f "$data/PG_VERSION" ]]; then
      rm -rf "${data:?}"/*
      pg_test_as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >"$PG_TEST_ROOT/initdb.log" 2>&1 \
        || { cat "$PG_TEST_ROOT/initdb.log" >&2; pg_test_log "initdb failed"; return 1; }
    fi
    port="${PG_TEST_PORT:-55432}"
    local tries=0
    while pg_test_port_busy "$port"; do
      tries=$((tries + 1))
      [[ $tries -le 20 ]] || { pg_test_log "ports ${PG_TEST_PORT:-55432}..$port are all busy"; return 1; }
      port=$((port + 1))
    done
    # durability off (fsync, full pages): a test cluster is thrown away, and this makes it several times faster
    pg_test_as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
      -o "-p $port -k $run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null || { tail -20 "$log" >&2; pg_test_log "PostgreSQL did not start"; return 1; }
    PG_TEST_STARTED=1
  fi

  if ! pg_test_as_owner "$bin/psql" -h "$run" -p "$port" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$PG_TEST_DATABASE'" | grep -q 1; then
    pg_test_as_owner "$bin/createdb" -h "$run" -p "$port" -U postgres "$PG_TEST_DATABASE" \
      || { pg_test_log "createdb failed"; return 1; }
  fi
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/$PG_TEST_DATABASE"
  pg_test_log "PostgreSQL $(basename "$(dirname "$bin")") ready on port $port in $((SECONDS - started)) s ($PG_TEST_ROOT)"
}

# Stops the cluster if pg_test_start started it.
pg_test_stop() {
  [[ $PG_TEST_STARTED -eq 1 ]] || return 0
  local bin
  bin=$(pg_test_bindir) || return 0
  pg_test_as_owner "$bin/pg_ctl" -D "$PG_TEST_ROOT/data" -m fast -w stop >/dev/null 2>&1 && pg_test_log "PostgreSQL stopped"
  PG_TEST_STARTED=0
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  case "${1:-}" in
    start) pg_test_start && echo "export TEST_DATABASE_URL=$TEST_DATABASE_URL" ;;
    stop) PG_TEST_STARTED=1; pg_test_stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
  esac
fi
