#!/usr/bin/env bash
# Benchmarks the C# fixture server against the Node.js reference server (socket.io 4.8) on this machine.
#
#   scripts/bench.sh [--rounds N] [--quick] [--scenario NAME[,NAME...]] [--no-wait-quiet]
#
# Scenarios: connections, fanout, echo, polling (default: these four), and cluster-fanout (only when named: 3 rounds take
# ~6 more minutes, beyond the default run's budget). For every scenario and round it runs C#, then Node
# (A/B/A/B...), each with a fresh server process on a free loopback port and production heartbeats
# (--ping-interval 25000 --ping-timeout 20000). The load generator (scripts/bench/LoadGenerator) measures server
# CPU from /proc/<pid>/stat over the steady-state window only, RSS from /proc/<pid>/status, and for C# the
# allocated bytes from GET /__stats. Raw JSON lines, logs, machine info and the summary table go to
# artifacts/bench/<UTC timestamp>/ (artifacts/bench/latest points at the last run).
# --quick: one round, short windows, small connection counts (a smoke run, under 3 minutes).
# cluster-fanout runs two nodes of one server (C#, then Node) joined through Redis (--redis): receivers on node B, the
# sender on node A. It uses the Redis of TEST_REDIS_URL when set, else starts a throwaway one (scripts/redis.sh).
# Everything started here is stopped on exit, whatever happens.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

ROUNDS=""
QUICK=0
SCENARIOS="connections fanout echo polling"
WAIT_QUIET=1
PORT="${BENCH_PORT:-4400}"

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="${2:?--rounds needs a number}"; shift 2 ;;
    --rounds=*) ROUNDS="${1#*=}"; shift ;;
    --quick) QUICK=1; shift ;;
    --scenario) SCENARIOS="${2:?--scenario needs a name}"; shift 2 ;;
    --scenario=*) SCENARIOS="${1#*=}"; shift ;;
    --no-wait-quiet) WAIT_QUIET=0; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 ;;
  esac
done
SCENARIOS="${SCENARIOS//,/ }"
for s in $SCENARIOS; do
  case "$s" in connections|fanout|echo|polling|cluster-fanout) ;; *) echo "unknown scenario: $s" >&2; exit 2 ;; esac
done
if [[ -z "$ROUNDS" ]]; then if [[ $QUICK -eq 1 ]]; then ROUNDS=1; else ROUNDS=3; fi; fi
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "--rounds needs a positive number" >&2; exit 2; }

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$ROOT/artifacts/bench/$STAMP"
mkdir -p "$OUT/logs"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
CS_DLL="$ROOT/SocketIoServer/bin/Release/net10.0/SocketIoServer.dll"
LG_DLL="$ROOT/scripts/bench/LoadGenerator/bin/Release/net10.0/LoadGenerator.dll"

# redis_test_start / redis_test_stop (a throwaway redis-server), for cluster-fanout
source "$ROOT/scripts/redis.sh"

log() { echo "[bench.sh $(date +%H:%M:%S)] $*" | tee -a "$OUT/bench.log" >&2; }

# --- cleanup: stop every process started here -------------------------------------------------------------------
SERVER_PID=""
SENDER_PID=""   # node A of a cluster run
GEN_PID=""
stop_pid() {
  local pid="$1"
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}
stop_servers() {
  stop_pid "$SERVER_PID"; SERVER_PID=""
  stop_pid "$SENDER_PID"; SENDER_PID=""
}
cleanup() {
  stop_pid "$GEN_PID"; GEN_PID=""
  stop_servers
  redis_test_stop   # does nothing unless this script started Redis
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM HUP

# --- machine -------------------------------------------------------------------------------------------------------
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "dotnet: $(dotnet --version 2>/dev/null)"
  echo "node: $(node --version 2>/dev/null)"
  echo "socket.io (reference): $(node -p "require('$ROOT/scripts/reference-server/node_modules/socket.io/package.json').version" 2>/dev/null || echo '?')"
  echo "git: $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- SocketIoServer 2>/dev/null || echo ' (SocketIoServer has uncommitted changes)')"
  echo "rounds: $ROUNDS, quick: $QUICK, scenarios: $SCENARIOS"
} > "$OUT/machine.txt"

