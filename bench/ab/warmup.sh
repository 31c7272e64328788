#!/usr/bin/env bash
# A/B of the warm-up (docs/performance.md, "Start-up, warm-up and memory"): one PostgreSQL; per arm a fresh
# service JVM (role api, outbox), wrk (32 connections) from its first answer for CURVE (50) s, orders per
# second from the database (created_at, as the warmup phase of bench/run.sh); the steady state is the same
# JVM's seconds 30-48 (as the intake phase: 30 s of load, then a measured window), with its JVM CPU per order.
# Arms run one after the other in one invocation, so that all of them see the same machine; alternate them.
#   BENCH_OUT=/tmp/ab BENCH_SKIP_BUILD=1 flock /tmp/bench.lock bench/ab/warmup.sh \
#       "base|" "cts03|-XX:CompileThresholdScaling=0.3" "base|" "cts03|-XX:CompileThresholdScaling=0.3"
# Arm: "name|JVM options".
ROOTWT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source <(sed '/^# =* main$/,$d' "$ROOTWT/bench/run.sh" | sed "s#^ROOT=.*#ROOT=$ROOTWT#")
CURVE=${CURVE:-50}
check_ports; install_tools
[[ -f "$JAR" ]] || { echo "no jar"; exit 1; }
start_postgres
start_jvm migrate "$API_PORT" -Dorders.role=api -Dorders.transport=outbox
wait_api "$JVM_PID" "$API_PORT" 120 >/dev/null; stop_jvm "$JVM_PID"
i=0
for arm in "$@"; do
  i=$((i+1))
  IFS='|' read -r name opts <<< "$arm"
  read -r -a SERVICE_OPTS <<< "$opts"
  say "== arm $i $name: opts [$opts]"
  reset_db
  start_jvm "warm-$i-$name" "$API_PORT" -Dorders.role=api -Dorders.transport=outbox; pid=$JVM_PID; t0=$(now_ms)
  ms=$(wait_api "$pid" "$API_PORT" 90) ; ms=$(( $(now_ms) - t0 ))
  result "w$i.$name.first_answer_ms" "$ms"
  wrk -t2 -c"$CONNECTIONS" -d"${CURVE}s" --timeout 5s -s "$BENCH/post-orders.lua" \
      "http://127.0.0.1:$API_PORT/orders" > "$OUT/logs/wrk-w$i.txt" 2>&1 &
  wpid=$!
  sleep 30; c0=$(cpu_ticks "$pid"); n0=$(psqlq -c "SELECT count(*) FROM orders")
  sleep 18; c1=$(cpu_ticks "$pid"); n1=$(psqlq -c "SELECT count(*) FROM orders")
  wait "$wpid" || true
  result "w$i.$name.cpu_us_per_order_30_48" "$(awk -v t=$((c1-c0)) -v n=$((n1-n0)) -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.0f", 1e6*t/hz/n}')"
  per_second "w$i.$name" "$CURVE"
  stop_jvm "$pid"
done
