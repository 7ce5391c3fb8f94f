#!/usr/bin/env bash
# Overlay mesh at scale: full computation and one-endpoint changes, 100 to 1,000 hosts.
# Usage: bench/overlay/run.sh [hosts,hosts,...] [repeats]    (default 100,250,500,1000 and 3)
# Needs no Docker: local-cluster starts an embedded PostgreSQL (and a Kafka broker, unused here).
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl bench -am install -DskipTests
exec java -Xmx6g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$(cat bench/target/classpath.txt):bench/target/classes" \
    io.netplane.bench.overlay.OverlayMeshBench "$@"
