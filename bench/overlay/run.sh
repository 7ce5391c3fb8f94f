#!/usr/bin/env bash
# Overlay fan-out at scale: one endpoint added to the network spanning every host, published as the
# network's record (now) and as every host's whole mesh (before, the baseline: Docker's NetworkDB
# gossip needs a swarm), each timed until every simulated agent's state has it; plus the full recompute.
# Usage: bench/overlay/run.sh [hosts,hosts,...] [repeats] [agent threads]    (default 1000, 3 and 2)
# Needs no Docker: local-cluster starts an embedded PostgreSQL and a Kafka broker in the JVM.
# Ends with "result: <metric> netplane=<value> peer=<value> ratio=<netplane/peer>" lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -o -pl bench -am package -DskipTests
exec java -Xmx6g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$(cat bench/target/classpath.txt):bench/target/classes" \
    io.netplane.bench.overlay.OverlayMeshBench "$@"