# --- install and build ---------------------------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  log "installing Node.js and npm"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null || { log "could not install Node.js"; exit 1; }
fi
REF="$ROOT/scripts/reference-server"
if [[ ! -f "$REF/node_modules/.package-lock.json" || "$REF/package-lock.json" -nt "$REF/node_modules/.package-lock.json" ]] \
   || ! (cd "$REF" && node -e "for (const m of ['socket.io', 'engine.io', '@socket.io/redis-adapter', 'redis']) require.resolve(m)" 2>/dev/null); then
  log "npm ci (reference server)"
  (cd "$REF" && npm ci --no-audit --no-fund --silent) > "$OUT/logs/npm.log" 2>&1 || { cat "$OUT/logs/npm.log" >&2; log "npm ci failed"; exit 1; }
fi

# another build may be running at the same time (files in use): retry a few times
build() {
  local what="$1" logf="$OUT/logs/build-$(basename "$1").log"
  for attempt in 1 2 3 4 5; do
    if dotnet build "$what" -c Release -nologo -v quiet > "$logf" 2>&1; then return 0; fi
    log "build of $what failed (attempt $attempt), retrying"; sleep $((attempt * 5))
  done
  cat "$logf" >&2
  return 1
}
log "building the server and the load generator (Release)"
build SocketIoServer || { log "server build failed"; exit 1; }
build scripts/bench/LoadGenerator || { log "load generator build failed"; exit 1; }

# both processes of a run hold up to ~19,500 sockets
HARD_LIMIT="$(ulimit -Hn)"
[[ "$HARD_LIMIT" == unlimited ]] && HARD_LIMIT="$(cat /proc/sys/fs/nr_open 2>/dev/null || echo 1048576)"
ulimit -n "$HARD_LIMIT" 2>/dev/null || log "could not raise the open-files limit"
echo "open files limit: $(ulimit -n) (hard $HARD_LIMIT)" >> "$OUT/machine.txt"
MAX_CONN=19500
if [[ "$(ulimit -n)" != unlimited ]] && (( $(ulimit -n) < 20000 )); then
  MAX_CONN=$(( $(ulimit -n) - 500 ))
  log "open-files limit $(ulimit -n): connections scenario capped at $MAX_CONN"
fi

# --- Redis, for cluster-fanout --------------------------------------------------------------------------------------
REDIS_URL=""
REDIS_PID=0
# The adapters' request channel of namespace "/" (key "socket.io", the C# fixture's and @socket.io/redis-adapter's
# default): its subscriber count is the number of nodes listening on that key.
REDIS_NODES_CHANNEL='socket.io-request#/#'
if [[ " $SCENARIOS " == *" cluster-fanout "* ]]; then
  if [[ -z "${TEST_REDIS_URL:-}" ]]; then
    redis_test_start || { log "Redis did not start"; exit 1; }
  fi
  REDIS_URL="$TEST_REDIS_URL"
  # Redis's own CPU is measured too: its pid from INFO (works for a Redis started elsewhere on this machine as well)
  REDIS_PID="$(redis-cli -u "$REDIS_URL" info server 2>/dev/null | tr -d '\r' | awk -F: '$1 == "process_id" {print $2}')"
  [[ "$REDIS_PID" =~ ^[0-9]+$ ]] && [[ -r "/proc/$REDIS_PID/stat" ]] || { log "Redis pid not readable: its CPU is not measured"; REDIS_PID=0; }
  {
    echo "redis: $REDIS_URL (pid $REDIS_PID), $(redis-server --version 2>/dev/null | awk '{print $3}')"
    echo "@socket.io/redis-adapter (reference): $(node -p "require('$REF/node_modules/@socket.io/redis-adapter/package.json').version" 2>/dev/null || echo '?')"
  } >> "$OUT/machine.txt"
  log "cluster-fanout: Redis $REDIS_URL, pid $REDIS_PID"
