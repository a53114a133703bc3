#!/usr/bin/env bash
# Runs the official Engine.IO / Socket.IO protocol test suites against a
# fixture server started on port 3000.
#
# usage: scripts/conformance.sh [--browser] [--suites DIR] [--server CMD] [--only NAME] [--grep PATTERN] [--retries N]
#
#   --browser      run the suites in headless Chromium (default: Node.js with a
#                  browser-like WebSocket)
#   --suites DIR   directory holding engine.io-protocol/ and socket.io-protocol/
#                  (default: $CONFORMANCE_SUITES or /work/suites)
#   --server CMD   command that starts the server on port 3000 (run from the
#                  repository root, through bash -c). Default: the C# fixture
#                    dotnet run --project SocketIoServer -c Release -- fixture --port 3000
#                  "--server node" means the Node.js reference server
#                  (scripts/reference-server/server.mjs).
#   --only NAME    engine.io or socket.io: run only that suite
#   --grep PATTERN only the tests whose full title matches
#   --retries N    retry a failing test up to N times (default 0); tests that
#                  passed only on a retry are listed in the summary
#
# Environment: CONFORMANCE_SERVER_TIMEOUT seconds to wait for port 3000
# (default 300: the first `dotnet run` builds), CONFORMANCE_SERVER_LOG file for
# the server's output (default: a temporary file, printed if the run fails).
#
# Exit status: 0 when every test passed, non-zero otherwise.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT=3000
DEFAULT_SERVER="dotnet run --project SocketIoServer -c Release -- fixture --port $PORT"

server_cmd="$DEFAULT_SERVER"
runner_args=()

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --browser) runner_args+=(--browser); shift ;;
    --suites) [[ $# -ge 2 ]] || { echo "--suites needs a value" >&2; exit 2; }; runner_args+=(--suites "$2"); shift 2 ;;
    --suites=*) runner_args+=(--suites "${1#*=}"); shift ;;
    --server) [[ $# -ge 2 ]] || { echo "--server needs a value" >&2; exit 2; }; server_cmd="$2"; shift 2 ;;
    --server=*) server_cmd="${1#*=}"; shift ;;
    --only) [[ $# -ge 2 ]] || { echo "--only needs a value" >&2; exit 2; }; runner_args+=(--only "$2"); shift 2 ;;
    --grep) [[ $# -ge 2 ]] || { echo "--grep needs a value" >&2; exit 2; }; runner_args+=(--grep "$2"); shift 2 ;;
    --retries) [[ $# -ge 2 ]] || { echo "--retries needs a value" >&2; exit 2; }; runner_args+=(--retries "$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

# npm ci in a package directory unless its node_modules is up to date.
ensure_node_modules() {
  local dir="$1"
  if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    echo "conformance: npm ci in ${dir#"$ROOT"/}" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}

if [[ "$server_cmd" == "node" ]]; then
  ensure_node_modules "$ROOT/scripts/reference-server"
  server_cmd="node scripts/reference-server/server.mjs --port $PORT"
fi
ensure_node_modules "$ROOT/scripts/conformance"

# The suites connect to "localhost", which may resolve to 127.0.0.1 or ::1.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || (exec 3<>"/dev/tcp/::1/$PORT") 2>/dev/null
}

if port_open; then
  echo "conformance: port $PORT is already in use; stop whatever listens there first" >&2
  exit 2
fi

server_log="${CONFORMANCE_SERVER_LOG:-$(mktemp -t conformance-server.XXXXXX.log)}"
server_pid=""

stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    # The server runs in its own process group (setsid), so `dotnet run` and
    # the application it starts are stopped together.
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "conformance: starting server: $server_cmd (log: $server_log)"
cd "$ROOT"
setsid bash -c "exec $server_cmd" >"$server_log" 2>&1 </dev/null &
server_pid=$!

timeout_s="${CONFORMANCE_SERVER_TIMEOUT:-300}"
deadline=$((SECONDS + timeout_s))
until port_open; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "conformance: the server exited before listening on port $PORT; its output:" >&2
    cat "$server_log" >&2
    exit 1
  fi
  if (( SECONDS >= deadline )); then
    echo "conformance: the server did not listen on port $PORT within ${timeout_s}s; its output:" >&2
    cat "$server_log" >&2
    exit 1
  fi
  sleep 0.2
done
echo "conformance: server is listening on port $PORT"

status=0
node "$ROOT/scripts/conformance/run.mjs" "${runner_args[@]}" || status=$?

stop_server
if [[ $status -ne 0 ]]; then
  echo "conformance: FAILED (exit $status); server output in $server_log" >&2
  echo "--- last 40 lines of server output ---" >&2
  tail -n 40 "$server_log" >&2 || true
fi
exit "$status"
