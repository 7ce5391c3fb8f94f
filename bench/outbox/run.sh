#!/usr/bin/env bash
# Outbox throughput: state changes committed with their outbox row, relayed to the real broker
# and read back by a consumer. Usage: bench/outbox/run.sh [events] [writers...]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f bench/target/classpath.txt ] || ./mvnw -B -q -pl bench -am install -DskipTests
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.netplane.bench.outbox.OutboxThroughput "$@"
