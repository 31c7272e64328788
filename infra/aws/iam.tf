# Three roles, each with only what its holder calls:
# - the execution role: used by the ECS agent to pull the image, write the logs and read the two
#   secrets when a task starts;
# - the api task role: the api's relay sends to the work queue; start-up reads both queues;
# - the worker task role: receives, deletes and reschedules (visibility) on the work queue.
# Both task roles publish the service's metrics, only into its own namespace.
# The names are fixed (<name>-...) because the bootstrap root's deploy role may pass exactly these.

data "aws_ecr_repository" "app" {
  name = local.ecr_repository_name
}

locals {
  ecr_repository_name = var.ecr_repository_name != "" ? var.ecr_repository_name : var.name
}

# Trust of the execution role: the ECS service principal, as AWS documents it for execution roles
# (the confused-deputy conditions below are documented for task roles only).
data "aws_iam_policy_document" "ecs_execution_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Trust of the two task roles: ECS tasks of this account, in this region only (confused-deputy
# guard, as the ECS task IAM role documentation recommends).
data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${var.region}:${local.account_id}:*"]
    }
  }
}

## Execution role

resource "aws_iam_role" "execution" {
  name               = "${var.name}-task-execution"
  description        = "ECS agent: pull the ${var.name} image, write its logs, read its two secrets"
  assume_role_policy = data.aws_iam_policy_document.ecs_execution_trust.json
}

data "aws_iam_policy_document" "execution" {
  # registry login; the action accepts no resource ARN
  statement {
    sid       = "EcrLogin"
    effect    = "Allow"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid    = "EcrPullThisRepository"
    effect = "Allow"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [data.aws_ecr_repository.app.arn]
  }

  statement {
    sid    = "WriteTheTwoLogGroups"
    effect = "Allow"
    actions = [
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    resources = [
      aws_cloudwatch_log_group.api.arn,
      "${aws_cloudwatch_log_group.api.arn}:log-stream:*",
      aws_cloudwatch_log_group.worker.arn,
      "${aws_cloudwatch_log_group.worker.arn}:log-stream:*",
    ]
  }

  # the secrets are encrypted with the AWS-managed key aws/secretsmanager, which needs no kms grant
  statement {
    sid     = "ReadTheTwoSecrets"
    effect  = "Allow"
    actions = ["secretsmanager:GetSecretValue"]
    resources = [
      aws_secretsmanager_secret.db_password.arn,
      aws_secretsmanager_secret.admin_token.arn,
    ]
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

## api task role

resource "aws_iam_role" "api_task" {
  name               = "${var.name}-api-task"
  description        = "${var.name} api tasks: send order events to SQS, publish metrics"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "api_task" {
  # start-up resolves both queue URLs and reads their attributes (the DLQ's depth too)
  statement {
    sid    = "ReadBothQueues"
    effect = "Allow"
    actions = [
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
    ]
    resources = [
      aws_sqs_queue.orders.arn,
      aws_sqs_queue.orders_dlq.arn,
    ]
  }

  # the outbox relay sends in batches: SendMessageBatch is authorised by sqs:SendMessage
  statement {
    sid       = "RelayToTheWorkQueue"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.orders.arn]
  }

  # PutMetricData has no resource type: "*" bounded to the service's own namespace
  statement {
    sid       = "PublishOwnMetrics"
    effect    = "Allow"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [var.metrics_namespace]
    }
  }
}

resource "aws_iam_role_policy" "api_task" {
  name   = "api"
  role   = aws_iam_role.api_task.id
  policy = data.aws_iam_policy_document.api_task.json
}

## worker task role

resource "aws_iam_role" "worker_task" {
  name               = "${var.name}-worker-task"
  description        = "${var.name} worker tasks: consume order events from SQS, publish metrics"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "worker_task" {
  statement {
    sid    = "ReadBothQueues"
    effect = "Allow"
    actions = [
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
    ]
    resources = [
      aws_sqs_queue.orders.arn,
      aws_sqs_queue.orders_dlq.arn,
    ]
  }

  # receive; delete when an order is final (DeleteMessageBatch is authorised by sqs:DeleteMessage);
  # change visibility to schedule a business retry
  statement {
    sid    = "ConsumeTheWorkQueue"
    effect = "Allow"
    actions = [
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:ReceiveMessage",
    ]
    resources = [aws_sqs_queue.orders.arn]
  }

  statement {
    sid       = "PublishOwnMetrics"
    effect    = "Allow"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [var.metrics_namespace]
    }
  }
}

resource "aws_iam_role_policy" "worker_task" {
  name   = "worker"
  role   = aws_iam_role.worker_task.id
  policy = data.aws_iam_policy_document.worker_task.json
}
