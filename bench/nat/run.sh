#!/usr/bin/env bash
# Compile and apply the ruleset of PORTS published ports, and one change to it, beside the peer:
# the same rules added one `iptables -A` at a time. Everything runs inside network namespaces this
# script creates and removes. Run as root from anywhere: bench/nat/run.sh  (PORTS=10000 PEER_PORTS=1000)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORTS=${PORTS:-10000}
PEER_PORTS=${PEER_PORTS:-1000}
OUT=$(mktemp -d)
NS=npbench-nat-$$
PEER=npbench-peer-$$
cleanup() { ip netns del "$NS" 2>/dev/null || true; ip netns del "$PEER" 2>/dev/null || true; rm -rf "$OUT"; }
trap cleanup EXIT

CP="$ROOT/nat-service/target/classes"
[ -d "$CP" ] || (cd "$ROOT" && ./mvnw -B -q -pl nat-service -am install -DskipTests)
javac -d "$OUT/classes" -cp "$CP" "$ROOT/bench/src/main/java/io/netplane/bench/nat/NatRulesetBench.java"
java -cp "$OUT/classes:$CP" io.netplane.bench.nat.NatRulesetBench "$PORTS" "$PEER_PORTS" "$OUT"
source "$OUT/java.times"

now() { date +%s%N; }
ms() { echo "scale=2; ($2 - $1) / 1000000" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ip netns add "$NS"
t0=$(now); ip netns exec "$NS" iptables-restore --noflush < "$OUT/full.rules"; t1=$(now)
full_ms=$(ms "$t0" "$t1")
ip netns exec "$NS" bash -c "while read -r a; do iptables \$a; done" < "$OUT/jumps.args"

# one change: the delta (one port added, then removed again), 11 times each way
adds=(); removes=()
for i in $(seq 11); do
  t0=$(now); ip netns exec "$NS" iptables-restore --noflush < "$OUT/delta-add.rules"; t1=$(now); adds+=("$(ms "$t0" "$t1")")
  t0=$(now); ip netns exec "$NS" iptables-restore --noflush < "$OUT/delta-remove.rules"; t1=$(now); removes+=("$(ms "$t0" "$t1")")
done
change_ms=$(printf '%s\n' "${adds[@]}" | median)
remove_ms=$(printf '%s\n' "${removes[@]}" | median)
# for comparison: re-applying the whole document for the change
t0=$(now); ip netns exec "$NS" iptables-restore --noflush < "$OUT/full.rules"; t1=$(now)
reapply_ms=$(ms "$t0" "$t1")
# `ip netns exec` itself, to read the figures above net of it
t0=$(now); ip netns exec "$NS" true; t1=$(now)
netns_ms=$(ms "$t0" "$t1")

# peer: the same rules, one iptables invocation each, for PEER_PORTS ports
ip netns add "$PEER"
peer_rules=$(wc -l < "$OUT/peer.args")
t0=$(now); ip netns exec "$PEER" bash -c "while read -r a; do iptables \$a; done" < "$OUT/peer.args"; t1=$(now)
peer_ms=$(ms "$t0" "$t1")
peer_per_rule=$(echo "scale=3; $peer_ms / $peer_rules" | bc)
peer_full_est=$(echo "scale=0; $peer_per_rule * $rules / 1" | bc)
# peer's one change on the full-size ruleset: the same rule lines as single iptables commands
ip netns exec "$PEER" iptables -t nat -F; ip netns exec "$PEER" iptables -F
ip netns exec "$PEER" iptables-restore --noflush < "$OUT/full.rules"
t0=$(now); ip netns exec "$PEER" bash -c "while read -r a; do iptables \$a; done" < "$OUT/peer-change.args"; t1=$(now)
peer_change_ms=$(ms "$t0" "$t1")

ratio() { echo "scale=1; $1 / $2" | bc; }
cat <<REPORT
## $(date -u +%Y-%m-%d) — $(nproc) cores, $(uname -r), $(iptables --version)
Command: \`PORTS=$PORTS PEER_PORTS=$PEER_PORTS bench/nat/run.sh\`

| step | netplane | peer (one \`iptables\` per rule) | peer / netplane |
|---|---|---|---|
| allocate $PORTS host ports (in process) | ${alloc_ms} ms | – | – |
| compile the ruleset of $PORTS ports ($rules rules, in process) | ${compile_ms} ms | – | – |
| apply the whole ruleset | ${full_ms} ms (iptables-restore --noflush) | ~${peer_full_est} ms (measured ${peer_ms} ms for $peer_rules rules of $PEER_PORTS ports, ${peer_per_rule} ms/rule, scaled linearly: a lower bound) | $(ratio "$peer_full_est" "$full_ms") |
| one change: compile + delta (in process) | ${change_compile_delta_ms} ms | – | – |
| one change: apply (port added; removed: ${remove_ms} ms) | ${change_ms} ms (delta restore, median of 11) | ${peer_change_ms} ms ($(wc -l < "$OUT/peer-change.args") iptables commands on the full ruleset) | $(ratio "$peer_change_ms" "$change_ms") |
| one change by re-applying the whole document | ${reapply_ms} ms | – | – |

Apply times include \`ip netns exec\` (${netns_ms} ms here).
REPORT
