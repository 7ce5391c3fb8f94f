#!/usr/bin/env bash
# Compile the ruleset of PORTS published ports and apply it, then one port changed on that host, as
# the host agent applies it (its Firewall: the delta from the document applied last), beside the
# peer, Docker: `iptables -A`/`-D` of the one DNAT in its one-chain layout on the same rules, and
# the whole set added one `iptables` at a time (PEER_PORTS ports, scaled). Everything runs inside
# network namespaces this script creates and removes. Run as root: bench/nat/run.sh
# (PORTS=10000 PEER_PORTS=1000). Ends with `result:` lines, netplane/peer.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORTS=${PORTS:-10000}
PEER_PORTS=${PEER_PORTS:-1000}
OUT=$(mktemp -d)
NS=npbench-nat-$$
PEER=npbench-peer-$$
PEER_WHOLE=npbench-peerw-$$
cleanup() { for n in "$NS" "$PEER" "$PEER_WHOLE"; do ip netns del "$n" 2>/dev/null || true; done; rm -rf "$OUT"; }
trap cleanup EXIT

./mvnw -B -q -pl bench -am package -DskipTests  # -am: the agent and nat-service of this tree, not ~/.m2
ip netns add "$NS"
ip netns add "$PEER"
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.netplane.bench.nat.NatRulesetBench \
  "$PORTS" "$PEER_PORTS" "$OUT" "/run/netns/$NS" "/run/netns/$PEER"
source "$OUT/java.times"
source "$OUT/agent.times"

now() { date +%s%N; }
ms() { echo "scale=2; ($2 - $1) / 1000000" | bc; }
# peer's whole set: the same rules in Docker's layout, one iptables invocation each, for PEER_PORTS ports
ip netns add "$PEER_WHOLE"
peer_rules=$(wc -l < "$OUT/peer.args")
t0=$(now); ip netns exec "$PEER_WHOLE" bash -c "while read -r a; do iptables \$a; done" < "$OUT/peer.args"; t1=$(now)
peer_ms=$(ms "$t0" "$t1")
peer_per_rule=$(echo "scale=3; $peer_ms / $peer_rules" | bc)
peer_full_est=$(echo "scale=0; $peer_per_rule * $rules / 1" | bc)

ratio() { echo "scale=2; $1 / $2" | bc; }
load=$(cut -d' ' -f1-3 /proc/loadavg)
cat <<REPORT
## $(date -u +%Y-%m-%d) — $(nproc) cores, load $load, $(uname -r), $(iptables --version)
Command: \`PORTS=$PORTS PEER_PORTS=$PEER_PORTS bench/nat/run.sh\`

| step | netplane | peer (Docker) | netplane / peer |
|---|---|---|---|
| allocate $PORTS host ports (in process) | ${alloc_ms} ms | – | – |
| compile the ruleset of $PORTS ports ($rules rules, in process) | ${compile_ms} ms | – | – |
| apply the whole ruleset (agent: restore, jumps, read back) | ${agent_whole_first_ms} ms | ~${peer_full_est} ms (one \`iptables\` per rule: ${peer_ms} ms for $peer_rules rules, scaled) | $(ratio "$agent_whole_first_ms" "$peer_full_est") |
| service: compile + delta of one change (in process) | ${change_compile_delta_ms} ms (the delta alone: ${text_delta_ms} ms) | – | – |
| **agent, one port added** to a range in use (new revision → rule in place) | ${agent_in_add_ms} ms | ${peer_add_ms} ms (\`iptables -A\`) | $(ratio "$agent_in_add_ms" "$peer_add_ms") |
| **agent, one port removed** from a range in use | ${agent_in_remove_ms} ms | ${peer_remove_ms} ms (\`iptables -D\` by spec) | $(ratio "$agent_in_remove_ms" "$peer_remove_ms") |
| agent, a port opening a new range ($delta_add_rules rules written); closing it | ${agent_new_add_ms} ms; ${agent_new_remove_ms} ms | same | $(ratio "$agent_new_add_ms" "$peer_add_ms"); $(ratio "$agent_new_remove_ms" "$peer_remove_ms") |
| agent, from the record's bytes (decode, RecordCheck, apply): port added; removed | ${agent_event_add_ms} ms; ${agent_event_remove_ms} ms | same | $(ratio "$agent_event_add_ms" "$peer_add_ms"); $(ratio "$agent_event_remove_ms" "$peer_remove_ms") |
| before: agent re-applying the whole document, port added; removed | ${agent_whole_add_ms} ms; ${agent_whole_remove_ms} ms | same | $(ratio "$agent_whole_add_ms" "$peer_add_ms"); $(ratio "$agent_whole_remove_ms" "$peer_remove_ms") |

Agent rows are medians of 11 (before: of 5), through the agent's Firewall and IptablesRunner
(\`nsenter --net\`); the peer's commands go through the same runner. From the record's bytes, medians
of the parts in those rounds (decode, RecordCheck, apply): port added ${agent_event_add_parts} ms;
removed ${agent_event_remove_parts} ms. In process: the delta of one
removal ${agent_delta_ms} ms, its policy check ${agent_delta_check_ms} ms; decoding the ~1 MB record
${agent_decode_ms} ms, RecordCheck of it ${agent_record_check_ms} ms. A process spawned into the
namespace (\`true\`) ${spawn_ms} ms; an iptables-restore that changes nothing ${empty_restore_ms} ms.

result: port_added_ms netplane=${agent_in_add_ms} peer=${peer_add_ms} ratio=$(ratio "$agent_in_add_ms" "$peer_add_ms")
result: port_removed_ms netplane=${agent_in_remove_ms} peer=${peer_remove_ms} ratio=$(ratio "$agent_in_remove_ms" "$peer_remove_ms")
result: port_added_new_range_ms netplane=${agent_new_add_ms} peer=${peer_add_ms} ratio=$(ratio "$agent_new_add_ms" "$peer_add_ms")
result: port_removed_closing_range_ms netplane=${agent_new_remove_ms} peer=${peer_remove_ms} ratio=$(ratio "$agent_new_remove_ms" "$peer_remove_ms")
result: port_added_from_record_ms netplane=${agent_event_add_ms} peer=${peer_add_ms} ratio=$(ratio "$agent_event_add_ms" "$peer_add_ms")
result: port_removed_from_record_ms netplane=${agent_event_remove_ms} peer=${peer_remove_ms} ratio=$(ratio "$agent_event_remove_ms" "$peer_remove_ms")
result: whole_ruleset_ms netplane=${agent_whole_first_ms} peer=${peer_full_est} ratio=$(ratio "$agent_whole_first_ms" "$peer_full_est")
REPORT
