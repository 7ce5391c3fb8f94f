#!/usr/bin/env bash
# Docker driver benchmark: netplane's remote driver beside Docker's own bridge driver, on the same
# dockerd (simulated host h1 of `./netplane up`), in the same run, rounds interleaved.
#   - `docker network connect` of a running container (then disconnect), per driver
#   - `docker run -d --network N busybox sleep` until it returns, per driver
#   - from `docker run -d` returning to the first successful ping: netplane overlay to a container
#     on h2 (cross-host), Docker bridge to a container on the same host (Docker has no cross-host
#     network without swarm, so same-host is the best the peer can do)
# Usage: bench/docker/run.sh [rounds]   (needs docker.io and busybox-static, as .ci/run installs)
# Prints medians and p99, the ratios netplane/bridge, and where the plugin's share of the time goes:
# each plugin call's duration from the agent's DEBUG log (".../NetworkDriver.Join took 812 us").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ROUNDS="${1:-30}"
WORK="$(mktemp -d /tmp/netplane-docker-bench.XXXXXX)"
cd "$ROOT"

. bench/netplane-up.sh
UP_PID=
trap stop_netplane EXIT
# the plugin logs each call with its duration at DEBUG (read at the end)
start_netplane "$WORK" QUARKUS_LOG_CATEGORY__IO_NETPLANE_AGENT_SOCKET__LEVEL=DEBUG

h1() { (eval "$(./netplane env h1)"; docker "$@"); }
h2() { (eval "$(./netplane env h2)"; docker "$@"); }
ms() { date +%s%N; }

h1 network create -d bridge bench-br > /dev/null
h1 network create -d netplane --ipam-driver netplane -o netplane.driver=bridge --subnet 10.210.0.0/24 bench-np > /dev/null
h1 network create -d netplane --ipam-driver netplane -o netplane.driver=overlay --subnet 10.211.0.0/24 bench-ov > /dev/null
h1 run -d --name anchor busybox sleep 100000 > /dev/null
h1 run -d --name peer-br --network bench-br busybox sleep 100000 > /dev/null
for _ in $(seq 1 60); do h2 network inspect bench-ov > /dev/null 2>&1 && break; sleep 1; done
h2 run -d --name peer-ov --network bench-ov busybox sleep 100000 > /dev/null
PEER_BR="$(h1 inspect -f '{{(index .NetworkSettings.Networks "bench-br").IPAddress}}' peer-br)"
PEER_OV="$(h2 inspect -f '{{(index .NetworkSettings.Networks "bench-ov").IPAddress}}' peer-ov)"

# one sample: the wall time of a command, in milliseconds
timed() { local t0 t1; t0=$(ms); "$@" > /dev/null; t1=$(ms); echo $(((t1 - t0) / 1000000)); }
first_ping() { # container, address: ms from now until one ping gets through
  local t0 t1; t0=$(ms)
  until h1 exec "$1" ping -c 1 -W 1 "$2" > /dev/null 2>&1; do :; done
  t1=$(ms); echo $(((t1 - t0) / 1000000))
}

for i in $(seq 1 "$ROUNDS"); do
  for drv in br np; do
    echo "connect $drv $(timed h1 network connect "bench-$drv" anchor)" >> "$WORK/samples"
    h1 network disconnect "bench-$drv" anchor > /dev/null
    echo "run $drv $(timed h1 run -d --name "r-$drv-$i" --network "bench-$drv" busybox sleep 100000)" >> "$WORK/samples"
  done
  h1 run -d --name "p-br-$i" --network bench-br busybox sleep 100000 > /dev/null
  echo "ping br $(first_ping "p-br-$i" "$PEER_BR")" >> "$WORK/samples"
  h1 run -d --name "p-ov-$i" --network bench-ov busybox sleep 100000 > /dev/null
  echo "ping ov $(first_ping "p-ov-$i" "$PEER_OV")" >> "$WORK/samples"
  h1 rm -f "r-br-$i" "r-np-$i" "p-br-$i" "p-ov-$i" > /dev/null
done

PYTHONPATH="$ROOT/bench" python3 - "$WORK/samples" <<'EOF'
import sys
from percentiles import p
samples = {}
for line in open(sys.argv[1]):
    what, drv, value = line.split()
    samples.setdefault((what, drv), []).append(int(value))
print(f"{'measure':<34}{'n':>4}{'p50 ms':>9}{'p99 ms':>9}")
names = {"br": "Docker bridge", "np": "netplane bridge", "ov": "netplane overlay"}
for (what, drv), values in sorted(samples.items()):
    print(f"{what + ' ' + names[drv]:<34}{len(values):>4}{p(values, .5):>9}{p(values, .99):>9}")
for what, ours in (("connect", "np"), ("run", "np"), ("ping", "ov")):
    a, b = samples[(what, ours)], samples[(what, "br")]
    print(f"ratio {what} netplane/Docker: p50 {p(a, .5) / p(b, .5):.2f}  p99 {p(a, .99) / p(b, .99):.2f}")
EOF
tail -n "+$AGENT_LOG_FROM" "$AGENT_LOG" | grep "took [0-9]* us" > "$WORK/plugin-calls" || true
python3 - "$WORK/plugin-calls" <<'EOF2'
import re, sys
calls = {}
for line in open(sys.argv[1]):
    m = re.search(r"/(\w+\.\w+) took (\d+) us", line)
    if m:
        calls.setdefault(m.group(1), []).append(int(m.group(2)) / 1000)
print(f"\n{'plugin call (agent h1)':<48}{'n':>5}{'p50 ms':>9}{'p99 ms':>9}")
for name, values in sorted(calls.items(), key=lambda kv: -sorted(kv[1])[len(kv[1]) // 2]):
    values.sort()
    print(f"{name:<48}{len(values):>5}{values[len(values) // 2]:>9.1f}{values[min(len(values) - 1, int(round(.99 * (len(values) - 1))))]:>9.1f}")
EOF2
echo "raw samples and logs: $WORK"
