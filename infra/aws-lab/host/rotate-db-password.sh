#!/bin/bash
# Applies a new database password after it was changed in SSM (terraform apply -replace=random_password.db,
# or aws ssm put-parameter --overwrite). Run as root on the instance:
#   sudo /opt/order-platform/rotate-db-password.sh
# POSTGRES_PASSWORD only matters when the data volume is empty, so the running database is changed with
# ALTER ROLE (over the container's local socket, which needs no password), then the service restarts with
# the new value. Connections opened before the change keep working until the restart.
set -euo pipefail
cd /opt/order-platform

set -a
# shellcheck source=/dev/null
. ./lab.env
set +a

new_password=$(aws ssm get-parameter --region "$AWS_REGION" --name "$DB_PASSWORD_PARAMETER" \
  --with-decryption --query Parameter.Value --output text)
case "$new_password" in
  *[!A-Za-z0-9]* | '') echo "the password must be letters and digits only (it is quoted into SQL and .env)" >&2; exit 1 ;;
esac

printf "ALTER ROLE orders PASSWORD '%s';\n" "$new_password" |
  docker compose exec -T postgres psql --quiet -v ON_ERROR_STOP=1 -U orders -d orders
echo "password of role orders changed; restarting the service with it"
systemctl restart order-platform
