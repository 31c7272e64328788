#!/usr/bin/env bash
# LocalStack ready hook for the Order Platform's sqs transport: creates the work queue and its
# redrive DLQ exactly as src/main/java/org/orderplatform/infra/SqsQueues.java would (DLQ named
# <queue>-dlq with default attributes; the queue with VisibilityTimeout and a RedrivePolicy that
# points at the DLQ). Mount it into /etc/localstack/init/ready.d/ (it must be executable).
#
# Environment (defaults match application.properties):
#   QUEUE_NAME          orders-events   must equal orders.sqs.queue-name
#   VISIBILITY_TIMEOUT  30              orders.sqs.visibility-timeout-seconds
#   MAX_RECEIVE_COUNT   10              orders.sqs.max-receive-count; must exceed orders.retry.max-attempts
#
# Safe to run again: existing queues are kept and their attributes set to the values above, so a
# persisted LocalStack converges on the configuration instead of failing on "queue already exists".
set -euo pipefail

QUEUE_NAME="${QUEUE_NAME:-orders-events}"
VISIBILITY_TIMEOUT="${VISIBILITY_TIMEOUT:-30}"
MAX_RECEIVE_COUNT="${MAX_RECEIVE_COUNT:-10}"
DLQ_NAME="${QUEUE_NAME}-dlq"

# Messages go to stderr: stdout of queue_url carries the URL.
log() {
    echo "init-aws.sh: $*" >&2
}

# Refuse bad input here: a typo would otherwise surface later as a queue that redrives too early.
require_integer() {
    local name="$1" value="$2" min="$3" max="$4"
    if ! [[ "$value" =~ ^[0-9]+$ ]] || (( value < min || value > max )); then
        echo "init-aws.sh: $name must be an integer from $min to $max, was '$value'" >&2
        exit 1
    fi
}
require_integer VISIBILITY_TIMEOUT "$VISIBILITY_TIMEOUT" 0 43200
require_integer MAX_RECEIVE_COUNT "$MAX_RECEIVE_COUNT" 1 1000
if ! [[ "$QUEUE_NAME" =~ ^[A-Za-z0-9_-]{1,76}$ ]]; then
    # 80 characters is the SQS limit, and the DLQ name adds "-dlq"
    echo "init-aws.sh: QUEUE_NAME must be 1-76 characters of [A-Za-z0-9_-], was '$QUEUE_NAME'" >&2
    exit 1
fi

# Prints the URL of queue $1. A missing queue is created with the attributes in $2 (JSON, may be
# empty) in the same call, so that it never exists without them: docker-compose.yml reports
# LocalStack healthy as soon as the work queue exists. An existing queue gets them set instead.
queue_url() {
    local name="$1" attributes="$2" url
    if url="$(awslocal sqs get-queue-url --queue-name "$name" --query QueueUrl --output text 2>/dev/null)"; then
        if [[ -n "$attributes" ]]; then
            awslocal sqs set-queue-attributes --queue-url "$url" --attributes "$attributes"
        fi
        log "queue $name exists: $url"
    elif [[ -n "$attributes" ]]; then
        url="$(awslocal sqs create-queue --queue-name "$name" --attributes "$attributes" --query QueueUrl --output text)"
        log "queue $name created: $url"
    else
        url="$(awslocal sqs create-queue --queue-name "$name" --query QueueUrl --output text)"
        log "queue $name created: $url"
    fi
    printf '%s\n' "$url"
}

# The DLQ first: the work queue's redrive policy names it by ARN.
dlq_url="$(queue_url "$DLQ_NAME" "")"
dlq_arn="$(awslocal sqs get-queue-attributes --queue-url "$dlq_url" \
    --attribute-names QueueArn --query Attributes.QueueArn --output text)"

# RedrivePolicy is a JSON document carried as a string attribute, hence the escaped quotes.
attributes="$(printf '{"VisibilityTimeout":"%s","RedrivePolicy":"{\\"deadLetterTargetArn\\":\\"%s\\",\\"maxReceiveCount\\":\\"%s\\"}"}' \
    "$VISIBILITY_TIMEOUT" "$dlq_arn" "$MAX_RECEIVE_COUNT")"
queue_url "$QUEUE_NAME" "$attributes" > /dev/null

log "$QUEUE_NAME: VisibilityTimeout=$VISIBILITY_TIMEOUT, maxReceiveCount=$MAX_RECEIVE_COUNT, DLQ $dlq_arn"
