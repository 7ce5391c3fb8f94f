#!/usr/bin/env bash
# Convergence: request -> first successful ping, beside ?wait=true, on a simulated host with the
# real broker, database, services and agent. Run as root. Usage: bench/e2e/run.sh [connects]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f bench/target/classpath.txt ] && [ -f host-agent/target/quarkus-app/quarkus-run.jar ] \
  || ./mvnw -B -q install -DskipTests
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.netplane.bench.e2e.Convergence "$@"
