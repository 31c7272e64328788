#!/usr/bin/env bash
# A/B of the sqs api's peak RSS (docs/performance.md, "Start-up, warm-up and memory"): one PostgreSQL, then
# for each arm the sqs drain of bench/run.sh (the api relays N orders into its embedded SQS, one worker
# drains them), then the api's VmHWM, threads, heap (GC.heap_info, jstat) and, with NMT in the options, NMT.
# Arms run one after the other in one invocation, so that all of them see the same machine; alternate them.
#   BENCH_OUT=/tmp/ab BENCH_SKIP_BUILD=1 flock /tmp/bench.lock bench/ab/sqs-api-memory.sh 50000 \
#       "base||" "arena2|MALLOC_ARENA_MAX=2|" "base||" "arena2|MALLOC_ARENA_MAX=2|-XX:NativeMemoryTracking=summary"
# Arm: "name|ENV=V ...|JVM options" (environment variables and options of the api and worker JVMs).
ROOTWT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source <(sed '/^# =* main$/,$d' "$ROOTWT/bench/run.sh" | sed "s#^ROOT=.*#ROOT=$ROOTWT#")
N=$1; shift
check_ports; install_tools
[[ -f "$JAR" ]] || { echo "no jar"; exit 1; }
start_postgres
start_jvm migrate "$API_PORT" -Dorders.role=api -Dorders.transport=outbox
wait_api "$JVM_PID" "$API_PORT" 120 >/dev/null; stop_jvm "$JVM_PID"
for arm in "$@"; do
  IFS='|' read -r name envs opts <<< "$arm"
  read -r -a SERVICE_OPTS <<< "$opts"
  say "== arm $name: env [$envs] opts [$opts]"
  for e in $envs; do export "$e"; done
  drain_sqs 1 "arm.$name" "$N"
  hwm_relay=$(awk '/^VmHWM/ {printf "%.0f", $2/1024}' "/proc/$SQS_API_PID/status")
  result "arm.$name.rss_now_mb" "$(awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$SQS_API_PID/status")"
  result "arm.$name.threads" "$(awk '/^Threads/ {print $2}' "/proc/$SQS_API_PID/status")"
  if [[ "$opts" == *NativeMemoryTracking* ]]; then jcmd "$SQS_API_PID" VM.native_memory summary > "$OUT/nmt-$name.txt" 2>&1; fi
  jcmd "$SQS_API_PID" GC.heap_info > "$OUT/heap-$name.txt" 2>&1; jstat -gc "$SQS_API_PID" >> "$OUT/heap-$name.txt" 2>&1
  memory "arm.$name.api" "$SQS_API_PID"
  stop_all "${WORKER_PIDS[@]}"; stop_jvm "$SQS_API_PID"
  for e in $envs; do unset "${e%%=*}"; done
done
