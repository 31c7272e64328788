# Alarms and their notification topic. Every alarm sends ALARM and OK to one SNS topic (email by
# variable); every description links to its section of docs/deploy/aws-alarms.md, which says what the
# alarm means and what to do. The dashboard with the same signals is in dashboard.tf.
#
# The service's own metrics (namespace var.metrics_namespace, one dimension transport=sqs) come from
# Micrometer's CloudWatch registry, switched on in the containers by ORDERS_METRICS_CLOUDWATCH_ENABLED.
# Every task publishes one datapoint per metric and minute (orders.metrics.cloudwatch.step=PT1M):
# counters (*.count) are summed over a period, the DB-wide gauges (*.value) are read with Maximum,
# because every task publishes the same value and Sum would multiply it by the number of tasks.

variable "alarm_email" {
  description = "Address that receives alarm notifications through the SNS topic (AWS sends a confirmation mail first). Empty: no subscription; subscribe a pager or chat integration to the topic yourself."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be empty or one e-mail address."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace the service publishes its orders.* metrics to (ORDERS_METRICS_CLOUDWATCH_NAMESPACE); the alarms, the dashboard and the task roles' cloudwatch:PutMetricData condition all use it."
  type        = string
  default     = "OrderPlatform"

  validation {
    # CloudWatch's own rule for custom namespaces; "AWS/" is reserved for AWS services
    condition     = can(regex("^[A-Za-z0-9._/#: -]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace: 1-255 characters of letters, digits and . _ / # : - or space, not starting with AWS/."
  }
}

variable "runbook_url" {
  description = "Where people read docs/deploy/aws-alarms.md (for example https://github.com/<owner>/<repo>/blob/main/docs/deploy/aws-alarms.md). Alarm descriptions and ECS notifications link to <runbook_url>#<alarm section>."
  type        = string
  default     = "docs/deploy/aws-alarms.md"

  validation {
    # the URL ends up inside a JSON string of the EventBridge input template: no quotes, no anchor
    condition     = length(var.runbook_url) > 0 && !can(regex("[\"#\\s]", var.runbook_url))
    error_message = "runbook_url must be non-empty, without spaces, quotes or a #anchor (the alarms add their own)."
  }
}

variable "queue_oldest_message_age_threshold_seconds" {
  description = "Alarm when the oldest message of the work queue has waited longer than this for 5 minutes in a row: workers are missing, stuck or too few. A retried message stays in the queue through its backoff (orders.retry.max-delay-ms, 60 s), so keep this well above that."
  type        = number
  default     = 300

  validation {
    condition     = var.queue_oldest_message_age_threshold_seconds >= 120 && var.queue_oldest_message_age_threshold_seconds <= 1209600
    error_message = "Between 120 s (above the longest retry backoff, or retries alarm) and 1209600 s (SQS's longest retention)."
  }
}

variable "outbox_oldest_age_threshold_seconds" {
  description = "Alarm when the oldest outbox event not yet relayed to SQS is older than this for 5 minutes in a row: orders are accepted but nothing relays them. The relay runs every orders.sqs.relay-interval-ms (100 ms), so a healthy value is about a second."
  type        = number
  default     = 120

  validation {
    condition     = var.outbox_oldest_age_threshold_seconds >= 30
    error_message = "At least 30 s: below that a short SQS hiccup (refused sends are retried) would page someone."
  }
}

variable "alb_5xx_threshold" {
  description = "Alarm when the load balancer (HTTPCode_ELB_5XX_Count) or the api tasks (HTTPCode_Target_5XX_Count) answer more than this many 5xx responses in 5 minutes."
  type        = number
  default     = 10

  validation {
    condition     = var.alb_5xx_threshold >= 0 && floor(var.alb_5xx_threshold) == var.alb_5xx_threshold
    error_message = "alb_5xx_threshold is a whole number of responses, 0 or more."
  }
}

variable "api_latency_p99_threshold_seconds" {
  description = "Alarm when the 99th percentile of TargetResponseTime (time the api tasks take to answer, seen by the ALB) stays above this many seconds for 5 minutes. POST /orders is one database round trip, normally a few milliseconds."
  type        = number
  default     = 1

  validation {
    condition     = var.api_latency_p99_threshold_seconds > 0 && var.api_latency_p99_threshold_seconds <= 60
    error_message = "Between 0 and 60 s (the ALB's default idle timeout; slower answers are cut off as 504s and counted by the 5xx alarm)."
  }
}

variable "rds_cpu_threshold_percent" {
  description = "Alarm when the database's average CPUUtilization stays above this percentage for 15 minutes."
  type        = number
  default     = 80

  validation {
    condition     = var.rds_cpu_threshold_percent > 0 && var.rds_cpu_threshold_percent < 100
    error_message = "A percentage between 0 and 100 (exclusive)."
  }
}

variable "rds_free_storage_threshold_gib" {
  description = "Alarm when the database's FreeStorageSpace falls below this many GiB. PostgreSQL stops accepting writes when its disk is full, and every order is a write."
  type        = number
  default     = 2

  validation {
    condition     = var.rds_free_storage_threshold_gib > 0
    error_message = "rds_free_storage_threshold_gib must be greater than 0."
  }
}

variable "rds_connections_threshold" {
  description = "Alarm when DatabaseConnections stays above this for 10 minutes. Each task holds up to ORDERS_DB_POOL_SIZE connections: at the default maximum scale 4 api x 10 + 8 workers x 10 = 120. db.t4g.small allows about 225 (max_connections grows with the class's memory); keep this below that, above your pools' total, so it fires on leaks and outside clients before new tasks are refused."
  type        = number
  default     = 150

  validation {
    condition     = var.rds_connections_threshold >= 1 && floor(var.rds_connections_threshold) == var.rds_connections_threshold
    error_message = "rds_connections_threshold is a whole number of connections, 1 or more."
  }
}

locals {
  # Every alarm notifies the one topic both when it fires and when it clears, so a mail thread
  # shows when a problem ended. INSUFFICIENT_DATA is not notified: treat_missing_data decides per alarm.
  alarm_actions = [aws_sns_topic.alarms.arn]
}

# Not encrypted on purpose: CloudWatch alarms and EventBridge cannot publish to a topic encrypted with
# the AWS-managed alias/aws/sns key (its key policy does not let them use it), and alarm texts carry no
# secrets. Use a customer-managed KMS key that grants them kms:GenerateDataKey* if policy demands SSE.
resource "aws_sns_topic" "alarms" {
  name = "${var.name}-alarms"
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.alarm_email == "" ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# Who may publish: CloudWatch for this account's alarms of this stack, EventBridge for the one rule
# below. Principals of the account itself keep their access through their IAM policies.
data "aws_iam_policy_document" "alarms_topic" {
  statement {
    sid       = "CloudWatchAlarms"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${var.region}:${local.account_id}:alarm:${var.name}-*"]
    }
  }

  statement {
    sid       = "EcsTaskStoppedRule"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.ecs_task_stopped.arn]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

# ---------------------------------------------------------------------------------------------------
# SQS: the infrastructure queues

# Messages the workers received max_receive_count times without deleting them: poison messages or
# crashes mid-processing. Business failures never land here (they end in the database's dlq table).
resource "aws_cloudwatch_metric_alarm" "sqs_dlq_not_empty" {
  alarm_name        = "${var.name}-sqs-dlq-not-empty"
  alarm_description = "Messages in the SQS dead-letter queue ${aws_sqs_queue.orders_dlq.name}. ${var.runbook_url}#sqs-dlq-not-empty"

  namespace   = "AWS/SQS"
  metric_name = "ApproximateNumberOfMessagesVisible"
  dimensions = {
    QueueName = aws_sqs_queue.orders_dlq.name
  }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  # SQS stops publishing for a queue that has been empty and unused for hours: no data is an empty DLQ
  treat_missing_data = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "queue_oldest_message_age" {
  alarm_name        = "${var.name}-queue-oldest-message-age"
  alarm_description = "The oldest message in ${aws_sqs_queue.orders.name} has waited more than ${var.queue_oldest_message_age_threshold_seconds} s: workers are missing, stuck or too few. ${var.runbook_url}#queue-oldest-message-age"

  namespace   = "AWS/SQS"
  metric_name = "ApproximateAgeOfOldestMessage"
  dimensions = {
    QueueName = aws_sqs_queue.orders.name
  }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.queue_oldest_message_age_threshold_seconds
  # an idle, empty queue stops publishing: nothing waits
  treat_missing_data = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

# ---------------------------------------------------------------------------------------------------
# The service's own metrics

# Orders whose attempts ran out: each one is a new entry in the business DLQ (the dlq table), waiting
# for an operator to read its reason and reprocess it.
resource "aws_cloudwatch_metric_alarm" "business_dlq_growing" {
  alarm_name        = "${var.name}-business-dlq-growing"
  alarm_description = "Orders ran out of attempts and were dead-lettered (orders.failed.count > 0): read GET /dlq and reprocess. ${var.runbook_url}#business-dlq-growing"

  namespace   = var.metrics_namespace
  metric_name = "orders.failed.count"
  dimensions = {
    transport = "sqs"
  }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  # a counter: no datapoint, no failure (a broken publisher is caught by outbox-oldest-age below)
  treat_missing_data = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

# Accepted orders whose outbox event is still not in SQS: the relay (in the api tasks) is not running
# or SQS refuses it. Orders are safe in the database but nobody processes them.
resource "aws_cloudwatch_metric_alarm" "outbox_oldest_age" {
  alarm_name        = "${var.name}-outbox-oldest-age"
  alarm_description = "The oldest outbox event not yet relayed to SQS is older than ${var.outbox_oldest_age_threshold_seconds} s (orders.outbox.oldest.age.seconds.value), or no task publishes the metric at all. ${var.runbook_url}#outbox-oldest-age"

  namespace   = var.metrics_namespace
  metric_name = "orders.outbox.oldest.age.seconds.value"
  dimensions = {
    transport = "sqs"
  }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.outbox_oldest_age_threshold_seconds
  # Deliberately breaching: every running task publishes this gauge every minute, so silence means no
  # task runs or none can publish (metrics switched off, wrong namespace, PutMetricData denied), and
  # then nothing vouches for the outbox or for the business DLQ alarm above.
  treat_missing_data = "breaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

# ---------------------------------------------------------------------------------------------------
# Load balancer and api

# 5xx made by the load balancer itself: 502 (a task closed the connection), 503 (no healthy target),
# 504 (a task did not answer in time).
resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  alarm_name        = "${var.name}-alb-5xx"
  alarm_description = "The load balancer answered more than ${var.alb_5xx_threshold} 5xx responses of its own (502/503/504) in 5 minutes. ${var.runbook_url}#alb-5xx"

  namespace   = "AWS/ApplicationELB"
  metric_name = "HTTPCode_ELB_5XX_Count"
  dimensions = {
    LoadBalancer = aws_lb.api.arn_suffix
  }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alb_5xx_threshold
  # the ALB publishes HTTPCode_* only for periods that had such responses
  treat_missing_data = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

# 5xx answered by the service: its error bodies are JSON with an error code (503 while not ready,
# 500 for an unexpected failure).
resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  alarm_name        = "${var.name}-target-5xx"
  alarm_description = "The api tasks answered more than ${var.alb_5xx_threshold} 5xx responses in 5 minutes. ${var.runbook_url}#target-5xx"

  namespace   = "AWS/ApplicationELB"
  metric_name = "HTTPCode_Target_5XX_Count"
  dimensions = {
    LoadBalancer = aws_lb.api.arn_suffix
    TargetGroup  = aws_lb_target_group.api.arn_suffix
  }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alb_5xx_threshold
  treat_missing_data  = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

# Targets failing /observe/health/ready (503 while the database or SQS is unreachable). A task that
# stays unhealthy is replaced by ECS; a few minutes of it during a deployment would be noise.
resource "aws_cloudwatch_metric_alarm" "unhealthy_targets" {
  alarm_name        = "${var.name}-unhealthy-targets"
  alarm_description = "api tasks fail the load balancer's health check (/observe/health/ready) for 3 minutes. ${var.runbook_url}#unhealthy-targets"

  namespace   = "AWS/ApplicationELB"
  metric_name = "UnHealthyHostCount"
  dimensions = {
    LoadBalancer = aws_lb.api.arn_suffix
    TargetGroup  = aws_lb_target_group.api.arn_suffix
  }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  # no data: no target registered at all, which no-healthy-targets below reports
  treat_missing_data = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

# The api is down for every client: not one target passes the health check.
resource "aws_cloudwatch_metric_alarm" "no_healthy_targets" {
  alarm_name        = "${var.name}-no-healthy-targets"
  alarm_description = "No api task passes the load balancer's health check: every request gets a 503. ${var.runbook_url}#no-healthy-targets"

  namespace   = "AWS/ApplicationELB"
  metric_name = "HealthyHostCount"
  dimensions = {
    LoadBalancer = aws_lb.api.arn_suffix
    TargetGroup  = aws_lb_target_group.api.arn_suffix
  }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  # the ALB publishes host counts every minute while targets are registered: no data is no target
  treat_missing_data = "breaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "api_latency_p99" {
  alarm_name        = "${var.name}-api-latency-p99"
  alarm_description = "The api's p99 response time (TargetResponseTime) is above ${var.api_latency_p99_threshold_seconds} s for 5 minutes. ${var.runbook_url}#api-latency-p99"

  namespace   = "AWS/ApplicationELB"
  metric_name = "TargetResponseTime"
  dimensions = {
    LoadBalancer = aws_lb.api.arn_suffix
    TargetGroup  = aws_lb_target_group.api.arn_suffix
  }
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.api_latency_p99_threshold_seconds
  # no requests, no latency
  treat_missing_data = "notBreaching"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

# ---------------------------------------------------------------------------------------------------
# RDS. Its metrics arrive every minute while the instance exists; a gap is CloudWatch lagging, not a
# signal (an unreachable database shows as unhealthy targets), so missing data keeps the alarm's state.

resource "aws_cloudwatch_metric_alarm" "rds_cpu" {
  alarm_name        = "${var.name}-rds-cpu"
  alarm_description = "Database CPU above ${var.rds_cpu_threshold_percent} % for 15 minutes. ${var.runbook_url}#rds-cpu"

  namespace   = "AWS/RDS"
  metric_name = "CPUUtilization"
  dimensions = {
    DBInstanceIdentifier = aws_db_instance.main.identifier
  }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.rds_cpu_threshold_percent
  treat_missing_data  = "missing"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "rds_free_storage" {
  alarm_name        = "${var.name}-rds-free-storage"
  alarm_description = "Database free storage below ${var.rds_free_storage_threshold_gib} GiB: PostgreSQL stops taking writes when the disk is full. ${var.runbook_url}#rds-free-storage"

  namespace   = "AWS/RDS"
  metric_name = "FreeStorageSpace"
  dimensions = {
    DBInstanceIdentifier = aws_db_instance.main.identifier
  }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = var.rds_free_storage_threshold_gib * 1024 * 1024 * 1024
  treat_missing_data  = "missing"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "rds_connections" {
  alarm_name        = "${var.name}-rds-connections"
  alarm_description = "More than ${var.rds_connections_threshold} database connections for 10 minutes: close to max_connections, new tasks may not connect. ${var.runbook_url}#rds-connections"

  namespace   = "AWS/RDS"
  metric_name = "DatabaseConnections"
  dimensions = {
    DBInstanceIdentifier = aws_db_instance.main.identifier
  }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.rds_connections_threshold
  treat_missing_data  = "missing"

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

# ---------------------------------------------------------------------------------------------------
# ECS: tasks that stop on their own, and services that run fewer tasks than they want

# Every task of either service that stops for any reason other than ECS's own scaling or deployment
# ("Scaling activity initiated by (deployment ...)"): a container exited, a health check failed, a
# task could not start (image pull, secrets), Fargate retired it. One notification per task, at once.
resource "aws_cloudwatch_event_rule" "ecs_task_stopped" {
  name        = "${var.name}-ecs-task-stopped"
  description = "Tasks of ${aws_ecs_service.api.name} or ${aws_ecs_service.worker.name} that stopped for a reason other than scaling or a deployment."

  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Task State Change"]
    detail = {
      clusterArn    = [aws_ecs_cluster.main.arn]
      group         = ["service:${aws_ecs_service.api.name}", "service:${aws_ecs_service.worker.name}"]
      lastStatus    = ["STOPPED"]
      stoppedReason = [{ "anything-but" = { prefix = "Scaling activity initiated by" } }]
    }
  })
}

resource "aws_cloudwatch_event_target" "ecs_task_stopped" {
  rule      = aws_cloudwatch_event_rule.ecs_task_stopped.name
  target_id = "alarms-topic"
  arn       = aws_sns_topic.alarms.arn

  # a one-line mail instead of the raw event; the task ARN is what `aws ecs describe-tasks` needs
  input_transformer {
    input_paths = {
      group    = "$.detail.group"
      task     = "$.detail.taskArn"
      reason   = "$.detail.stoppedReason"
      stopCode = "$.detail.stopCode"
    }
    input_template = "\"ECS task stopped: <group> task <task> stopped with code <stopCode>: <reason>. What to do: ${var.runbook_url}#ecs-task-stopped\""
  }
}

# Fewer tasks running than the service wants, for 5 minutes: tasks crash in a loop, cannot start, or
# capacity is missing. Deployments and scale-outs dip below the desired count for a minute or two; five
# keeps them quiet. Needs Container Insights on the cluster (ECS/ContainerInsights).
resource "aws_cloudwatch_metric_alarm" "api_tasks_below_desired" {
  alarm_name        = "${var.name}-api-tasks-below-desired"
  alarm_description = "${aws_ecs_service.api.name} has run fewer tasks than desired for 5 minutes. ${var.runbook_url}#tasks-below-desired"

  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  # Container Insights publishes every minute for an existing service; a gap is a delivery delay
  treat_missing_data = "missing"

  metric_query {
    id          = "missing_tasks"
    expression  = "desired - running"
    label       = "tasks missing"
    return_data = true
  }

  metric_query {
    id = "desired"
    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "DesiredTaskCount"
      dimensions = {
        ClusterName = aws_ecs_cluster.main.name
        ServiceName = aws_ecs_service.api.name
      }
      stat   = "Maximum"
      period = 60
    }
  }

  metric_query {
    id = "running"
    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "RunningTaskCount"
      dimensions = {
        ClusterName = aws_ecs_cluster.main.name
        ServiceName = aws_ecs_service.api.name
      }
      stat   = "Minimum"
      period = 60
    }
  }

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "worker_tasks_below_desired" {
  alarm_name        = "${var.name}-worker-tasks-below-desired"
  alarm_description = "${aws_ecs_service.worker.name} has run fewer tasks than desired for 5 minutes. ${var.runbook_url}#tasks-below-desired"

  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 5
  datapoints_to_alarm = 5
  treat_missing_data  = "missing"

  metric_query {
    id          = "missing_tasks"
    expression  = "desired - running"
    label       = "tasks missing"
    return_data = true
  }

  metric_query {
    id = "desired"
    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "DesiredTaskCount"
      dimensions = {
        ClusterName = aws_ecs_cluster.main.name
        ServiceName = aws_ecs_service.worker.name
      }
      stat   = "Maximum"
      period = 60
    }
  }

  metric_query {
    id = "running"
    metric {
      namespace   = "ECS/ContainerInsights"
      metric_name = "RunningTaskCount"
      dimensions = {
        ClusterName = aws_ecs_cluster.main.name
        ServiceName = aws_ecs_service.worker.name
      }
      stat   = "Minimum"
      period = 60
    }
  }

  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm and the ECS task-stopped rule notify: subscribe more endpoints (chat, pager) to it."
  value       = aws_sns_topic.alarms.arn
}
