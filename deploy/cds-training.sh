#!/bin/sh
# Builds the class data sharing (AppCDS) archive of the image: one training run of the jar against a
# throw-away PostgreSQL, in the same JRE image and at the same path as the run, then the classes that
# run loaded are dumped at exit into the archive. Used by the Dockerfile's "cds" stage; see
# docs/performance.md ("Start-up, warm-up and memory") for what it saves.
#   deploy/cds-training.sh JAR ARCHIVE JVM_OPTIONS_FILE
set -eu
jar=$1; archive=$2; options=$3
port=${CDS_PORT:-18080}; pgport=${CDS_PG_PORT:-5439}
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pgdata=$(mktemp -d)
chown postgres "$pgdata"
runuser -u postgres -- "$pgbin/initdb" -D "$pgdata" -U postgres --auth=trust >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -o "-p $pgport -k /tmp -c listen_addresses=127.0.0.1" -w start >/dev/null
# the run the archive is for: role all (api and worker paths), outbox; one order through to PROCESSED
java "@$options" -Xmx256m -XX:ArchiveClassesAtExit="$archive" \
  -Dorders.db.url=jdbc:postgresql://127.0.0.1:$pgport/postgres -Dorders.db.username=postgres \
  -Dorders.embedded.enabled=false -Dorders.role=all -Dorders.admin.token=cds-training \
  -Dcamel.server.port=$port -Dcamel.management.port=$((port + 100)) -jar "$jar" > /tmp/cds-training.log 2>&1 &
pid=$!
ok=
for _ in $(seq 1 600); do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/orders?limit=1"; then ok=1; break; fi
  sleep 0.2
done
[ -n "$ok" ] || { cat /tmp/cds-training.log; exit 1; }
id=$(curl -fsS -X POST http://127.0.0.1:$port/orders -H 'Content-Type: application/json' \
  -d '{"customerId":"cds","currency":"EUR","items":[{"sku":"SKU-1","quantity":1,"unitPrice":1.00}]}' \
  | sed -E 's/.*"orderId":"([^"]+)".*/\1/')
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/orders/$id" | grep -q PROCESSED && break
  sleep 0.2
done
curl -fsS -o /dev/null http://127.0.0.1:$((port + 100))/observe/metrics
kill -TERM "$pid"; wait "$pid" || true
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
rm -rf "$pgdata" /tmp/cds-training.log
test -s "$archive"
