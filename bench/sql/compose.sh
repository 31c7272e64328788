#!/usr/bin/env bash
# Prints a pgbench script of bench/run.sh's ceiling, composed from the service's own statement files
# (src/main/resources/sql, the files the service runs): they are copied verbatim, and only pgbench's own
# parts are added here, so the ceiling measures exactly the SQL the service runs (BenchSqlTest checks it).
#
#   bench/sql/compose.sh intake         insert-order-with-event.sql; pgbench makes no UUIDs, so :id and
#                                       :correlation_id become gen_random_uuid() (random v4 UUIDs, as
#                                       UUID.randomUUID() in the service); run.sh sets the rest with -D
#   bench/sql/compose.sh worker-cycle   claim-outbox.sql, claimed-work.sql (hands the claim's rows to the
#                                       completion with \gset), complete-orders.sql; each client is one worker
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SQL="$HERE/../../src/main/resources/sql"

case "${1:-}" in
  intake)
    sed -e 's/:id\b/gen_random_uuid()/g' -e 's/:correlation_id\b/gen_random_uuid()::text/g' \
        "$SQL/insert-order-with-event.sql" ;;
  worker-cycle)
    echo '\set worker_id :client_id'
    cat "$SQL/claim-outbox.sql" "$HERE/claimed-work.sql" "$SQL/complete-orders.sql" ;;
  *)
    echo "usage: $0 intake|worker-cycle" >&2; exit 2 ;;
esac
