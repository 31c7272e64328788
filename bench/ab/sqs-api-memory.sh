#!/usr/bin/env bash
# A/B of the sqs api's peak RSS (docs/performance.md, "Start-up, warm-up and memory"): one PostgreSQL, then
# for each arm the sqs drain of bench/run.sh (the api relays N orders into its embedded SQS, one worker
# drains them), then the api's VmHWM, threads, heap (GC.heap_info, jstat) and, with NMT in the options, NMT.
# Arms run one after the other in one invocation, so that all of them see the same machine; alternate them.
#   BENCH_OUT=/tmp/ab BENCH_SKIP_BUILD=1 flock /tmp/bench.lock bench/ab/sqs-api-memory.sh 50000 \
#       "base||" "arena2|MALLOC_ARENA_MAX=2|" "base||" "arena2|MALLOC_ARENA_MAX=2|-XX:NativeMemoryTracking=summary"
# Arm: "name|ENV=V ...|JVM options[|JAR]" (environment variables and options of the api and worker JVMs; an
# optional jar other than BENCH_JAR, to compare two builds: each jar gets its own AppCDS archive, written by
# a schema-check launch before the arms). Per arm, $BENCH_OUT also gets the api's RSS each second
# (rss-NAME.txt: seconds, VmRSS MB, relay or drain), thread dump and class histogram (diag-NAME-*.txt).
ROOTWT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source <(sed '/^# =* main$/,$d' "$ROOTWT/bench/run.sh" | sed "s#^ROOT=.*#ROOT=$ROOTWT#")
N=$1; shift
check_ports; install_tools
[[ -f "$JAR" ]] || { echo "no jar"; exit 1; }
start_postgres
BASE_JAR=$JAR
declare -A ARCHIVED=()
for arm in "$@"; do   # one launch per jar: the schema check, which writes that jar's AppCDS archive at exit
  IFS='|' read -r _ _ _ jar <<< "$arm"; JAR=${jar:-$BASE_JAR}
  [[ -n "${ARCHIVED[$JAR]:-}" ]] && continue; ARCHIVED[$JAR]=1
  start_jvm "migrate-$(basename "$JAR" .jar)" "$API_PORT" -Dorders.role=api -Dorders.transport=outbox
  wait_api "$JVM_PID" "$API_PORT" 120 >/dev/null; stop_jvm "$JVM_PID"
done
for arm in "$@"; do
  IFS='|' read -r name envs opts jar <<< "$arm"
  JAR=${jar:-$BASE_JAR}
  read -r -a SERVICE_OPTS <<< "$opts"
  say "== arm $name: env [$envs] opts [$opts] jar $JAR"
  for e in $envs; do export "$e"; done
  # the api's RSS each second, by its port on the command line (drain_sqs starts it)
  ( t=0; pid=""; while (( t < 900 )); do
      [[ -z "$pid" ]] && pid=$(pgrep -f -- "-Dcamel.server.port=$API_PORT .*orders.transport=sqs" | head -1 || true)
      if [[ -n "$pid" ]]; then
        [[ -r /proc/$pid/status ]] || break
        w=$(pgrep -f -- "-Dcamel.server.port=$WORKER_PORT " >/dev/null && echo drain || echo relay)
        # AB_RELAY_HISTO=1 in an arm's environment: the class histogram when the queue is full (its full GC
        # changes what follows, so only in an arm of its own)
        if [[ $w == drain && "${AB_RELAY_HISTO:-}" == 1 ]]; then
          jcmd "$pid" GC.class_histogram 2>/dev/null | head -60 > "$OUT/diag-$name-relay-histo.txt"; AB_RELAY_HISTO=0; fi
        echo "$t $(awk '/^VmRSS/ {printf "%.0f", $2/1024}' /proc/$pid/status) $w"
      fi
      sleep 1; t=$((t + 1)); done > "$OUT/rss-$name.txt" ) &
  SAMPLER=$!
  drain_sqs 1 "arm.$name" "$N"
  result "arm.$name.rss_now_mb" "$(awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$SQS_API_PID/status")"
  result "arm.$name.threads" "$(awk '/^Threads/ {print $2}' "/proc/$SQS_API_PID/status")"
  if [[ "$opts" == *NativeMemoryTracking* ]]; then jcmd "$SQS_API_PID" VM.native_memory summary > "$OUT/nmt-$name.txt" 2>&1; fi
  jcmd "$SQS_API_PID" GC.heap_info > "$OUT/heap-$name.txt" 2>&1; jstat -gc "$SQS_API_PID" >> "$OUT/heap-$name.txt" 2>&1
  jcmd "$SQS_API_PID" Thread.print > "$OUT/diag-$name-threads.txt" 2>&1
  # resident MB per mapping (anonymous memory as [anon]): how much of the CDS archive and the jars is in RSS
  awk '/^[0-9a-f]+-[0-9a-f]+ / {m = (NF >= 6 ? $6 : "[anon]")} /^Rss:/ {r[m] += $2}
       END {for (m in r) printf "%8.1f %s\n", r[m]/1024, m}' "/proc/$SQS_API_PID/smaps" | sort -nr | head -15 > "$OUT/diag-$name-smaps.txt"
  memory "arm.$name.api" "$SQS_API_PID"
  memory "arm.$name.worker" "${WORKER_PIDS[0]}"
  jcmd "$SQS_API_PID" GC.class_histogram 2>/dev/null | head -45 > "$OUT/diag-$name-histo.txt"
  # figures taken: no orderly stop needed (the api's takes about 20 s)
  kill -KILL "${WORKER_PIDS[@]}" "$SQS_API_PID" 2>/dev/null || true; sleep 1
  kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true
  for e in $envs; do unset "${e%%=*}"; done
done
