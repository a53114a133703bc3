#!/usr/bin/env bash
# A throwaway Redis for the tests: Debian's redis-server (installed if missing), on 127.0.0.1 only, no persistence,
# its pid file and log under artifacts/redis.
#
#   scripts/redis.sh start     starts it (or finds it running) and prints `export TEST_REDIS_URL=...`
#   scripts/redis.sh stop      stops it
#   eval "$(scripts/redis.sh start)"   for running `dotnet test` by hand
#
# scripts/test.sh sources this file and calls redis_test_start / redis_test_stop.
# Settings: REDIS_TEST_PORT (default 56379; the next free port is taken when it is busy).

REDIS_TEST_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REDIS_TEST_ROOT="$REDIS_TEST_REPO/artifacts/redis"
REDIS_TEST_STARTED=0

redis_test_log() { echo "[redis.sh] $*" >&2; }

redis_test_install() {
  command -v redis-server >/dev/null 2>&1 && return 0
  redis_test_log "installing redis-server from Debian's packages"
  if [[ $(id -u) -ne 0 ]]; then redis_test_log "not root: cannot install redis-server"; return 1; fi
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
}

redis_test_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

redis_test_start() {
  redis_test_install || return 1
  mkdir -p "$REDIS_TEST_ROOT"
  local port="${REDIS_TEST_PORT:-56379}"
  # ours already running (an earlier run that was not stopped): use it
  if [[ -f "$REDIS_TEST_ROOT/port" ]] && redis-cli -p "$(cat "$REDIS_TEST_ROOT/port")" ping >/dev/null 2>&1; then
    port=$(cat "$REDIS_TEST_ROOT/port")
  else
    while redis_test_port_busy "$port"; do port=$((port + 1)); done
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --pidfile "$REDIS_TEST_ROOT/redis.pid" --logfile "$REDIS_TEST_ROOT/redis.log" --dir "$REDIS_TEST_ROOT" >/dev/null || return 1
    for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -p "$port" ping >/dev/null 2>&1 || { redis_test_log "redis-server did not answer on port $port"; return 1; }
    echo "$port" > "$REDIS_TEST_ROOT/port"
    REDIS_TEST_STARTED=1
    redis_test_log "Redis ready on port $port"
  fi
  export TEST_REDIS_URL="redis://127.0.0.1:$port"
}

redis_test_stop() {
  [[ $REDIS_TEST_STARTED -eq 1 ]] || return 0
  [[ -f "$REDIS_TEST_ROOT/port" ]] && redis-cli -p "$(cat "$REDIS_TEST_ROOT/port")" shutdown nosave >/dev/null 2>&1
  rm -f "$REDIS_TEST_ROOT/port"
  REDIS_TEST_STARTED=0
  redis_test_log "Redis stopped"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  case "${1:-}" in
    start) redis_test_start && echo "export TEST_REDIS_URL=$TEST_REDIS_URL" ;;
    stop) REDIS_TEST_STARTED=1; redis_test_stop ;;
    *) echo "usage: scripts/redis.sh start|stop" >&2; exit 2 ;;
  esac
fi
