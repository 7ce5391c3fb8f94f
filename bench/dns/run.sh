#!/usr/bin/env bash
# DNS benchmark: dns-service vs dnsmasq answering the same names, same machine, same run, dnsperf.
# Usage (from anywhere): bench/dns/run.sh [containers] [seconds]
# COMPARE_APP=dir (a copy of an older dns-service/target/quarkus-app) also measures that build, as
# "before", in the same rounds; DNS_JAVA_OPTS passes JVM flags (e.g. -Dnetplane.dns.udp-loops=1),
# COMPARE_JAVA_OPTS those of the "before" JVM (default: DNS_JAVA_OPTS). The same build with
# batching off as "before": COMPARE_APP=dns-service/target/quarkus-app COMPARE_JAVA_OPTS=-Dnetplane.dns.udp-batch=off.
# PERF=1 records 5 s of each server's first round with perf (kernel symbols; JIT frames show as
# unknown) into $WORK. SYSCALLS=0 skips counting each server's system calls (perf stat, 5 s after the rounds).
# Writes the raw dnsperf output to $WORK and prints a summary; copy it into bench/dns/RESULTS.md.
# Ends with `result: <metric> netplane=<v> peer=<v> ratio=<v>` over all rounds (queries/s: all
# answers over all run time; CPU per answer: all CPU over all answers), and `before:` alike.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CONTAINERS="${1:-1000}"
SECONDS_PER_RUN="${2:-20}"
DNS_PORT=15353
DNSMASQ_PORT=15354
HTTP_PORT=18082
WORK="$(mktemp -d /tmp/netplane-dns-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -B -q -pl bench -am package -DskipTests
fi

# 1. a private Kafka with the containers published as events; hosts file + query file for both servers
mkfifo "$WORK/hold"
java -cp "$(cat bench/target/classpath.txt):bench/target/classes" io.netplane.bench.dns.DnsBenchSetup \
  "$WORK" "$CONTAINERS" 200000 < "$WORK/hold" > "$WORK/setup.log" 2>&1 &
PIDS+=($!)
exec 9>"$WORK/hold"   # keeps the setup's stdin open until this script exits
until [[ -f "$WORK/ready" ]]; do sleep 1; done
ASKER="$(cat "$WORK/asker")"   # the first container's (loopback) address: dns-service knows who asks by it
# dns-service refuses to start without the key its stubs' identities are signed with; queries here
# carry none (dnsperf cannot sign each one), so any key does
IDENTITY_KEY="$(head -c 32 /dev/urandom | base64)"

# 2. dns-service (the real Quarkus app) reading those events
java ${DNS_JAVA_OPTS:-} -Dkafka.bootstrap.servers="$(cat "$WORK/bootstrap")" -Dnetplane.dns.port=$DNS_PORT \
  -Dnetplane.dns.identity-key="$IDENTITY_KEY" \
  -Dnetplane.dns.upstreams=127.0.0.1:9 -Dquarkus.http.port=$HTTP_PORT \
  -jar dns-service/target/quarkus-app/quarkus-run.jar > "$WORK/dns-service.log" 2>&1 &
PIDS+=($!)
DNS_PID=$!
until curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" > /dev/null; do sleep 1; done
TARGETS=(dnsmasq:$DNSMASQ_PORT dns-service:$DNS_PORT)
if [[ -n "${COMPARE_APP:-}" ]]; then
  BEFORE_PORT=15355
  java ${COMPARE_JAVA_OPTS:-${DNS_JAVA_OPTS:-}} -Dkafka.bootstrap.servers="$(cat "$WORK/bootstrap")" -Dnetplane.dns.port=$BEFORE_PORT \
    -Dnetplane.dns.identity-key="$IDENTITY_KEY" \
    -Dnetplane.dns.upstreams=127.0.0.1:9 -Dquarkus.http.port=$((HTTP_PORT + 1)) \
    -jar "$COMPARE_APP/quarkus-run.jar" > "$WORK/before.log" 2>&1 &
  PIDS+=($!)
  BEFORE_PID=$!
  until curl -sf "http://127.0.0.1:$((HTTP_PORT + 1))/q/health/ready" > /dev/null; do sleep 1; done
  TARGETS+=(before:$BEFORE_PORT)
fi