fi
redis_nodes() { redis-cli -u "$REDIS_URL" pubsub numsub "$REDIS_NODES_CHANNEL" 2>/dev/null | tail -1; }
# Waits up to $2 s until exactly $1 nodes listen on the adapter's key; 1 when they never did.
wait_redis_nodes() { # count seconds
  local n
  for _ in $(seq $(( $2 * 10 ))); do
    n="$(redis_nodes)"; [[ "$n" == "$1" ]] && return 0
    sleep 0.1
  done
  log "Redis: $(redis_nodes) node(s) on key socket.io, expected $1"
  return 1
}

# --- helpers -------------------------------------------------------------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
next_port() {
  PORT=$((PORT + 1))
  while port_in_use "$PORT"; do PORT=$((PORT + 1)); done
}

# Waits (up to 30 s, 5 s with --quick) until the machine is at least 85 % idle over one second, so that other work on a shared
# machine does not end up in the measurement; the idle share seen is logged with the result.
IDLE_PCT=""
wait_quiet() {
  local waited=0 a b limit=30
  [[ $QUICK -eq 1 ]] && limit=5
  while :; do
    a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
    local total=0 idle i
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    idle=$(( (b[4] + b[5] - a[4] - a[5]) * 100 / (total > 0 ? total : 1) ))
    IDLE_PCT="$idle"
    if (( idle >= 85 || WAIT_QUIET == 0 || waited >= limit )); then
      (( idle < 85 && WAIT_QUIET == 1 )) && log "machine still busy (idle ${idle}%) after ${waited}s, running anyway"
      return 0
    fi
    (( waited == 0 )) && log "machine busy (idle ${idle}%), waiting for it to quieten"
    waited=$((waited + 1))
  done
}

start_server() { # kind port logfile [redis URL]
  local kind="$1" port="$2" logf="$3" cluster=()
  [[ -n "${4:-}" ]] && cluster=(--redis "$4")
  if [[ "$kind" == csharp ]]; then
    dotnet "$CS_DLL" fixture --port "$port" --ping-interval 25000 --ping-timeout 20000 --stats "${cluster[@]}" > "$logf" 2>&1 &
  else
    node "$REF/server.mjs" --port "$port" --ping-interval 25000 --ping-timeout 20000 "${cluster[@]}" > "$logf" 2>&1 &
  fi
  SERVER_PID=$!
  for _ in $(seq 300); do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "$kind server exited at start:"; cat "$logf" >&2; return 1; }
    port_in_use "$port" && return 0
    sleep 0.1
  done
  log "$kind server did not listen on port $port"
  return 1
}

scenario_args() { # scenario
  case "$1" in
    connections)
      if [[ $QUICK -eq 1 ]]; then echo "--steps 1000,2000"
      else echo "--steps 2500,5000,10000,$MAX_CONN"; fi ;;
    fanout|cluster-fanout) echo "--receivers 1000 --rate 25" ;;
    echo) echo "--clients 100" ;;
    polling) echo "--clients 50" ;;
  esac
}

