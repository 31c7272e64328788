#!/usr/bin/env bash
# Smoke test of the packaged jar, as the README runs it: java @deploy/jvm.options -jar on embedded defaults
# in an empty directory, one order to PROCESSED, health and OpenAPI answer, SIGTERM stops it. The tests boot the app
# from target/classes; this catches what only the shaded jar can break (a dependency lost to a scope).
# Then the slim jar (the production image's, no embedded servers) against the first one's PostgreSQL: an
# order to PROCESSED; and asked for an embedded server, it must refuse to start with a clear message.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/target/order-platform.jar"
# the one file of JVM options of the README's run, the image and the benchmark (the heap is the launcher's)
options="@$root/deploy/jvm.options"
slim="${jar%.jar}-slim.jar"
work=$(mktemp -d)
port=18080
management=18180
log="$work/app.log"
cd "$work"
java "$options" -Xmx256m -Dcamel.server.port=$port -Dcamel.management.port=$management -Dorders.db.embedded.port=54399 -Dorders.admin.token=smoke \
  -jar "$jar" > "$log" 2>&1 &
pid=$!
slim_pid=
cleanup() {
  for p in $slim_pid $pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "smoke: $1"; tail -n 40 "$log"; exit 1; }

ready() { # port pid
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:$1/observe/health/ready" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || fail "the jar exited during start-up"
    sleep 1
  done
  fail "not ready after 120 s"
}
processed() { # port: one order to PROCESSED
  local created id order
  created=$(curl -fsS -X POST "http://127.0.0.1:$1/orders" -H 'Content-Type: application/json' \
    -d '{"customerId":"c-42","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":19.99}]}') \
    || fail "POST /orders failed"
  id=$(sed -nE 's/.*"orderId":"([^"]+)".*/\1/p' <<< "$created")
  [ -n "$id" ] || fail "POST /orders gave no order id"
  for _ in $(seq 1 60); do
    order=$(curl -fsS "http://127.0.0.1:$1/orders/$id" || true)
    [[ "$order" == *'"status":"PROCESSED"'* ]] && return 0
    sleep 1
  done
  fail "order $id not PROCESSED"
}

ready $port $pid
processed $port
# bodies are read whole before matching: grep -q on a pipe could end curl with SIGPIPE under pipefail
openapi=$(curl -fsS "http://127.0.0.1:$port/openapi.json") || fail "GET /openapi.json failed"
[[ "$openapi" == *'"/orders"'* ]] || fail "no OpenAPI document"
curl -fsS -H 'Authorization: Bearer smoke' "http://127.0.0.1:$port/dlq" > /dev/null || fail "GET /dlq failed"
metrics=$(curl -fsS "http://127.0.0.1:$management/observe/metrics") || fail "GET /observe/metrics failed"
[[ "$metrics" == *$'\norders_processed_total'* ]] || fail "no metrics"
public=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/observe/metrics")
[ "$public" = 404 ] || fail "GET /observe/metrics on the API port answered $public, not 404"

# the slim jar, on the database of the one above
log="$work/slim.log"
ORDERS_EMBEDDED_ENABLED=false ORDERS_DB_URL=jdbc:postgresql://127.0.0.1:54399/postgres \
  java "$options" -Xmx256m -Dcamel.server.port=18081 -Dorders.admin.token=smoke -jar "$slim" > "$log" 2>&1 &
slim_pid=$!
ready 18081 $slim_pid
processed 18081
kill -TERM "$slim_pid"; wait "$slim_pid" 2>/dev/null || true; slim_pid=
# asked for the embedded PostgreSQL (the default), it stops with what to configure
log="$work/slim-embedded.log"
if java "$options" -Xmx256m -Dcamel.server.port=18082 -jar "$slim" > "$log" 2>&1; then fail "the slim jar started an embedded server"; fi
grep -q "this jar has no embedded servers" "$log" || fail "no clear message from the slim jar with embedded servers on"
grep -q "NoClassDefFoundError" "$log" && fail "NoClassDefFoundError from the slim jar"
log="$work/app.log"

kill -TERM "$pid"
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$pid" 2>/dev/null; then fail "still running 60 s after SIGTERM"; fi
# silent on success, so that the test runner's summary stays the last thing CI prints
exit 0
