# The work queue the api's relay sends order events to and the workers consume, and its redrive DLQ.
# The service finds the DLQ by name: exactly the queue name + "-dlq". With ORDERS_SQS_CREATE_QUEUES
# false it never creates or changes them: these definitions are the only source of their attributes.

locals {
  queue_name = "${var.name}-orders"
}

resource "aws_sqs_queue" "orders" {
  name = local.queue_name

  # >= orders.outbox.lock-timeout-seconds (30): a message a worker is still processing does not
  # reappear for another worker first. ORDERS_SQS_VISIBILITY_TIMEOUT_SECONDS passes the same value.
  visibility_timeout_seconds = 30
  message_retention_seconds  = var.sqs_retention_days * 86400
  receive_wait_time_seconds  = 20
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
    # > orders.retry.max-attempts (3): see the variable's description
    maxReceiveCount = var.sqs_max_receive_count
  })
}

resource "aws_sqs_queue" "orders_dlq" {
  name = "${local.queue_name}-dlq"

  # the maximum: longer than the work queue's retention, since a message keeps its first enqueue time
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

# Only the work queue may use the DLQ as its dead-letter target. A separate resource because the
# queues refer to each other (the work queue's redrive policy names the DLQ).
resource "aws_sqs_queue_redrive_allow_policy" "orders_dlq" {
  queue_url = aws_sqs_queue.orders_dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.orders.arn]
  })
}