FAILED=0
RETRIED=0
# Runs one scenario against one server. A run during which other processes used more than a quarter of a core (the
# generator reports it as otherCpuPct, from /proc/stat) is set aside in contaminated.jsonl and run once more.
run_one() { # scenario kind round [attempt]
  local scenario="$1" kind="$2" round="$3" attempt="${4:-1}"
  local name="$scenario-$kind-r$round"
  [[ "$attempt" -gt 1 ]] && name="$name-a$attempt"
  local foreign=0 sender_port=""
  if [[ "$scenario" == cluster-fanout ]]; then
    # every pair starts on a Redis where no node listens on the key: the previous pair is gone, and no other cluster
    # (a test run on the same Redis) would receive our broadcasts or send its own (pub/sub keeps no keys to flush)
    if ! wait_redis_nodes 0 30; then foreign="$(redis_nodes)"; log "$name: running anyway, beside $foreign foreign node(s)"; fi
  fi
  next_port
  wait_quiet
  local idle_before="$IDLE_PCT"
  if [[ "$scenario" == cluster-fanout ]]; then
    # node A (the sender's) first, then node B (the receivers') on the next port; both --redis
    sender_port="$PORT"
    start_server "$kind" "$PORT" "$OUT/logs/$name.sender-node.log" "$REDIS_URL" || { FAILED=$((FAILED + 1)); stop_servers; return; }
    SENDER_PID="$SERVER_PID"; SERVER_PID=""
    next_port
    start_server "$kind" "$PORT" "$OUT/logs/$name.server.log" "$REDIS_URL" || { FAILED=$((FAILED + 1)); stop_servers; return; }
    wait_redis_nodes $((foreign + 2)) 15 || { log "$name: the nodes did not both join the cluster"; FAILED=$((FAILED + 1)); stop_servers; return; }
  else
    start_server "$kind" "$PORT" "$OUT/logs/$name.server.log" || { FAILED=$((FAILED + 1)); stop_servers; return; }
  fi
  # the processes the generator measures: the server, or both nodes (the sender's first) and Redis
  local servers=(--server-pid "$SERVER_PID")
  [[ -n "$sender_port" ]] && servers=(--sender-port "$sender_port" --server-pids "$SENDER_PID,$SERVER_PID" --redis-pid "$REDIS_PID")
  local extra=""
  [[ "$kind" == csharp ]] && extra="--stats"
  [[ $QUICK -eq 1 ]] && extra="$extra --quick"
  log "$name: port $PORT, server pid $SERVER_PID${sender_port:+, sender node port $sender_port pid $SENDER_PID}"
  # shellcheck disable=SC2046
  DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 timeout --kill-after=10 900 dotnet "$LG_DLL" "$scenario" --host 127.0.0.1 --port "$PORT" "${servers[@]}" \
    --server-name "$kind" --round "$round" $extra $(scenario_args "$scenario") \
    > "$OUT/logs/$name.out" 2> "$OUT/logs/$name.err" &
  GEN_PID=$!
  wait "$GEN_PID"; local status=$?
  GEN_PID=""
  stop_servers
  local line
  line="$(grep -m1 '^{' "$OUT/logs/$name.out")"
  if [[ $status -ne 0 || -z "$line" ]]; then
    log "$name failed (exit $status):"; tail -5 "$OUT/logs/$name.err" >&2
    FAILED=$((FAILED + 1))
    return
  fi
  # the idle share of the machine just before the run goes with the result
  line="${line%\}},\"idleBeforePct\":${idle_before:-null},\"attempt\":$attempt${sender_port:+,\"foreignNodes\":$foreign}}"
  log "$name: $(echo "$line" | grep -o '"metrics":{[^}]*}' | cut -c1-300)"
  local other
  other="$(echo "$line" | grep -o '"otherCpuPct":-\{0,1\}[0-9]*' | head -1 | cut -d: -f2)"
  if [[ -n "$other" && "$other" -gt 25 && "$attempt" -eq 1 ]]; then
    log "$name: other processes used ${other}% of a core during the window (limit 25%); set aside, running it again"
    echo "$line" >> "$OUT/contaminated.jsonl"
    RETRIED=$((RETRIED + 1))
    run_one "$scenario" "$kind" "$round" 2
    return
  fi
  echo "$line" >> "$RESULTS"
}

# --- run -------------------------------------------------------------------------------------------------------------
START=$(date +%s)
for scenario in $SCENARIOS; do
  for round in $(seq "$ROUNDS"); do
    run_one "$scenario" csharp "$round"
    run_one "$scenario" node "$round"
  done
done

# --- summary ---------------------------------------------------------------------------------------------------------
SUMMARY="$OUT/summary.md"
{
  echo "# Benchmark $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  sed 's/^/    /' "$OUT/machine.txt"
  echo
  dotnet "$LG_DLL" summarize --input "$RESULTS"
  echo
  echo "Medians over the rounds; ratio = C# / Node (lower is better for CPU, latency, memory). Raw results: results.jsonl."
  echo "Took $(( $(date +%s) - START )) s; $FAILED run(s) failed; $RETRIED run(s) repeated because other processes used over a quarter of a core (set aside in contaminated.jsonl)."
} > "$SUMMARY" 2> "$OUT/logs/summarize.err"
ln -sfn "$STAMP" "$ROOT/artifacts/bench/latest"
cat "$SUMMARY"
log "results in ${OUT#"$ROOT/"}/"
[[ $FAILED -eq 0 ]]
