# The work queue and its redrive DLQ. The service creates neither (ORDERS_SQS_CREATE_QUEUES=false): it only
# looks both up by name at start-up, so the names here are the contract (<queue> and <queue>-dlq).

resource "aws_sqs_queue" "orders" {
  name = local.queue_name
  # >= orders.outbox.lock-timeout-seconds (30), see local.visibility_timeout_seconds.
  visibility_timeout_seconds = local.visibility_timeout_seconds
  # Default retention, stated: shorter than the DLQ's, because a message moved to the DLQ keeps its
  # original enqueue time and would otherwise expire there sooner than expected.
  message_retention_seconds = 345600
  # Long polling on the queue too; the worker asks for it per receive (orders.sqs.wait-time-seconds=20).
  receive_wait_time_seconds = 20
  sqs_managed_sse_enabled   = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
    # > orders.retry.max-attempts (3): every business retry is another receive of the same message.
    maxReceiveCount = var.max_receive_count
  })
}

resource "aws_sqs_queue" "orders_dlq" {
  name = local.dlq_name
  # 14 days, SQS's maximum: time to notice, fix and redrive (docs/deploy/aws-lab.md).
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

# Only the work queue may use this queue as its DLQ. A separate resource because the work queue's
# redrive_policy already refers to the DLQ: naming each other inline would be a dependency cycle.
resource "aws_sqs_queue_redrive_allow_policy" "orders_dlq" {
  queue_url = aws_sqs_queue.orders_dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.orders.arn]
  })
}
