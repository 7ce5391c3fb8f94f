#!/usr/bin/env bash
# CNI benchmark: netplane-cni beside the reference bridge + host-local plugins of Debian's
# containernetworking-plugins, on the same podman (CNI backend) on simulated host h1 of
# `./netplane up`, in the same run, rounds interleaved:
#   - `podman run --rm --network N busybox true`, wall time, per network
#   - ADD alone: the plugin run as a runtime runs it (env + config on stdin) into a fresh namespace,
#     then DEL (not timed), per plugin
# Usage: bench/cni/run.sh [rounds]   (needs podman, containernetworking-plugins, busybox-static, gcc:
# .ci/run installs them). Prints medians and p99, the ratios netplane/reference, and where netplane's
# ADD spends its time (the agent's DEBUG log: "/cni/ADD took N us").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ROUNDS="${1:-30}"
WORK="$(mktemp -d /tmp/netplane-cni-bench.XXXXXX)"
NS=np-h1
SOCKET=/run/netplane/docker/$NS/plugin.sock
cd "$ROOT"
[ -x cni-plugin/target/netplane-cni ] || ./mvnw -B -q -pl cni-plugin package

. bench/netplane-up.sh
UP_PID=
cleanup() {
  pm rm --all --force --time 0 > /dev/null 2>&1 || true
  ip netns del cnibench 2>/dev/null || true
  stop_netplane
  ip -n "$NS" link del cni-bench0 2>/dev/null || true
  rm -rf "/run/netplane/podman-bench"
}
trap cleanup EXIT
# the agent logs each CNI call and the parts of an ADD with their durations at DEBUG (read at the end)
start_netplane "$WORK" QUARKUS_LOG_CATEGORY__IO_NETPLANE_AGENT_SOCKET__LEVEL=DEBUG \
  QUARKUS_LOG_CATEGORY__IO_NETPLANE_AGENT_CNI__LEVEL=DEBUG
API="$(sed -n 's|^  API *\(http[^ ]*\)/v1/networks$|\1|p' "$WORK/up.log")"

# podman of h1, as local-cluster's PodmanEngine sets it up (CNI backend, its own roots)
mkdir -p "$WORK/net.d" "$WORK/rootfs/bin" "$WORK/rootfs/etc" /run/netplane/podman-bench
cat > "$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[network]
network_backend = "cni"
cni_plugin_dirs = ["$ROOT/cni-plugin/target", "/usr/lib/cni"]
network_config_dir = "$WORK/net.d"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$WORK/events.log"
runtime = "runc"
CONF
NP_CONF='{"cniVersion":"1.0.0","name":"bench-np","plugins":[{"type":"netplane-cni","agentSocket":"'$SOCKET'","network":"bench-np","capabilities":{"portMappings":true,"ips":true,"mac":true}}]}'
REF_PLUGIN='{"type":"bridge","bridge":"cni-bench0","isGateway":true,"ipMasq":false,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.213.0.0/24"}]],"dataDir":"'$WORK'/host-local"}}'
echo "$NP_CONF" > "$WORK/net.d/bench-np.conflist"
echo '{"cniVersion":"1.0.0","name":"bench-ref","plugins":['"$REF_PLUGIN"']}' > "$WORK/net.d/bench-ref.conflist"
pm() {
  CONTAINERS_CONF="$WORK/containers.conf" nsenter --net=/run/netns/$NS podman --root "$WORK/storage" \
    --runroot /run/netplane/podman-bench/run --tmpdir /run/netplane/podman-bench/tmp --storage-driver vfs "$@"
}
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for a in sh true sleep; do ln -sf busybox "$WORK/rootfs/bin/$a"; done
tar -C "$WORK/rootfs" --numeric-owner --owner=0 --group=0 -cf "$WORK/bb.tar" .
pm import "$WORK/bb.tar" busybox:latest > /dev/null
curl -sf -X POST -H 'Content-Type: application/json' "$API/v1/networks" \
  -d '{"name":"bench-np","driver":"bridge","ipam":[{"subnet":"10.212.0.0/24"}]}' > /dev/null
# the reference bridge is a port of dockerd's FORWARD DROP too (trap 1 in the reference notes); not needed for `true`

