#!/bin/bash
# ExecStartPre of order-platform.service, run as root before every `docker compose up`:
#  1. reads the database password and the operator token from SSM Parameter Store with the instance role
#     and writes them, with the settings of lab.env, into the compose project's .env (mode 0600): a rotated
#     secret reaches the containers at the next `systemctl restart order-platform`;
#  2. makes the image available: logs in to ECR and pulls, or builds it from git (first start only), or
#     leaves the pull of a public image to compose.
set -euo pipefail
cd /opt/order-platform

set -a
# shellcheck source=/dev/null
. ./lab.env
set +a

parameter() {
  aws ssm get-parameter --region "$AWS_REGION" --name "$1" --with-decryption \
    --query Parameter.Value --output text
}

# Retried: at boot the instance role's credentials or the network may lag a few seconds behind systemd.
for attempt in 1 2 3 4 5 6; do
  if db_password=$(parameter "$DB_PASSWORD_PARAMETER") && admin_token=$(parameter "$ADMIN_TOKEN_PARAMETER"); then
    break
  fi
  [ "$attempt" -eq 6 ] && { echo "cannot read the secrets from SSM" >&2; exit 1; }
  sleep $((attempt * 5))
done

umask 077
{
  cat lab.env
  printf "ORDERS_DB_PASSWORD='%s'\nORDERS_ADMIN_TOKEN='%s'\n" "$db_password" "$admin_token"
} > .env.new
mv .env.new .env

if [ -n "$ECR_REGISTRY" ]; then
  # The token is valid 12 hours: log in at every start, and pull so that a moved tag is picked up.
  aws ecr get-login-password --region "$ECR_REGION" |
    docker login --username AWS --password-stdin "$ECR_REGISTRY"
  docker pull "$ORDERS_IMAGE"
elif [ -n "$BUILD_REPOSITORY_URL" ] && ! docker image inspect "$ORDERS_IMAGE" > /dev/null 2>&1; then
  # fetch by ref works for branches, tags and full commit ids alike; --depth 1 keeps the clone small.
  rm -rf src
  git init -q src
  git -C src remote add origin "$BUILD_REPOSITORY_URL"
  git -C src fetch -q --depth 1 origin "$BUILD_REF"
  git -C src checkout -q FETCH_HEAD
  echo "building $ORDERS_IMAGE from $BUILD_REPOSITORY_URL at $BUILD_REF ($(git -C src rev-parse HEAD))"
  docker build --tag "$ORDERS_IMAGE" src
  # Drops the untagged layers of the build stage; the Maven base image stays (about 1 GB).
  docker image prune --force > /dev/null
fi
