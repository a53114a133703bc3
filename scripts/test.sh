#!/usr/bin/env bash
# Runs every test: the .NET suite (unit, integration with the SocketIOClient package, golden fixtures) and the
# JavaScript interop suite (npm socket.io-client against a real server). Installs what it needs by itself.
# Ends with "tests: N passed, N failed"; exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
ARTIFACTS="$ROOT/artifacts/test"
mkdir -p "$ARTIFACTS"
INTEROP_PORT="${INTEROP_PORT:-3210}"

log() { echo "[test.sh] $*" >&2; }

ensure_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then return; fi
  log "installing Node.js and npm"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
}

# nginx, for the load-balancer tests (seed 004's ip_hash configuration in front of two nodes)
ensure_nginx() {
  if [[ -x /usr/sbin/nginx || -x /usr/bin/nginx ]]; then return; fi
  log "installing nginx"
  apt-get update -qq && { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; } || log "nginx could not be installed: the load-balancer tests will fail"
}

ensure_node
ensure_nginx
log "installing npm packages"
(cd SocketIoServer.Tests/js && npm ci --no-audit --no-fund --silent) || { log "npm ci failed"; exit 1; }

log "building"
dotnet build SocketIoServer.sln -c Release -nologo -v quiet > "$ARTIFACTS/build.log" 2>&1 || { cat "$ARTIFACTS/build.log"; echo "tests: 0 passed, 1 failed"; exit 1; }

# a throwaway PostgreSQL for the chat store tests (scripts/postgres.sh), stopped when this script ends; a
# TEST_DATABASE_URL set beforehand is used as it is. If it cannot start, the PostgreSQL tests fail (never skip).
source scripts/postgres.sh
# and a throwaway SMTP server (scripts/smtp-sink.sh: Debian's aiosmtpd, mail kept in a Maildir) for the e-mail
# notification tests of seed 004; TEST_SMTP_HOST set beforehand is used as it is. If it cannot start, those fail.
source scripts/smtp-sink.sh
# and a throwaway Redis for the adapter tests (scripts/redis.sh); TEST_REDIS_URL set beforehand is used as it is.
# Each stop function does nothing for a service this script did not start.
source scripts/redis.sh
trap 'pg_test_stop; smtp_sink_stop; redis_test_stop' EXIT
if [[ -z "${TEST_DATABASE_URL:-}" ]]; then
  pg_test_start || log "PostgreSQL did not start: the PostgreSQL store tests will fail"
fi
if [[ -z "${TEST_SMTP_HOST:-}" ]]; then
  smtp_sink_start || log "the SMTP sink did not start: the e-mail notification tests will fail"
fi
if [[ -z "${TEST_REDIS_URL:-}" ]]; then
  redis_test_start || log "Redis did not start: the Redis tests will fail"
fi

dotnet_passed=0; dotnet_failed=0
log "running the .NET tests"
dotnet test SocketIoServer.Tests -c Release --no-build -nologo --logger "console;verbosity=normal" \
  --results-directory "$ARTIFACTS" > "$ARTIFACTS/dotnet.log" 2>&1
dotnet_status=$?
grep -E "^\s*Failed " -A6 "$ARTIFACTS/dotnet.log" | head -120 >&2 || true
# the summary is either "Passed!  - Failed: N, Passed: N, ..." or, with a normal-verbosity console logger,
# the lines "Total tests: N", "     Passed: N", "     Failed: N"
summary=$(grep -E "(Passed|Failed)!\s+-\s+Failed:" "$ARTIFACTS/dotnet.log" | tail -1)
if [[ -n "$summary" ]]; then
  dotnet_failed=$(echo "$summary" | sed -E 's/.*Failed:\s*([0-9]+).*/\1/')
  dotnet_passed=$(echo "$summary" | sed -E 's/.*Passed:\s*([0-9]+).*/\1/')
elif grep -qE "^Total tests:" "$ARTIFACTS/dotnet.log"; then
  dotnet_passed=$(sed -n '/^Total tests:/,$p' "$ARTIFACTS/dotnet.log" | grep -E "^\s+Passed:" | head -1 | grep -oE "[0-9]+")
  dotnet_failed=$(sed -n '/^Total tests:/,$p' "$ARTIFACTS/dotnet.log" | grep -E "^\s+Failed:" | head -1 | grep -oE "[0-9]+")
  dotnet_passed=${dotnet_passed:-0}; dotnet_failed=${dotnet_failed:-0}
  sed -n '/^Total tests:/,/Total time/p' "$ARTIFACTS/dotnet.log" >&2
