# Sourced by the bench scripts that need `./netplane up` (docker, cni): starts it in the background
# with the extra environment given (e.g. a DEBUG log category), waits until it is up, and sets
# UP_PID and AGENT_LOG_FROM (the first line of h1's agent log that belongs to this run: the log is
# appended across runs). The caller's EXIT trap calls stop_netplane.
AGENT_LOG=.netplane/logs/host-agent-h1.log

start_netplane() { # WORK [VAR=value ...]
  local work="$1"; shift
  env "$@" ./netplane up > "$work/up.log" 2>&1 &
  UP_PID=$!
  for _ in $(seq 1 600); do
    grep -q "netplane is up" "$work/up.log" && break
    kill -0 "$UP_PID" 2>/dev/null || { cat "$work/up.log"; exit 1; }
    sleep 1
  done
  grep -q "netplane is up" "$work/up.log" || { echo "netplane did not come up"; cat "$work/up.log"; exit 1; }
  AGENT_LOG_FROM=$(($(wc -l < "$AGENT_LOG") + 1))
}

stop_netplane() {
  kill "$UP_PID" 2>/dev/null || true
  wait "$UP_PID" 2>/dev/null || true
}
