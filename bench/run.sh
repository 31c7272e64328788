#!/usr/bin/env bash
# Order Platform benchmark: two ceilings (pgbench running the service's own SQL, and a plain Camel intake
# running the service's own intake statement) and the service (steady-state intake, warm-up from launch,
# drain, end-to-end latency, memory, first answer, idle workers, scaling with processes and backlog),
# against ONE PostgreSQL started for the run with default durability (fsync on, synchronous_commit on).
# Prints Markdown tables of every figure with its ratio to the ceiling of the same run and its target,
# and writes them to target/bench/report.md.
#
#   bench/run.sh                          # everything (about 20 minutes on an idle 2-core machine)
#   BENCH_PHASES="ceiling intake" bench/run.sh   # a subset: ceiling firstanswer intake warmup drain e2e scaling
#
# See bench/README.md for the knobs (BENCH_* environment variables) and what each figure means.
# Everything started here is stopped on exit (trap); every wait is bounded; all traffic goes to 127.0.0.1.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
OUT="${BENCH_OUT:-$ROOT/target/bench}"
JAR="${BENCH_JAR:-$ROOT/target/order-platform.jar}"
# extra JVM options / -D settings for every service JVM, to try a change (e.g. "-Dorders.outbox.poll-interval-ms=10")
read -r -a SERVICE_OPTS <<< "${BENCH_SERVICE_OPTS:-}"

PHASES="${BENCH_PHASES:-ceiling firstanswer intake warmup drain e2e scaling}"
PG_PORT="${BENCH_PG_PORT:-15432}"   # below the ephemeral range (32768-60999): no client socket can hold it
PG_DB=orders_bench
API_PORT="${BENCH_API_PORT:-18080}"
WORKER_PORT="${BENCH_WORKER_PORT:-18081}"
HEAP="${BENCH_HEAP:-256m}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
WARMUP_S="${BENCH_WARMUP_SECONDS:-30}"            # steady state: wrk load before the measured window
INTAKE_S="${BENCH_INTAKE_SECONDS:-20}"            # steady state: the measured window
CURVE_S="${BENCH_WARMUP_CURVE_SECONDS:-30}"       # warm-up phase: seconds of load from the first answer
CEILING_INTAKE_S="${BENCH_CEILING_INTAKE_SECONDS:-30}"
CYCLE_S="${BENCH_CYCLE_SECONDS:-10}"
CYCLE_BACKLOG="${BENCH_CYCLE_BACKLOG:-200000}"
BATCH="${BENCH_BATCH:-100}"
DRAIN_N="${BENCH_DRAIN_ORDERS:-50000}"
DRAIN_TIMEOUT_S="${BENCH_DRAIN_TIMEOUT_SECONDS:-600}"
RATE="${BENCH_RATE:-500}"
E2E_S="${BENCH_E2E_SECONDS:-30}"
E2E_TRANSPORTS="${BENCH_E2E_TRANSPORTS:-inprocess outbox sqs}"
JFR="${BENCH_JFR:-0}"
QUIET_WAIT_S="${BENCH_QUIET_WAIT_SECONDS:-240}"
FIRST_RUNS="${BENCH_FIRSTANSWER_RUNS:-3}"
QUIET_BUSY_PCT="${BENCH_QUIET_BUSY_PCT:-25}"
SQS_PORT="${BENCH_SQS_PORT:-19324}"
# second api and extra workers of the scaling phase: EXTRA_PORT, EXTRA_PORT+1.. (management +100 each)
EXTRA_PORT="${BENCH_EXTRA_PORT:-$((API_PORT + 2))}"
SCALE_OUTBOX="${BENCH_SCALING_OUTBOX_WORKERS:-1 2 4}"
SCALE_SQS="${BENCH_SCALING_SQS_WORKERS:-1 2}"
SCALE_APIS="${BENCH_SCALING_APIS:-1 2}"
SCALE_SQS_N="${BENCH_SCALING_SQS_ORDERS:-20000}"
SMALL_BACKLOG="${BENCH_SCALING_SMALL_BACKLOG:-10000}"
BIG_BACKLOG="${BENCH_SCALING_BIG_BACKLOG:-1000000}"
BACKLOG_WINDOW_S="${BENCH_SCALING_BACKLOG_SECONDS:-20}"
PLAIN_SRC="$BENCH/plain-intake/PlainIntake.java"
PLAIN_CLASSES="$OUT/plain-intake/classes"

mkdir -p "$OUT/logs" "$OUT/run" "$OUT/pgss"
RESULTS="$OUT/results.txt"
: > "$RESULTS"
LOG="$OUT/logs/bench.log"
: > "$LOG"

say() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$LOG" >&2; }
result() { printf '%s=%s\n' "$1" "$2" >> "$RESULTS"; say "  $1 = $2"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
has_phase() { [[ " $PHASES " == *" $1 "* ]]; }

# ---------------------------------------------------------------------------------------------- cleanup
PIDS=()
PG_DIR=""
PG_BIN=""
cleanup() {
  local rc=$?
  set +e
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null; fi
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  done
  if [[ -n "$PG_DIR" && -f "$PG_DIR/data/postmaster.pid" ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1
  fi
  [[ -n "$PG_DIR" && -f "$PG_DIR/postgres.log" ]] && cp "$PG_DIR/postgres.log" "$OUT/logs/postgres.log"
  [[ -n "$PG_DIR" ]] && rm -rf "$PG_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --------------------------------------------------------------------------------------------- install
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

install_tools() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v pgbench >/dev/null || missing+=(postgresql-client)
  command -v psql >/dev/null || missing+=(postgresql-client)
  command -v curl >/dev/null || missing+=(curl)
  command -v python3 >/dev/null || missing+=(python3)
  ls -d /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  command -v mvn >/dev/null || missing+=(maven)
  if ((${#missing[@]})); then
    [[ $EUID -eq 0 ]] || { echo "missing ${missing[*]}: run as root or install them" >&2; exit 1; }
    say "installing ${missing[*]}"
    apt-get update -qq >>"$LOG" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$LOG" 2>&1
  fi
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
}

build() {
  if [[ "${BENCH_SKIP_BUILD:-0}" == 1 || -n "${BENCH_JAR:-}" ]] && [[ -f "$JAR" ]]; then say "using the existing $JAR"; return; fi
  say "building the jar"
  (cd "$ROOT" && mvn -q -B package -DskipTests) >>"$LOG" 2>&1
}

# The plain Camel intake (bench/plain-intake): compiled against the service's jar, which holds Camel, Vert.x,
# Jackson, HikariCP, the PostgreSQL driver and the intake statement (sql/insert-order-with-event.sql).
build_plain() {
  rm -rf "$PLAIN_CLASSES"; mkdir -p "$PLAIN_CLASSES"
  javac --release 17 -nowarn -d "$PLAIN_CLASSES" -cp "$JAR" "$PLAIN_SRC" >>"$LOG" 2>&1 \
      || { echo "the plain Camel intake does not compile, see $LOG" >&2; exit 1; }
}

# ------------------------------------------------------------------------------------------ PostgreSQL
psqlq() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$PG_DB" "$@"; }

port_taken() { (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
check_ports() {
  local p
  for p in "$PG_PORT" "$API_PORT" "$WORKER_PORT" "$SQS_PORT" $((API_PORT + 100)) $((WORKER_PORT + 100)) \
           $(seq "$EXTRA_PORT" $((EXTRA_PORT + 3))) $(seq $((EXTRA_PORT + 100)) $((EXTRA_PORT + 103))); do
    if port_taken "$p"; then
      echo "port $p is taken (BENCH_PG_PORT, BENCH_API_PORT, BENCH_WORKER_PORT, BENCH_SQS_PORT, BENCH_EXTRA_PORT choose others)" >&2; exit 1
    fi
  done
}

start_postgres() {
  PG_DIR=$(mktemp -d /tmp/order-platform-bench-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  [[ $EUID -eq 0 ]] && chown postgres "$PG_DIR"
  say "starting PostgreSQL ($("$PG_BIN/postgres" --version)) on 127.0.0.1:$PG_PORT, data in $PG_DIR"
  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >>"$LOG" 2>&1
  # Durability stays at the defaults (fsync, synchronous_commit, full_page_writes on). Memory and WAL size
  # are raised so that a checkpoint forced by WAL volume does not land in the middle of a 30 s phase.
  cat >> "$PG_DIR/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 200
shared_buffers = 256MB
max_wal_size = 4GB
shared_preload_libraries = 'pg_stat_statements'
EOF
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 start >>"$LOG" 2>&1 || { cat "$PG_DIR/postgres.log" >&2; exit 1; }
  psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE $PG_DB" >>"$LOG"
  psqlq -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >>"$LOG"
  result pg.version "$(psqlq -c 'SHOW server_version')"
  result pg.fsync "$(psqlq -c 'SHOW fsync')"
  result pg.synchronous_commit "$(psqlq -c 'SHOW synchronous_commit')"
}

reset_db() {
  local f
  psqlq -f "$BENCH/sql/reset.sql" >>"$LOG" 2>&1
  for f in $(ls "$ROOT"/src/main/resources/db/migration/V*__*.sql | sort -V); do psqlq -f "$f" >>"$LOG"; done
}
load_backlog() { # N: pending orders with their outbox events, then VACUUM ANALYZE (as after any bulk load)
  psqlq -v n="$1" -f "$BENCH/sql/load-backlog.sql" >>"$LOG"
  psqlq -c "VACUUM ANALYZE orders" -c "VACUUM ANALYZE outbox" -c "VACUUM ANALYZE order_transitions" >>"$LOG"
}
count_status() { psqlq -c "SELECT count(*) FROM orders WHERE status = '$1'"; }
pgss_reset() { psqlq -c "SELECT pg_stat_statements_reset()" >/dev/null; }
pgss_dump() { # top statements by total time since the last reset
  psqlq -P pager=off -F ' | ' -c "
    SELECT calls, round(total_exec_time::numeric, 0) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms,
           rows, regexp_replace(left(query, 140), '\s+', ' ', 'g')
      FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     ORDER BY total_exec_time DESC LIMIT 12" > "$OUT/pgss/$1.txt" 2>&1 || true
}

# ------------------------------------------------------------------------------------------- the service
# start_jvm NAME HTTP_PORT -Dkey=value... : launches the jar in the background, records its pid in JVM_PID
start_jvm() {
  local name=$1 port=$2; shift 2
  local jfr=()
  [[ "$JFR" == 1 ]] && jfr=("-XX:StartFlightRecording=filename=$OUT/jfr/$name.jfr,settings=profile,dumponexit=true")
  mkdir -p "$OUT/jfr"
  # as production runs it (Dockerfile): deploy/jvm.options and an AppCDS archive of this jar, which the
  # first JVM of the run (the schema migration) writes at its exit; BENCH_CDS=0 runs without one
  local cds=() archive="$OUT/cds/$(basename "$JAR" .jar).jsa"
  if [[ "${BENCH_CDS:-1}" == 1 ]]; then
    mkdir -p "$OUT/cds"
    if [[ -f "$archive" && "$archive" -nt "$JAR" ]]; then cds=("-XX:SharedArchiveFile=$archive")
    elif ! pgrep -f -- "-XX:ArchiveClassesAtExit=$archive" >/dev/null; then rm -f "$archive"; cds=("-XX:ArchiveClassesAtExit=$archive"); fi
  fi
  # experiment (JDK 25+, with BENCH_CDS=0): BENCH_AOT=FILE, an AOT cache (JEP 483/514/515) that the intake
  # phase's api JVM writes at its exit after its load (classes and method profiles), used by later launches
  if [[ -n "${BENCH_AOT:-}" ]]; then
    if [[ -f "$BENCH_AOT" ]]; then cds+=("-XX:AOTCache=$BENCH_AOT")
    elif [[ "$name" == intake-api ]]; then cds+=("-XX:AOTCacheOutput=$BENCH_AOT"); fi
  fi
  (cd "$OUT/run" && exec env ORDERS_TRANSITIONS_LOG_LEVEL=WARN java "@$ROOT/deploy/jvm.options" "${cds[@]}" "-Xmx$HEAP" "${jfr[@]}" \
      "-Dorders.db.url=jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DB" -Dorders.db.username=postgres \
      "-Dcamel.server.port=$port" "-Dcamel.management.port=$((port + 100))" "-Dorders.sqs.embedded-port=$SQS_PORT" -Dorders.processing.delay-ms=0 -Dorders.processing.failure-probability=0.0 \
      "${SERVICE_OPTS[@]}" "$@" -jar "$JAR") > "$OUT/logs/$name.log" 2>&1 &
  JVM_PID=$!
  PIDS+=("$JVM_PID")
}

# wait_http PID URL TIMEOUT_S [CODE_RE [CURL_ARGS...]] : until URL answers with a status matching CODE_RE
# (default any 2xx-4xx); echoes ms waited
wait_http() {
  local pid=$1 url=$2 timeout_s=$3 code_re=${4:-'^[234]'} start code
  local curl_args=("${@:5}")
  start=$(now_ms)
  for _ in $(seq 1 $((timeout_s * 20))); do
    kill -0 "$pid" 2>/dev/null || { say "process $pid died, see its log"; return 1; }
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "${curl_args[@]}" "$url" || true)
    [[ "$code" =~ $code_re ]] && { echo $(( $(now_ms) - start )); return 0; }
    sleep 0.05
  done
  say "no answer from $url within ${timeout_s}s"; return 1
}
wait_api() { wait_http "$1" "http://127.0.0.1:$2/orders?limit=1" "${3:-90}"; }
wait_port() { wait_http "$1" "http://127.0.0.1:$2/" "${3:-90}"; }   # any HTTP answer (404 included)

# start_plain NAME HTTP_PORT : launches the plain Camel intake in the background, records its pid in JVM_PID
start_plain() {
  local name=$1 port=$2
  # the same JVM options file as the service (collector, initial heap), so CPU per request compares like
  # with like; no CDS archive (that is the service's start-up aid, measured in the warm-up phase)
  (cd "$OUT/run" && exec java "@$ROOT/deploy/jvm.options" "-Xmx$HEAP" -cp "$JAR:$PLAIN_CLASSES" "-Dplain.port=$port" \
      "-Dplain.db.url=jdbc:postgresql://127.0.0.1:$PG_PORT/$PG_DB" -Dplain.db.username=postgres \
      PlainIntake) > "$OUT/logs/$name.log" 2>&1 &
  JVM_PID=$!
  PIDS+=("$JVM_PID")
}
# wait_plain PID PORT TIMEOUT_S : until POST /orders with an empty object answers 400 (the route is up and
# answers; nothing is stored); echoes ms waited
wait_plain() {
  wait_http "$1" "http://127.0.0.1:$2/orders" "$3" '^400$' -H 'Content-Type: application/json' -d '{}'
}

stop_jvm() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  say "process $pid did not stop in 30 s: killing it"; kill -KILL "$pid" 2>/dev/null || true
}

# memory KEY PID : peak RSS (VmHWM), and heap after a full GC, of a JVM that was just under load
memory() {
  local key=$1 pid=$2 hwm heap gc
  hwm=$(awk '/^VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
  jcmd "$pid" GC.run >/dev/null 2>&1 || true
  heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | awk '/garbage-first heap|def new generation|PSYoungGen|total [0-9]+K, used/ && /used/ {
            for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K,?/, "", v); print int(v/1024); exit } }')
  # G1 columns: S0 S1 E O M CCS YGC YGCT FGC FGCT CGC CGCT GCT
  gc=$(jstat -gcutil "$pid" 2>/dev/null | awk 'NR==2 {printf "%d young, %d full, %.2f s", $7, $9, $NF}')
  result "$key.rss_peak_mb" "${hwm:-n/a}"
  result "$key.heap_after_gc_mb" "${heap:-n/a}"
  result "$key.gc" "${gc:-n/a}"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }   # utime + stime of a pid
machine_busy() { awk '/^cpu / {print $2+$3+$4+$7+$8, $5+$6}' /proc/stat; }        # busy idle (jiffies)

# CPU used by this benchmark: its own process tree (JVMs, load generators) and its PostgreSQL (user postgres)
our_ticks() { python3 "$BENCH/cpu_ticks.py" "$$" "$(id -u postgres 2>/dev/null || echo -1)"; }
# window_start / window_end KEY: how much of the machine other work took while a figure was measured
window_start() { read -r WB0 WI0 < <(machine_busy); WO0=$(our_ticks); }
window_end() {
  local b1 i1 o1
  read -r b1 i1 < <(machine_busy); o1=$(our_ticks)
  result "$1.machine_busy_pct" "$(( 100 * (b1 - WB0) / (b1 - WB0 + i1 - WI0 + 1) ))"
  # busy jiffies are summed over all cores: cores used = jiffies / (elapsed jiffies per core)
  result "$1.foreign_cpu_cores" "$(awk -v b=$((b1 - WB0)) -v o=$((o1 - WO0)) -v e=$((b1 - WB0 + i1 - WI0)) -v n="$(nproc)" \
      'BEGIN {x = (b - o) / (e / n); if (x < 0) x = 0; printf "%.2f", x}')"
}

# Other work on the machine (other builds and test runs) skews every figure. Before each phase, wait
# (bounded) until the machine is quiet: busy below BENCH_QUIET_BUSY_PCT over 3 s; record what it was.
wait_quiet() {
  local b0 i0 b1 i1 busy=100 waited=0
  while (( waited <= QUIET_WAIT_S )); do
    read -r b0 i0 < <(machine_busy); sleep 3; read -r b1 i1 < <(machine_busy)
    busy=$(( 100 * (b1 - b0) / (b1 - b0 + i1 - i0 + 1) ))
    (( busy < QUIET_BUSY_PCT )) && break
    (( waited == 0 )) && say "  machine busy ${busy}% with other work: waiting up to ${QUIET_WAIT_S}s for it to calm down"
    waited=$((waited + 3))
  done
  result "machine.busy_pct_before_$1" "$busy"
}

# =================================================================================================== 1
phase_ceiling() {
  say "== ceiling: pgbench intake (one CTE statement) at $CONNECTIONS clients, ${CEILING_INTAKE_S}s"
  # the pgbench scripts: the service's own statement files (src/main/resources/sql) plus pgbench's parts
  mkdir -p "$OUT/sql"
  local script; for script in intake worker-cycle; do "$BENCH/sql/compose.sh" "$script" > "$OUT/sql/$script.pgbench.sql"; done
  reset_db; pgss_reset
  local logdir="$OUT/pgbench-intake"
  rm -rf "$logdir"; mkdir -p "$logdir"
  window_start
  (cd "$logdir" && pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$CONNECTIONS" -j 2 \
      -T "$CEILING_INTAKE_S" -l --log-prefix=tx \
      -D customer_id=c-1 -D currency=EUR -D total=19.98 -D 'items=[{"sku":"SKU-1","quantity":2,"unitPrice":9.99}]' \
      -D traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 \
      -f "$OUT/sql/intake.pgbench.sql" "$PG_DB") > "$OUT/logs/pgbench-intake.txt" 2>&1
  window_end ceiling.intake
  pgss_dump ceiling-intake
  result ceiling.intake.tps "$(awk '/^tps/ {printf "%.0f", $3}' "$OUT/logs/pgbench-intake.txt")"
  result ceiling.intake.failed "$(awk '/failed transactions/ {print $5}' "$OUT/logs/pgbench-intake.txt")"
  # per-transaction log: the 3rd field is the latency in microseconds
  read -r p50 p99 < <(cat "$logdir"/tx.* | awk '{print $3}' | sort -n | awk '{v[NR]=$1} END {
      a = int(NR*0.50); if (a < 1) a = 1; b = int(NR*0.99); if (b < 1) b = 1
      printf "%.3f %.3f\n", v[a]/1000, v[b]/1000 }')
  result ceiling.intake.p50_ms "$p50"
  result ceiling.intake.p99_ms "$p99"
  rm -rf "$logdir"

  local best=0 c before after rate
  for c in 1 2 3 4; do
    say "== ceiling: pgbench worker cycle (claim $BATCH SKIP LOCKED + complete) at $c clients, ${CYCLE_S}s on a ${CYCLE_BACKLOG}-order backlog"
    reset_db; load_backlog "$CYCLE_BACKLOG"; pgss_reset
    before=$(count_status PROCESSED)
    window_start
    pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$c" -j "$c" -T "$CYCLE_S" \
        -D limit="$BATCH" -f "$OUT/sql/worker-cycle.pgbench.sql" "$PG_DB" \
        > "$OUT/logs/pgbench-cycle-$c.txt" 2>&1
    window_end "ceiling.cycle.c$c"
    after=$(count_status PROCESSED)
    pgss_dump "ceiling-cycle-$c"
    rate=$(( (after - before) / CYCLE_S ))
    result "ceiling.cycle.c$c.events_per_s" "$rate"
    [[ $(count_status PENDING) -gt 0 ]] || say "  WARNING: the backlog ran out: raise BENCH_CYCLE_BACKLOG"
    (( rate > best )) && best=$rate
  done
  result ceiling.cycle.events_per_s "$best"
}

# =================================================================================================== 2
phase_firstanswer() {
  say "== first answer: launch to the first 200 of GET /orders (PostgreSQL running, schema migrated), $FIRST_RUNS launches"
  local t0 ms pid all=()
  for _ in $(seq 1 "$FIRST_RUNS"); do
    start_jvm firstanswer "$API_PORT" -Dorders.role=api -Dorders.transport=outbox
    pid=$JVM_PID; t0=$(now_ms)
    if wait_api "$pid" "$API_PORT" 90 >/dev/null; then ms=$(( $(now_ms) - t0 )); else ms=999999; fi
    all+=("$ms")
    stop_jvm "$pid"
  done
  result service.first_answer_ms "$(printf '%s\n' "${all[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')"
  result service.first_answer_all_ms "$(IFS=' '; echo "${all[*]}")"
}

# steady KEY "PID..." "PORT..." : steady state of one or more intake processes under wrk ($CONNECTIONS
# connections split evenly over the ports): $WARMUP_S s of load, then $INTAKE_S s measured. Records req/s,
# accepted/s, p50/p99 (the worst process), errors, the JVMs' CPU (utime+stime from /proc over the measured
# window, all JVMs summed) per accepted request, and the machine's busy share over the window.
steady() {
  local key=$1 pids=() ports=() n i c0=0 c1=0 pid conns threads loads=()
  read -r -a pids <<< "$2"; read -r -a ports <<< "$3"
  n=${#ports[@]}; conns=$((CONNECTIONS / n)); threads=$(( n > 1 ? 1 : 2 ))
  for i in "${!ports[@]}"; do
    wrk -t"$threads" -c"$conns" -d"${WARMUP_S}s" --timeout 5s -s "$BENCH/post-orders.lua" \
        "http://127.0.0.1:${ports[$i]}/orders" > "$OUT/logs/wrk-$key-warmup-$i.txt" 2>&1 &
    loads+=($!)
  done
  for pid in "${loads[@]}"; do wait "$pid" || true; done
  loads=()
  pgss_reset
  window_start
  for pid in "${pids[@]}"; do c0=$((c0 + $(cpu_ticks "$pid"))); done
  for i in "${!ports[@]}"; do
    wrk -t"$threads" -c"$conns" -d"${INTAKE_S}s" --timeout 5s --latency -s "$BENCH/post-orders.lua" \
        "http://127.0.0.1:${ports[$i]}/orders" > "$OUT/logs/wrk-$key-$i.txt" 2>&1 &
    loads+=($!)
  done
  for pid in "${loads[@]}"; do wait "$pid" || true; done
  for pid in "${pids[@]}"; do c1=$((c1 + $(cpu_ticks "$pid"))); done
  window_end "$key"
  pgss_dump "$key"
  cat "$OUT"/logs/wrk-"$key"-[0-9]*.txt | grep -h '^BENCH' | awk -v hz="$(getconf CLK_TCK)" -v t=$((c1 - c0)) -v s="$INTAKE_S" '
      { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        req += v["requests"]; ok += v["ok"]; rps += v["rps"]; sec = (v["seconds"] > sec ? v["seconds"] : sec)
        non2xx += v["non2xx"]; sock += v["socket_errors"]
        if (v["p50_ms"] > p50) p50 = v["p50_ms"]; if (v["p99_ms"] > p99) p99 = v["p99_ms"] }
      END { printf "rps=%.1f\nok_per_s=%.1f\nrequests=%d\nok=%d\np50_ms=%.3f\np99_ms=%.3f\nnon2xx=%d\nsocket_errors=%d\n", \
                   rps, ok / (sec > 0 ? sec : 1), req, ok, p50, p99, non2xx, sock
            printf "jvm_cpu_cores=%.2f\njvm_cpu_us_per_request=%.0f\n", t / hz / s, (ok > 0 ? 1e6 * t / hz / ok : 0) }' \
    | while IFS='=' read -r k v; do result "$key.$k" "$v"; done
}

phase_intake() {
  say "== intake, steady state: POST /orders, $CONNECTIONS connections, ${WARMUP_S}s of load then ${INTAKE_S}s measured"
  local pid
  say "   the plain Camel intake (bench/plain-intake, -Xmx$HEAP)"
  reset_db
  start_plain intake-plain "$API_PORT"; pid=$JVM_PID
  wait_plain "$pid" "$API_PORT" 90 >/dev/null
  steady plain.intake "$pid" "$API_PORT"
  memory mem.intake.plain "$pid"
  stop_jvm "$pid"

  say "   the service (role api, transport outbox)"
  reset_db
  start_jvm intake-api "$API_PORT" -Dorders.role=api -Dorders.transport=outbox; pid=$JVM_PID
  wait_api "$pid" "$API_PORT" 90 >/dev/null
  steady service.intake "$pid" "$API_PORT"
  memory mem.intake.api "$pid"
  stop_jvm "$pid"
}

# per_second KEY SECONDS : orders accepted in each second from the first one (created_at is the intake
# transaction's start), exact from the database, as one space-separated list
per_second() {
  result "$1.per_second" "$(psqlq -c "
      WITH t AS (SELECT min(created_at) AS t0 FROM orders)
      SELECT coalesce(string_agg(coalesce(n, 0)::text, ' ' ORDER BY s), '')
        FROM generate_series(0, $2 - 1) AS s
        LEFT JOIN (SELECT floor(extract(epoch FROM o.created_at - t.t0))::int AS sec, count(*) AS n
                     FROM orders o, t GROUP BY 1) c ON c.sec = s")"
}

phase_warmup() {
  say "== warm-up: a fresh JVM, wrk ($CONNECTIONS connections) from its first answer for ${CURVE_S}s; orders per second"
  local pid ms t0
  reset_db
  start_jvm warmup-api "$API_PORT" -Dorders.role=api -Dorders.transport=outbox; pid=$JVM_PID; t0=$(now_ms)
  if wait_api "$pid" "$API_PORT" 90 >/dev/null; then ms=$(( $(now_ms) - t0 )); else ms=n/a; fi
  result warmup.service.first_answer_ms "$ms"
  wrk -t2 -c"$CONNECTIONS" -d"${CURVE_S}s" --timeout 5s -s "$BENCH/post-orders.lua" \
      "http://127.0.0.1:$API_PORT/orders" > "$OUT/logs/wrk-warmup-service.txt" 2>&1 || true
  per_second warmup.service "$CURVE_S"
  stop_jvm "$pid"

  reset_db
  start_plain warmup-plain "$API_PORT"; pid=$JVM_PID; t0=$(now_ms)
  if wait_plain "$pid" "$API_PORT" 90 >/dev/null; then ms=$(( $(now_ms) - t0 )); else ms=n/a; fi
  result warmup.plain.first_answer_ms "$ms"
  wrk -t2 -c"$CONNECTIONS" -d"${CURVE_S}s" --timeout 5s -s "$BENCH/post-orders.lua" \
      "http://127.0.0.1:$API_PORT/orders" > "$OUT/logs/wrk-warmup-plain.txt" 2>&1 || true
  per_second warmup.plain "$CURVE_S"
  stop_jvm "$pid"
}

# drain_wait N TIMEOUT_S : until N orders exist and none is PENDING or PROCESSING (bounded); echoes ms.
# The check is an index probe (orders_status_created_idx), not a count: polling must not load the database.
drain_wait() {
  local n=$1 timeout_s=$2 t0 busy
  t0=$(now_ms)
  for _ in $(seq 1 $((timeout_s * 5))); do
    busy=$(psqlq -c "SELECT EXISTS (SELECT 1 FROM orders WHERE status = 'PENDING')
                         OR EXISTS (SELECT 1 FROM orders WHERE status = 'PROCESSING')")
    if [[ $busy == f ]]; then
      local ms=$(( $(now_ms) - t0 ))
      (( $(count_status PROCESSED) >= n )) && { echo "$ms"; return 0; }
    fi
    sleep 0.2
  done
  say "  only $(count_status PROCESSED) of $n PROCESSED after ${timeout_s}s"; echo n/a; return 1
}

# events/s from the orders' own timestamps: first to last completion
db_rate() {
  psqlq -c "SELECT round(count(*) / greatest(extract(epoch FROM max(updated_at) - min(updated_at)), 0.001))
              FROM orders WHERE status = 'PROCESSED'"
}

# worker_port I : HTTP port of the I-th worker process (0: BENCH_WORKER_PORT, then the extra ports)
worker_port() { if (( $1 == 0 )); then echo "$WORKER_PORT"; else echo $((EXTRA_PORT + $1)); fi; }

# idle KEY PID : CPU of a process with nothing to do over 20 s, after 5 s for the JIT and the jcmd-triggered
# GC of memory() to settle
idle() {
  local i0 i1
  sleep 5
  i0=$(cpu_ticks "$2"); sleep 20; i1=$(cpu_ticks "$2")
  result "$1" "$(awk -v t=$((i1 - i0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", 100*t/hz/20}')"
}

# drain_outbox K KEY N : N pending orders, then K outbox worker processes launched together; their pids in
# WORKER_PIDS (still running: the caller stops them)
drain_outbox() {
  local k=$1 key=$2 n=$3 i wall
  say "== drain (outbox): $n pending orders, then $k worker process(es)"
  reset_db; load_backlog "$n"; pgss_reset
  WORKER_PIDS=()
  window_start
  for ((i = 0; i < k; i++)); do
    start_jvm "$key-worker$i" "$(worker_port "$i")" -Dorders.role=worker -Dorders.transport=outbox
    WORKER_PIDS+=("$JVM_PID")
  done
  wall=$(drain_wait "$n" "$DRAIN_TIMEOUT_S" || true)
  window_end "$key"
  pgss_dump "$key"
  result "$key.events_per_s" "$(db_rate)"
  result "$key.wall_ms_from_launch" "$wall"
}

# drain_sqs K KEY N : the api (role api: relay and embedded SQS) running, N pending orders loaded and relayed
# to SQS, then K sqs worker processes launched together; pids in SQS_API_PID and WORKER_PIDS (still running)
drain_sqs() {
  local k=$1 key=$2 n=$3 i wall relayed
  say "== drain (sqs): $n pending orders relayed to the embedded SQS, then $k worker process(es)"
  reset_db
  start_jvm "$key-api" "$API_PORT" -Dorders.role=api -Dorders.transport=sqs
  SQS_API_PID=$JVM_PID
  wait_api "$SQS_API_PID" "$API_PORT" 120 >/dev/null
  load_backlog "$n"
  for _ in $(seq 1 $((DRAIN_TIMEOUT_S * 4))); do
    relayed=$(psqlq -c "SELECT NOT EXISTS (SELECT 1 FROM outbox WHERE status = 'PENDING')
                           AND NOT EXISTS (SELECT 1 FROM outbox WHERE status = 'LOCKED')")
    [[ $relayed == t ]] && break
    sleep 0.25
  done
  result "$key.relay_events_per_s" "$(psqlq -c "SELECT round(count(*) / greatest(extract(epoch FROM max(done_at) - min(done_at)), 0.001)) FROM outbox WHERE status = 'DONE'")"
  pgss_reset
  WORKER_PIDS=()
  window_start
  for ((i = 0; i < k; i++)); do
    start_jvm "$key-worker$i" "$(worker_port "$i")" -Dorders.role=worker -Dorders.transport=sqs \
        "-Dorders.sqs.endpoint=http://127.0.0.1:$SQS_PORT"
    WORKER_PIDS+=("$JVM_PID")
  done
  wall=$(drain_wait "$n" "$DRAIN_TIMEOUT_S" || true)
  window_end "$key"
  pgss_dump "$key"
  result "$key.events_per_s" "$(db_rate)"
  result "$key.wall_ms_from_launch" "$wall"
}

stop_all() { local pid; for pid in "$@"; do stop_jvm "$pid"; done; }

phase_drain() {
  if [[ " ${BENCH_DRAIN_TRANSPORTS:-outbox sqs} " == *" outbox "* ]]; then
  drain_outbox 1 service.drain.outbox "$DRAIN_N"
  memory mem.drain.outbox.worker "${WORKER_PIDS[0]}"
  say "  idle outbox worker: CPU over 20 s with nothing to do"
  idle service.worker.outbox.idle_cpu_pct "${WORKER_PIDS[0]}"
  stop_all "${WORKER_PIDS[@]}"
  fi
  [[ " ${BENCH_DRAIN_TRANSPORTS:-outbox sqs} " == *" sqs "* ]] || return 0

  drain_sqs 1 service.drain.sqs "$DRAIN_N"
  memory mem.drain.sqs.api "$SQS_API_PID"
  memory mem.drain.sqs.worker "${WORKER_PIDS[0]}"
  say "  idle sqs worker (the api and its embedded SQS running, the queue empty): CPU over 20 s"
  idle service.worker.sqs.idle_cpu_pct "${WORKER_PIDS[0]}"
  stop_all "${WORKER_PIDS[@]}"; stop_jvm "$SQS_API_PID"
}

# reuse FROM TO : the figures of one measurement under another name (a scaling row measured by an
# earlier phase of this run under the same conditions)
reuse() { grep "^$1\." "$RESULTS" | sed "s/^$1\./$2./" | while IFS='=' read -r k v; do result "$k" "$v"; done; }
measured() { grep -q "^$1=" "$RESULTS"; }

# claim_stats KEY : the outbox claim (the SKIP LOCKED statement) since the last pgss_reset: calls, mean ms
# per call, and ms per 100 rows claimed (idle polls that claim nothing do not dilute it)
claim_stats() {
  local line
  line=$(psqlq -F ' ' -c "
      SELECT sum(calls), round((sum(total_exec_time) / greatest(sum(calls), 1))::numeric, 3),
             round((100 * sum(total_exec_time) / greatest(sum(rows), 1))::numeric, 3)
        FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND query ILIKE '%SKIP LOCKED%' AND query ILIKE '%UPDATE outbox%'")
  read -r calls mean per100 <<< "$line"
  result "$1.claim_calls" "${calls:-0}"
  result "$1.claim_mean_ms" "${mean:-n/a}"
  result "$1.claim_ms_per_100_rows" "${per100:-n/a}"
}

phase_scaling() {
  local k n pid pids ports since t0 p0 t1 p1
  # outbox drain with K worker processes (K=1 is the drain phase's run when it ran: the same measurement)
  for k in $SCALE_OUTBOX; do
    if (( k == 1 )) && measured service.drain.outbox.events_per_s; then
      reuse service.drain.outbox scaling.outbox.w1; continue
    fi
    drain_outbox "$k" "scaling.outbox.w$k" "$DRAIN_N"
    stop_all "${WORKER_PIDS[@]}"
  done
  for k in $SCALE_SQS; do
    if (( k == 1 )) && measured service.drain.sqs.events_per_s && (( SCALE_SQS_N == DRAIN_N )); then
      reuse service.drain.sqs scaling.sqs.w1; continue
    fi
    drain_sqs "$k" "scaling.sqs.w$k" "$SCALE_SQS_N"
    stop_all "${WORKER_PIDS[@]}"; stop_jvm "$SQS_API_PID"
  done

  # backlog: one warm outbox worker; SMALL_BACKLOG orders drained whole, then BIG_BACKLOG orders of which
  # BACKLOG_WINDOW_S seconds of draining are measured. Each loaded by the set-based SQL of the drain phase.
  say "== scaling: claim time and drain rate with a backlog of $SMALL_BACKLOG and of $BIG_BACKLOG orders (one outbox worker)"
  reset_db
  start_jvm scaling-backlog-worker "$WORKER_PORT" -Dorders.role=worker -Dorders.transport=outbox; pid=$JVM_PID
  wait_port "$pid" "$WORKER_PORT" 120 >/dev/null || true
  load_backlog "$SMALL_BACKLOG"                       # warms the worker up
  drain_wait "$SMALL_BACKLOG" "$DRAIN_TIMEOUT_S" >/dev/null || true
  since=$(psqlq -c "SELECT clock_timestamp()")
  pgss_reset
  window_start
  load_backlog "$SMALL_BACKLOG"
  drain_wait $((2 * SMALL_BACKLOG)) "$DRAIN_TIMEOUT_S" >/dev/null || true
  window_end scaling.backlog.small
  claim_stats scaling.backlog.small
  result scaling.backlog.small.orders "$SMALL_BACKLOG"
  result scaling.backlog.small.events_per_s "$(psqlq -c "SELECT round(count(*) / greatest(extract(epoch FROM max(updated_at) - min(updated_at)), 0.001))
                                                           FROM orders WHERE status = 'PROCESSED' AND created_at >= '$since'")"
  say "   loading $BIG_BACKLOG orders (set-based, then VACUUM ANALYZE)"
  t0=$(now_ms)
  load_backlog "$BIG_BACKLOG"
  result scaling.backlog.big.load_ms $(( $(now_ms) - t0 ))
  pgss_reset
  window_start
  read -r t0 p0 < <(psqlq -F ' ' -c "SELECT extract(epoch FROM clock_timestamp()), count(*) FROM orders WHERE status = 'PROCESSED'")
  sleep "$BACKLOG_WINDOW_S"
  read -r t1 p1 < <(psqlq -F ' ' -c "SELECT extract(epoch FROM clock_timestamp()), count(*) FROM orders WHERE status = 'PROCESSED'")
  window_end scaling.backlog.big
  claim_stats scaling.backlog.big
  pgss_dump scaling-backlog-big
  result scaling.backlog.big.orders "$BIG_BACKLOG"
  result scaling.backlog.big.events_per_s "$(awk -v a="$p0" -v b="$p1" -v s="$t0" -v e="$t1" 'BEGIN {printf "%.0f", (b - a) / (e - s)}')"
  [[ $(count_status PENDING) -gt 0 ]] || say "  WARNING: the big backlog ran out within the window"
  stop_jvm "$pid"

  # intake with N api processes, the load split between them (N=1 is the intake phase's run when it ran)
  for n in $SCALE_APIS; do
    if (( n == 1 )) && measured service.intake.rps; then reuse service.intake scaling.intake.a1; continue; fi
    say "== scaling: intake with $n api process(es), $CONNECTIONS connections split between them"
    reset_db
    pids=""; ports=""
    for ((k = 0; k < n; k++)); do
      local port=$API_PORT; (( k > 0 )) && port=$((EXTRA_PORT + k - 1))
      start_jvm "scaling-intake-a$n-$k" "$port" -Dorders.role=api -Dorders.transport=outbox
      pids+="$JVM_PID "; ports+="$port "
    done
    for ((k = 0; k < n; k++)); do
      read -r -a pa <<< "$pids"; read -r -a po <<< "$ports"
      wait_api "${pa[$k]}" "${po[$k]}" 120 >/dev/null
    done
    steady "scaling.intake.a$n" "$pids" "$ports"
    read -r -a pa <<< "$pids"; stop_all "${pa[@]}"
  done
}

# paced KEY SECONDS : constant-rate POST /orders
paced() {
  python3 "$BENCH/paced_load.py" --url "http://127.0.0.1:$API_PORT/orders" --rate "$RATE" --duration "$2" \
      --connections 16 > "$OUT/logs/paced-$1.txt" 2>&1 || true
}

# BENCH_HOPS=1 (bench-only probe, sqs end to end): a trigger keeps each order's START time (the lease's
# locked_at, which COMPLETE clears) and COMPLETE time, so the report splits the end-to-end time into its hops:
# intake -> relay claim (outbox.locked_at) -> relay marked sent (done_at, after SQS accepted) -> START -> COMPLETE.
# now() is each transaction's start. The trigger costs a row per order: not for the measured figures.
hops_install() {
  psqlq -c "DROP TABLE IF EXISTS bench_hops" -c "CREATE TABLE bench_hops (order_id uuid PRIMARY KEY, started_at timestamptz, completed_at timestamptz)" \
        -c "CREATE OR REPLACE FUNCTION bench_hop() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN
              INSERT INTO bench_hops VALUES (OLD.id, OLD.locked_at, NEW.updated_at) ON CONFLICT DO NOTHING; RETURN NULL; END \$\$" \
        -c "CREATE TRIGGER bench_hop AFTER UPDATE ON orders FOR EACH ROW
              WHEN (OLD.status = 'PROCESSING' AND NEW.status = 'PROCESSED') EXECUTE FUNCTION bench_hop()" >>"$LOG"
}
hops_report() { # KEY SINCE
  local hop ids
  # the plans of the batch START (sql/start-orders.sql) on the tables as the run left them: custom and generic
  ids=$(psqlq -c "SELECT '{' || string_agg(id::text, ',') || '}' FROM (SELECT id FROM orders ORDER BY created_at DESC LIMIT 3) x")
  sed -e 's/:order_ids/$1/; s/:worker_id/$2/; s/:lease_timeout_s/$3/; s/:max_attempts/$4/; s/;$//' \
      "$ROOT/src/main/resources/sql/start-orders.sql" | grep -v '^--' > "$OUT/start-orders.prepare.sql"
  { echo "SELECT relname, n_live_tup, last_autoanalyze, last_autovacuum FROM pg_stat_user_tables WHERE relname IN ('orders', 'outbox');"
    for mode in force_custom_plan force_generic_plan; do
      echo "BEGIN; SET LOCAL plan_cache_mode = $mode; PREPARE s$mode(uuid[], text, int, int) AS"
      cat "$OUT/start-orders.prepare.sql"; echo ";"
      echo "EXPLAIN (ANALYZE, BUFFERS) EXECUTE s$mode('$ids', 'bench', 30, 5); ROLLBACK;"
    done; } | psql -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$PG_DB" > "$OUT/start-orders.explain.txt" 2>&1 || true
  for hop in "claim:e.locked_at - o.created_at" "send:e.done_at - e.locked_at" "start:h.started_at - e.done_at" \
             "complete:h.completed_at - h.started_at" "total:h.completed_at - o.created_at"; do
    result "$1.hop.${hop%%:*}.p50_p99_ms" "$(psqlq -F ' / ' -c "
        SELECT round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::numeric, 1),
               round((percentile_cont(0.99) WITHIN GROUP (ORDER BY ms))::numeric, 1)
          FROM (SELECT extract(epoch FROM ${hop#*:}) * 1000 AS ms
                  FROM orders o JOIN outbox e ON e.order_id = o.id JOIN bench_hops h ON h.order_id = o.id
                 WHERE o.created_at >= '$2') s")"
  done
}

phase_e2e() {
  local t api worker="" since line n
  for t in $E2E_TRANSPORTS; do
    say "== end-to-end ($t): $RATE orders/s for ${E2E_S}s after a 5 s warm-up"
    reset_db
    [[ $t == sqs && "${BENCH_HOPS:-0}" == 1 ]] && hops_install
    if [[ $t == inprocess ]]; then
      start_jvm "e2e-$t" "$API_PORT" -Dorders.role=all -Dorders.transport=inprocess; api=$JVM_PID; worker=""
    else
      start_jvm "e2e-$t-api" "$API_PORT" -Dorders.role=api "-Dorders.transport=$t"; api=$JVM_PID
      local extra=()
      [[ $t == sqs ]] && extra=("-Dorders.sqs.endpoint=http://127.0.0.1:$SQS_PORT")
      wait_api "$api" "$API_PORT" 120 >/dev/null   # the sqs worker needs the api's embedded SQS
      start_jvm "e2e-$t-worker" "$WORKER_PORT" -Dorders.role=worker "-Dorders.transport=$t" "${extra[@]}"
      worker=$JVM_PID
      wait_port "$worker" "$WORKER_PORT" 120 >/dev/null || true
    fi
    wait_api "$api" "$API_PORT" 120 >/dev/null
    paced "$t-warmup" 5
    drain_wait "$(psqlq -c 'SELECT count(*) FROM orders')" 60 >/dev/null || true
    since=$(psqlq -c "SELECT clock_timestamp()")
    pgss_reset
    window_start
    paced "$t" "$E2E_S"
    n=$(psqlq -c "SELECT count(*) FROM orders WHERE created_at >= '$since'")
    drain_wait "$(psqlq -c 'SELECT count(*) FROM orders')" 120 >/dev/null || true
    window_end "service.e2e.$t"
    pgss_dump "e2e-$t"
    line=$(grep '^BENCH' "$OUT/logs/paced-$t.txt" || echo "BENCH")
    result "service.e2e.$t.achieved_rps" "$(sed -nE 's/.* achieved_rps=([^ ]+).*/\1/p' <<<"$line")"
    result "service.e2e.$t.http_errors" "$(sed -nE 's/.* non2xx=([^ ]+) errors=([^ ]+).*/\1+\2/p' <<<"$line")"
    result "service.e2e.$t.orders" "$n"
    read -r p50 p99 unfinished < <(psqlq -F ' ' -c "
        SELECT round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::numeric, 1),
               round((percentile_cont(0.99) WITHIN GROUP (ORDER BY ms))::numeric, 1),
               (SELECT count(*) FROM orders WHERE created_at >= '$since' AND status <> 'PROCESSED')
          FROM (SELECT extract(epoch FROM updated_at - created_at) * 1000 AS ms
                  FROM orders WHERE created_at >= '$since' AND status = 'PROCESSED') s")
    result "service.e2e.$t.p50_ms" "$p50"
    result "service.e2e.$t.p99_ms" "$p99"
    result "service.e2e.$t.unfinished" "$unfinished"
    [[ $t == sqs && "${BENCH_HOPS:-0}" == 1 ]] && hops_report "service.e2e.$t" "$since"
    if [[ $t == inprocess ]]; then memory "mem.e2e.$t.all" "$api"; fi
    [[ -n "$worker" ]] && stop_jvm "$worker"
    stop_jvm "$api"
  done
}

# =============================================================================================== main
check_ports
install_tools
build
[[ -f "$JAR" ]] || { echo "no $JAR" >&2; exit 1; }
build_plain
result machine.nproc "$(nproc)"
result machine.memory_gib "$(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo)"
result machine.cpu "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
result machine.jdk "$(java -version 2>&1 | head -1)"
result bench.connections "$CONNECTIONS"
result bench.warmup_s "$WARMUP_S"
result bench.intake_s "$INTAKE_S"
result bench.drain_orders "$DRAIN_N"
result bench.rate "$RATE"
start_postgres

say "== schema: one start of the service against the empty database (Flyway migrates it)"
start_jvm migrate "$API_PORT" -Dorders.role=api -Dorders.transport=outbox
wait_api "$JVM_PID" "$API_PORT" 120 >/dev/null
stop_jvm "$JVM_PID"

for p in ceiling firstanswer intake warmup drain e2e scaling; do
  if has_phase "$p"; then
    wait_quiet "$p"
    "phase_$p"
  fi
done

python3 "$BENCH/report.py" "$RESULTS" > "$OUT/report.md"
cat "$OUT/report.md"
say "report: $OUT/report.md (raw figures: $RESULTS, logs: $OUT/logs, top statements per phase: $OUT/pgss)"
