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

CP="$ROOT/nat-service/target/classes:$ROOT/host-agent/target/classes"
[ -d "$ROOT/nat-service/target/classes" ] && [ -d "$ROOT/host-agent/target/classes" ] \
  || (cd "$ROOT" && ./mvnw -B -q -pl nat-service,host-agent -am package -DskipTests)
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

# one change, as the delta of two documents (rules inserted where a chain only gained some; otherwise
# the changed chain flushed and refilled), 11 times each way: a port opening a new range of 100 ports
# (its chain, and a jump inserted in NETPLANE) and closing it again (NETPLANE rewritten, the chain
# deleted); a port leaving a range that stays in use (that chain rewritten) and coming back (one insert)
timed() { local t0 t1; t0=$(now); "$@" > /dev/null; t1=$(now); ms "$t0" "$t1"; }
restore() { ip netns exec "$1" iptables-restore --noflush < "$2"; }
adds=(); removes=(); in_removes=(); in_adds=()
for i in $(seq 11); do
  adds+=("$(timed restore "$NS" "$OUT/delta-add.rules")")
  removes+=("$(timed restore "$NS" "$OUT/delta-remove.rules")")
  in_removes+=("$(timed restore "$NS" "$OUT/delta-inrange-remove.rules")")
  in_adds+=("$(timed restore "$NS" "$OUT/delta-inrange-add.rules")")
done
change_ms=$(printf '%s\n' "${adds[@]}" | median)
remove_ms=$(printf '%s\n' "${removes[@]}" | median)
in_remove_ms=$(printf '%s\n' "${in_removes[@]}" | median)
in_add_ms=$(printf '%s\n' "${in_adds[@]}" | median)
# for comparison: re-applying the whole document for the change
t0=$(now); ip netns exec "$NS" iptables-restore --noflush < "$OUT/full.rules"; t1=$(now)
reapply_ms=$(ms "$t0" "$t1")
# the floor: `ip netns exec` alone, and an iptables-restore that changes nothing
printf '*nat\nCOMMIT\n' > "$OUT/nothing.rules"
floors=(); nothings=()
for i in $(seq 11); do
  floors+=("$(timed ip netns exec "$NS" true)")
  nothings+=("$(timed restore "$NS" "$OUT/nothing.rules")")
done
netns_ms=$(printf '%s\n' "${floors[@]}" | median)
nothing_ms=$(printf '%s\n' "${nothings[@]}" | median)

# peer: the same rules in Docker's layout (every DNAT in one chain), one iptables invocation each, for PEER_PORTS ports
ip netns add "$PEER"
peer_rules=$(wc -l < "$OUT/peer.args")
t0=$(now); ip netns exec "$PEER" bash -c "while read -r a; do iptables \$a; done" < "$OUT/peer.args"; t1=$(now)
peer_ms=$(ms "$t0" "$t1")
peer_per_rule=$(echo "scale=3; $peer_ms / $peer_rules" | bc)
peer_full_est=$(echo "scale=0; $peer_per_rule * $rules / 1" | bc)
# peer's one change on the full-size ruleset, as Docker does it: `iptables -A` the DNAT, `iptables -D` it by its spec;
# and, in the same layout, the previous netplane delta (-I NETPLANE 1 / -D NETPLANE 1 by iptables-restore)
ip netns exec "$PEER" iptables -t nat -F; ip netns exec "$PEER" iptables -F
ip netns exec "$PEER" iptables-restore --noflush < "$OUT/peer-full.rules"
spec=$(cut -d' ' -f5- "$OUT/peer-add.args")
printf '*nat\n-I NETPLANE 1 %s\nCOMMIT\n' "$spec" > "$OUT/flat-add.rules"
printf '*nat\n-D NETPLANE 1\nCOMMIT\n' > "$OUT/flat-remove.rules"
peer_adds=(); peer_removes=(); flat_adds=(); flat_removes=()
for i in $(seq 11); do
  peer_adds+=("$(timed ip netns exec "$PEER" iptables $(cat "$OUT/peer-add.args"))")
  peer_removes+=("$(timed ip netns exec "$PEER" iptables $(cat "$OUT/peer-remove.args"))")
  flat_adds+=("$(timed restore "$PEER" "$OUT/flat-add.rules")")
  flat_removes+=("$(timed restore "$PEER" "$OUT/flat-remove.rules")")
done
peer_add_ms=$(printf '%s\n' "${peer_adds[@]}" | median)
peer_remove_ms=$(printf '%s\n' "${peer_removes[@]}" | median)
flat_add_ms=$(printf '%s\n' "${flat_adds[@]}" | median)
flat_remove_ms=$(printf '%s\n' "${flat_removes[@]}" | median)

ratio() { echo "scale=1; $1 / $2" | bc; }
cat <<REPORT
## $(date -u +%Y-%m-%d) — $(nproc) cores, $(uname -r), $(iptables --version)
Command: \`PORTS=$PORTS PEER_PORTS=$PEER_PORTS bench/nat/run.sh\`

| step | netplane | peer (one \`iptables\` per rule) | peer / netplane |
|---|---|---|---|
| allocate $PORTS host ports (in process) | ${alloc_ms} ms | – | – |
| compile the ruleset of $PORTS ports ($rules rules, in process) | ${compile_ms} ms | – | – |
| apply the whole ruleset | ${full_ms} ms (iptables-restore --noflush) | ~${peer_full_est} ms (measured ${peer_ms} ms for $peer_rules rules of $PEER_PORTS ports, ${peer_per_rule} ms/rule, scaled linearly: a lower bound) | $(ratio "$peer_full_est" "$full_ms") |
| one change: compile + delta (in process, delta from the two documents' text) | ${change_compile_delta_ms} ms (the delta alone: ${text_delta_ms} ms) | – | – |
| one change: apply, port opening a new range (${delta_add_rules} rules written); closing it | ${change_ms} ms; ${remove_ms} ms (delta restore, median of 11) | ${peer_add_ms} ms (\`iptables -A\`); ${peer_remove_ms} ms (\`iptables -D\` by spec), median of 11, Docker's one-chain layout | $(ratio "$peer_add_ms" "$change_ms"); $(ratio "$peer_remove_ms" "$remove_ms") |
| one change: apply, port leaving a range in use; coming back | ${in_remove_ms} ms; ${in_add_ms} ms | same | $(ratio "$peer_remove_ms" "$in_remove_ms"); $(ratio "$peer_add_ms" "$in_add_ms") |
| before (one DNAT chain): \`-I NETPLANE 1\`; \`-D NETPLANE 1\` by iptables-restore | ${flat_add_ms} ms; ${flat_remove_ms} ms | – | – |
| one change by re-applying the whole document | ${reapply_ms} ms | – | – |

Apply times include \`ip netns exec\` (${netns_ms} ms here, median of 11); an iptables-restore that changes
nothing takes ${nothing_ms} ms.
REPORT