#!/usr/bin/env bash
# 1,000 endpoints (veth pair, bridge port, address, link up, route) through host-agent's netlink
# layer beside the same through `ip -batch`. Needs root. Usage: bench/agent/run.sh [endpoints] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl bench -am install -DskipTests
exec java -cp "$(cat bench/target/classpath.txt):bench/target/classes" \
  io.netplane.bench.agent.EndpointSetupBench "${1:-1000}" "${2:-3}"
