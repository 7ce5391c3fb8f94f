#!/usr/bin/env bash
# Address allocation benchmark: netplane's allocator beside the SKIP LOCKED peer on one
# PostgreSQL (local-cluster's embedded server), 1/16/64 clients. Run from the repository root:
#   bench/ipam/run.sh [seconds-per-run] [prefilled-addresses] [netplane-processes]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -pl bench -am package -DskipTests  # -am: the service jars from this tree, not ~/.m2
java -Xmx2g -cp "$(cat bench/target/classpath.txt):bench/target/classes" \
  io.netplane.bench.ipam.AllocationBench "${1:-10}" "${2:-1000}" "${3:-2}"
