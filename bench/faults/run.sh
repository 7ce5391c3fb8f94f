#!/usr/bin/env bash
# The fault suite: the real broker and PostgreSQL (local-cluster) and the built jars of nat-, ipam- and
# dns-service; a second ipam-service SIGKILLed mid-load, the broker stopped and restarted, PostgreSQL
# stopped and restarted, dns-service SIGKILLed and restarted. Prints one line per fault, then exactly
# "N passed, M failed". Bounded: the run is stopped after FAULTS_TIMEOUT seconds (default 1200).
# Run from anywhere: bench/faults/run.sh [full|ci] [broker-outage-seconds]; bench/faults/run.sh restart [endpoints]
# times each service's restart at that size (README, "Restart semantics").
set -uo pipefail
cd "$(dirname "$0")/../.."
FAULTS=$([ "${1:-}" = restart ] && echo 1 || echo 4)
./mvnw -B -q package -DskipTests -pl ipam-service,dns-service,nat-service,bench -am || { echo "0 passed, $FAULTS failed"; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
timeout --kill-after=30 "${FAULTS_TIMEOUT:-1200}" \
  java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.netplane.bench.faults.FaultSuite "$@" | tee "$out"
status=${PIPESTATUS[0]}
if ! tail -1 "$out" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
  passed=$(grep -c '^PASS ' "$out")
  echo "the suite did not finish (exit $status)"
  echo "$passed passed, $((FAULTS - passed)) failed"
fi
exit "$status"