# 3. dnsmasq with the same names from a hosts file
dnsmasq --keep-in-foreground --port=$DNSMASQ_PORT --listen-address=127.0.0.1 --bind-interfaces \
  --no-resolv --no-hosts --addn-hosts="$WORK/hosts" --cache-size=10000 --user=root \
  --pid-file="$WORK/dnsmasq.pid" --log-facility="$WORK/dnsmasq.log" &
PIDS+=($!)
DNSMASQ_PID=$!
# CPU ticks (user, system) a server used: per-query CPU is robust to a noisy shared machine
ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
sleep 1

QUERY=(-d "$WORK/queries" -a "$ASKER" -c 4 -q 200)
echo "== sanity: both answer c1 (asked from $ASKER); a stranger is refused"
answers=("$(dig +short -b "$ASKER" -p $DNS_PORT @127.0.0.1 c1)" "$(dig +short -b "$ASKER" -p $DNSMASQ_PORT @127.0.0.1 c1)")
echo "dns-service: ${answers[0]}  dnsmasq: ${answers[1]}"
if [[ -z "${answers[0]}" || "${answers[0]}" != "${answers[1]}" ]]; then
  echo "the servers do not give the same answer for c1: not benchmarking" >&2
  exit 1
fi
dig -p $DNS_PORT @127.0.0.1 c1 | grep -o 'status: [A-Z]*' 
grep -ho 'DNS listening.*' "$WORK/dns-service.log" | sed 's/^/dns-service: /'
if [[ -n "${COMPARE_APP:-}" ]]; then grep -ho 'DNS listening.*' "$WORK/before.log" | sed 's/^/before: /'; fi

echo "== warm-up dns-service (JIT) 10 s"
dnsperf -s 127.0.0.1 -p $DNS_PORT "${QUERY[@]}" -l 10 > "$WORK/warmup.txt"
if [[ -n "${COMPARE_APP:-}" ]]; then
  dnsperf -s 127.0.0.1 -p $BEFORE_PORT "${QUERY[@]}" -l 10 > "$WORK/warmup-before.txt"
fi

# the machine is shared and noisy: interleave several rounds and compare round by round
ROUNDS="${ROUNDS:-3}"
declare -A TOTAL_Q TOTAL_TICKS TOTAL_S   # per server over all rounds, for the result lines
for round in $(seq 1 "$ROUNDS"); do
  for target in "${TARGETS[@]}"; do
    name="${target%%:*}"; port="${target##*:}"
    out="$WORK/throughput-$name-$round.txt"
    pid=$DNS_PID; [[ $name == dnsmasq ]] && pid=$DNSMASQ_PID; [[ $name == before ]] && pid=$BEFORE_PID
    read -r u0 s0 < <(ticks "$pid")
    if [[ "${PERF:-0}" == 1 && $round == 1 ]]; then
      (sleep 2; perf record -q -F 499 -g -p "$pid" -o "$WORK/perf-$name.data" -- sleep 5 > /dev/null 2>&1) &
    fi
    /usr/bin/time -f "%U %S" -o "$out.time" dnsperf -s 127.0.0.1 -p "$port" "${QUERY[@]}" -l "$SECONDS_PER_RUN" > "$out"
    read -r u1 s1 < <(ticks "$pid")
    done_q=$(awk '/Queries completed/ {print $3}' "$out")
    run_s=$(awk '/Run time \(s\)/ {print $4}' "$out")
    TOTAL_Q[$name]=$(( ${TOTAL_Q[$name]:-0} + done_q ))
    TOTAL_TICKS[$name]=$(( ${TOTAL_TICKS[$name]:-0} + u1 - u0 + s1 - s0 ))
    TOTAL_S[$name]=$(awk -v a="${TOTAL_S[$name]:-0}" -v b="$run_s" 'BEGIN {print a + b}')
    cpu=$(awk -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v hz="$HZ" -v n="$done_q" \
      'BEGIN {printf "cpu/query=%.2fus (user %.2f, sys %.2f)", (u + s) / hz / n * 1e6, u / hz / n * 1e6, s / hz / n * 1e6}')
    perf_cpu=$(awk -v n="$done_q" '{printf "dnsperf %.2fus", ($1 + $2) / n * 1e6}' "$out.time")
    cpu="$cpu $perf_cpu"
    qps=$(awk '/Queries per second/ {print $4}' "$out")
    lost=$(awk '/Queries lost/ {print $3}' "$out")
    codes=$(grep 'Response codes' "$out" | sed 's/ *Response codes: *//')
    echo "round $round $name qps=$qps lost=$lost $cpu codes=[$codes]"
    eval "qps_${name//-/_}_$round=$qps"
  done
  ratio=$(awk -v a="$(eval echo \$qps_dns_service_$round)" -v b="$(eval echo \$qps_dnsmasq_$round)" 'BEGIN {printf "%.2f", a / b}')
  echo "round $round ratio dns-service/dnsmasq = $ratio"
  if [[ -n "${COMPARE_APP:-}" ]]; then
    awk -v a="$(eval echo \$qps_before_$round)" -v b="$(eval echo \$qps_dnsmasq_$round)" \
      'BEGIN {printf "round '"$round"' ratio before/dnsmasq = %.2f\n", a / b}'
  fi
