#!/usr/bin/env bash
# A throwaway SMTP server for the tests: Debian's aiosmtpd (installed from python3-aiosmtpd if missing) on
# 127.0.0.1, storing every mail it accepts in a Maildir under artifacts/smtp, where the tests read it.
#
#   scripts/smtp-sink.sh start     starts it (or finds it running) and prints the export lines below
#   scripts/smtp-sink.sh stop      stops it
#   eval "$(scripts/smtp-sink.sh start)"   for running `dotnet test` by hand
#
# Exports TEST_SMTP_HOST, TEST_SMTP_PORT and TEST_SMTP_MAILDIR. scripts/test.sh sources this file and calls
# smtp_sink_start / smtp_sink_stop. Settings: SMTP_SINK_PORT (default 42525; the next free port is taken when it is
# busy), SMTP_SINK_ROOT (default <repo>/artifacts/smtp).

SMTP_SINK_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SMTP_SINK_ROOT="${SMTP_SINK_ROOT:-$SMTP_SINK_REPO/artifacts/smtp}"
SMTP_SINK_STARTED=0
# Debian's own interpreter, which the python3-aiosmtpd package installs for (a python3 earlier on the PATH, from
# pyenv or a virtualenv, would not see it)
SMTP_SINK_PYTHON="${SMTP_SINK_PYTHON:-/usr/bin/python3}"

smtp_sink_log() { echo "[smtp-sink.sh] $*" >&2; }

smtp_sink_install() {
  if [[ -x "$SMTP_SINK_PYTHON" ]] && "$SMTP_SINK_PYTHON" -c "import aiosmtpd" >/dev/null 2>&1; then return 0; fi
  if [[ $(id -u) -ne 0 ]]; then
    smtp_sink_log "aiosmtpd is not installed and we are not root: run 'sudo apt-get install -y python3-aiosmtpd'"
    return 1
  fi
  smtp_sink_log "installing aiosmtpd from the Debian packages"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd >/dev/null \
    || { smtp_sink_log "apt-get install python3-aiosmtpd failed"; return 1; }
}

smtp_sink_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

smtp_sink_running() { [[ -f "$SMTP_SINK_ROOT/pid" ]] && kill -0 "$(cat "$SMTP_SINK_ROOT/pid")" 2>/dev/null; }

# Starts the sink (or finds it running) and exports TEST_SMTP_HOST, TEST_SMTP_PORT, TEST_SMTP_MAILDIR.
smtp_sink_start() {
  local port
  smtp_sink_install || return 1
  mkdir -p "$SMTP_SINK_ROOT/maildir/tmp" "$SMTP_SINK_ROOT/maildir/new" "$SMTP_SINK_ROOT/maildir/cur" || return 1
  if smtp_sink_running; then
    port=$(cat "$SMTP_SINK_ROOT/port")
    smtp_sink_log "aiosmtpd already running on port $port (left running at the end)"
  else
    port="${SMTP_SINK_PORT:-42525}"
    local tries=0
    while smtp_sink_port_busy "$port"; do
      tries=$((tries + 1))
      [[ $tries -le 20 ]] || { smtp_sink_log "ports ${SMTP_SINK_PORT:-42525}..$port are all busy"; return 1; }
      port=$((port + 1))
    done
    "$SMTP_SINK_PYTHON" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$SMTP_SINK_ROOT/maildir" \
      > "$SMTP_SINK_ROOT/server.log" 2>&1 &
    echo $! > "$SMTP_SINK_ROOT/pid"
    echo "$port" > "$SMTP_SINK_ROOT/port"
    for _ in $(seq 1 50); do smtp_sink_port_busy "$port" && break; sleep 0.1; done
    smtp_sink_port_busy "$port" || { cat "$SMTP_SINK_ROOT/server.log" >&2; smtp_sink_log "aiosmtpd did not start"; return 1; }
    SMTP_SINK_STARTED=1
  fi
  export TEST_SMTP_HOST=127.0.0.1 TEST_SMTP_PORT="$port" TEST_SMTP_MAILDIR="$SMTP_SINK_ROOT/maildir"
  smtp_sink_log "aiosmtpd ready on port $port (Maildir $TEST_SMTP_MAILDIR)"
}

# Stops the sink if smtp_sink_start started it.
smtp_sink_stop() {
  [[ $SMTP_SINK_STARTED -eq 1 ]] || return 0
  if smtp_sink_running; then
    kill "$(cat "$SMTP_SINK_ROOT/pid")" 2>/dev/null && smtp_sink_log "aiosmtpd stopped"
  fi
  rm -f "$SMTP_SINK_ROOT/pid"
  SMTP_SINK_STARTED=0
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -uo pipefail
  case "${1:-}" in
    start) smtp_sink_start && echo "export TEST_SMTP_HOST=$TEST_SMTP_HOST TEST_SMTP_PORT=$TEST_SMTP_PORT TEST_SMTP_MAILDIR=$TEST_SMTP_MAILDIR" ;;
    stop) SMTP_SINK_STARTED=1; smtp_sink_stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
  esac
fi