elif [[ $dotnet_status -ne 0 ]]; then
  tail -50 "$ARTIFACTS/dotnet.log" >&2
  dotnet_failed=1
fi

js_passed=0; js_failed=0
log "starting the interop server on port $INTEROP_PORT"
# with its debug log (sessions opened and closed, with the reason) kept for diagnosing a failed JavaScript test
SOCKETIO_TEST_LOG=1 dotnet SocketIoServer.Tests/bin/Release/net10.0/SocketIoServer.Tests.dll interop-server --port "$INTEROP_PORT" \
  > "$ARTIFACTS/interop-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://localhost:$INTEROP_PORT/socket.io/?EIO=4&transport=polling" && break
  sleep 0.2
done
# the chat server as `dotnet run --project SocketIoServer` runs it, once per store, for the chat suites (js/chat/)
CHAT_SECRET="chat-interop-secret"
chat_pids=(); chat_urls=()
start_chat_server() { # store port [DATABASE_URL]
  local store=$1 port=$2 database_url=${3:-}
  rm -rf "$ARTIFACTS/chat-$store" && mkdir -p "$ARTIFACTS/chat-$store"
  (cd "$ARTIFACTS/chat-$store" && JWT_SECRET="$CHAT_SECRET" PORT="$port" DATABASE_URL="$database_url" \
    exec dotnet "$ROOT/SocketIoServer/bin/Release/net10.0/SocketIoServer.dll" > "$ARTIFACTS/chat-$store.log" 2>&1) &
  chat_pids+=($!); chat_urls+=("$store=http://localhost:$port")
}
# the first free port from $1 on (other runs on this machine may hold the ports after INTEROP_PORT)
free_port() { local p=$1; while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
CHAT_PORT=$(free_port $((INTEROP_PORT + 10)))
start_chat_server sqlite "$CHAT_PORT"
if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  # a database of its own in the test PostgreSQL server, so that runs never see each other's data
  chat_db="chat_js_$$_$(date +%s)"
  psql "$TEST_DATABASE_URL" -q -c "CREATE DATABASE $chat_db" >&2 || log "could not create the chat suite's PostgreSQL database"
  start_chat_server postgres "$(free_port $((CHAT_PORT + 1)))" "${TEST_DATABASE_URL%/*}/$chat_db"
else
  log "no PostgreSQL: the chat suites run on SQLite only, and that counts as a failure"
  chat_urls+=("postgres=http://localhost:1")
fi
for url in "${chat_urls[@]}"; do
  for _ in $(seq 1 150); do curl -s -o /dev/null "${url#*=}/health" && break; sleep 0.2; done
done
log "running the JavaScript tests"
(cd SocketIoServer.Tests/js && SERVER_URL="http://localhost:$INTEROP_PORT" CHAT_URLS="$(IFS=,; echo "${chat_urls[*]}")" \
  CHAT_JWT_SECRET="$CHAT_SECRET" node --test --test-reporter=tap test/ chat/) > "$ARTIFACTS/js.tap" 2>&1
js_status=$?
kill "$server_pid" "${chat_pids[@]}" 2>/dev/null; wait "$server_pid" "${chat_pids[@]}" 2>/dev/null
pg_test_stop
redis_test_stop
smtp_sink_stop
grep -E "^ *not ok" -A 14 "$ARTIFACTS/js.tap" | head -160 >&2 || true
js_passed=$(grep -E "^# pass " "$ARTIFACTS/js.tap" | tail -1 | awk '{print $3}')
js_failed=$(grep -E "^# fail " "$ARTIFACTS/js.tap" | tail -1 | awk '{print $3}')
js_passed=${js_passed:-0}; js_failed=${js_failed:-0}
if [[ $js_status -ne 0 && $js_failed -eq 0 ]]; then tail -40 "$ARTIFACTS/js.tap" >&2; js_failed=1; fi
if [[ $js_status -ne 0 ]]; then
  echo "[test.sh] sessions the interop server closed other than by the client:" >&2
  grep -E "closed: (ping timeout|transport error|parse error|forced close)" "$ARTIFACTS/interop-server.log" | tail -20 >&2 || true
fi
echo ".NET: $dotnet_passed passed, $dotnet_failed failed; JavaScript: $js_passed passed, $js_failed failed" >&2

passed=$((dotnet_passed + js_passed)); failed=$((dotnet_failed + js_failed))
echo "tests: $passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