done

# system calls per answer, in a run of their own: the tracepoint costs each call some time, which
# would weigh on the server making more calls in a measured round
if [[ "${SYSCALLS:-1}" == 1 ]]; then
  for target in "${TARGETS[@]}"; do
    name="${target%%:*}"; port="${target##*:}"
    pid=$DNS_PID; [[ $name == dnsmasq ]] && pid=$DNSMASQ_PID; [[ $name == before ]] && pid=$BEFORE_PID
    perf stat -x, -e raw_syscalls:sys_enter -p "$pid" -o "$WORK/syscalls-$name.csv" &
    counting=$!
    dnsperf -s 127.0.0.1 -p "$port" "${QUERY[@]}" -l 5 > "$WORK/syscalls-$name.txt"
    kill -INT "$counting"; wait "$counting" || true
    for _ in $(seq 50); do grep -q raw_syscalls "$WORK/syscalls-$name.csv" 2>/dev/null && break; sleep 0.1; done
    done_q=$(awk '/Queries completed/ {print $3}' "$WORK/syscalls-$name.txt")
    awk -F, -v n="$done_q" -v who="$name" '$3 == "raw_syscalls:sys_enter" {printf "== syscalls %s: %.3f per answer (whole process, %d calls, %d answers)\n", who, $1 / n, $1, n}' \
      "$WORK/syscalls-$name.csv"
  done
fi

# latency at a fixed offered load both can carry: per-query latencies from -v, percentiles by sort
RATE="${RATE:-10000}"
for target in "${TARGETS[@]}"; do
  name="${target%%:*}"; port="${target##*:}"
  dnsperf -s 127.0.0.1 -p "$port" "${QUERY[@]}" -l 10 -Q "$RATE" -v > "$WORK/latency-$name.txt"
  awk '$1 == ">" {print $NF}' "$WORK/latency-$name.txt" | sort -g > "$WORK/latency-$name.sorted"
  n=$(wc -l < "$WORK/latency-$name.sorted")
  p50=$(sed -n "$(( n / 2 ))p" "$WORK/latency-$name.sorted")
  p99=$(sed -n "$(( n * 99 / 100 ))p" "$WORK/latency-$name.sorted")
  echo "== latency $name at $RATE qps: n=$n p50=${p50}s p99=${p99}s"
done
echo "raw output in $WORK"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
# one line per figure over all rounds; the "before" build (if any) the same way, as "before:"
summary() { # name -> "qps cpu_us_per_answer"
  awk -v q="${TOTAL_Q[$1]}" -v s="${TOTAL_S[$1]}" -v t="${TOTAL_TICKS[$1]}" -v hz="$HZ" \
    'BEGIN {printf "%.0f %.2f\n", q / s, t / hz / q * 1e6}'
}
read -r q_np c_np < <(summary dns-service)
read -r q_peer c_peer < <(summary dnsmasq)
if [[ -n "${COMPARE_APP:-}" ]]; then
  read -r q_b c_b < <(summary before)
  awk -v a="$q_b" -v b="$q_peer" 'BEGIN {printf "before: queries_per_s netplane=%s peer=%s ratio=%.2f\n", a, b, a / b}'
  awk -v a="$c_b" -v b="$c_peer" 'BEGIN {printf "before: cpu_us_per_answer netplane=%s peer=%s ratio=%.2f\n", a, b, a / b}'
fi
awk -v a="$q_np" -v b="$q_peer" 'BEGIN {printf "result: queries_per_s netplane=%s peer=%s ratio=%.2f\n", a, b, a / b}'
awk -v a="$c_np" -v b="$c_peer" 'BEGIN {printf "result: cpu_us_per_answer netplane=%s peer=%s ratio=%.2f\n", a, b, a / b}'