ms() { date +%s%N; }
timed() { local t0 t1; t0=$(ms); "$@" > /dev/null; t1=$(ms); echo $(((t1 - t0) / 1000000)); }
# one ADD of a plugin into a fresh namespace, as a runtime runs it; DEL after, untimed
add_once() { # plugin-file config-json
  local id t0 t1
  id="bench$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  ip netns add cnibench
  t0=$(ms)
  echo "$2" | CNI_COMMAND=ADD CNI_CONTAINERID="$id" CNI_NETNS=/run/netns/cnibench CNI_IFNAME=eth0 \
    CNI_PATH=/usr/lib/cni nsenter --net=/run/netns/$NS "$1" > "$WORK/add.out" || { cat "$WORK/add.out" >&2; exit 1; }
  t1=$(ms)
  echo "$2" | CNI_COMMAND=DEL CNI_CONTAINERID="$id" CNI_NETNS=/run/netns/cnibench CNI_IFNAME=eth0 \
    CNI_PATH=/usr/lib/cni nsenter --net=/run/netns/$NS "$1" > /dev/null
  ip netns del cnibench
  echo $(((t1 - t0) / 1000000))
}
NP_PLUGIN_CONF='{"cniVersion":"1.0.0","name":"bench-np","type":"netplane-cni","agentSocket":"'$SOCKET'","network":"bench-np"}'
REF_ADD_CONF="$(echo "$REF_PLUGIN" | sed 's/^{/{"cniVersion":"1.0.0","name":"bench-ref",/')"

pm run --rm --network bench-np busybox true > /dev/null   # warm both paths once
pm run --rm --network bench-ref busybox true > /dev/null
for i in $(seq 1 "$ROUNDS"); do
  echo "run np $(timed pm run --rm --network bench-np busybox true)" >> "$WORK/samples"
  echo "run ref $(timed pm run --rm --network bench-ref busybox true)" >> "$WORK/samples"
  echo "add np $(add_once "$ROOT/cni-plugin/target/netplane-cni" "$NP_PLUGIN_CONF")" >> "$WORK/samples"
  echo "add ref $(add_once /usr/lib/cni/bridge "$REF_ADD_CONF")" >> "$WORK/samples"
done

PYTHONPATH="$ROOT/bench" python3 - "$WORK/samples" <<'PY'
import sys
from percentiles import p
samples = {}
for line in open(sys.argv[1]):
    what, plugin, value = line.split()
    samples.setdefault((what, plugin), []).append(int(value))
names = {"np": "netplane-cni", "ref": "bridge + host-local"}
labels = {"run": "podman run --rm true", "add": "ADD alone"}
print(f"{'measure':<44}{'n':>4}{'p50 ms':>9}{'p99 ms':>9}")
for (what, plugin), values in sorted(samples.items()):
    print(f"{labels[what] + ', ' + names[plugin]:<44}{len(values):>4}{p(values, .5):>9}{p(values, .99):>9}")
for what in ("run", "add"):
    a, b = samples[(what, "np")], samples[(what, "ref")]
    print(f"ratio {labels[what]} netplane/reference: p50 {p(a, .5) / p(b, .5):.2f}  p99 {p(a, .99) / p(b, .99):.2f}")
PY
tail -n "+$AGENT_LOG_FROM" "$AGENT_LOG" | grep -o "/cni/[A-Z]* took [0-9]* us" > "$WORK/agent-calls" || true
tail -n "+$AGENT_LOG_FROM" "$AGENT_LOG" | grep -o "ipam-service [0-9]* us, then applied after [0-9]* us, result read in [0-9]* us" \
  | awk '{print "ADD:ipam-service " $2; print "ADD:until-applied " $7; print "ADD:result-read " $12}' \
  | sed 's/^\(ADD:[a-z-]*\) \([0-9]*\)$/\/cni\/\1 took \2 us/' >> "$WORK/agent-calls" || true
python3 - "$WORK/agent-calls" <<'PY'
import re, sys
calls = {}
for line in open(sys.argv[1]):
    m = re.match(r"(/cni/[\w:-]+) took (\d+) us", line)
    if m:
        calls.setdefault(m.group(1), []).append(int(m.group(2)) / 1000)
print(f"\n{'agent side (h1), from request to answer':<44}{'n':>5}{'p50 ms':>9}{'p99 ms':>9}")
for name, values in sorted(calls.items()):
    values.sort()
    print(f"{name:<44}{len(values):>5}{values[len(values) // 2]:>9.1f}{values[min(len(values) - 1, int(round(.99 * (len(values) - 1))))]:>9.1f}")
PY
echo "raw samples and logs: $WORK"
