# One dashboard with the signals the alarms watch, laid out in the order an operator asks the
# questions: are orders flowing, is anything waiting or failing, do the services run, are the load
# balancer and the database well. docs/deploy/aws-alarms.md says what each widget shows and what normal
# looks like. Metric names are written out in full (no "." shorthand) so that a reader, and the test
# that compares them with what the service publishes, sees every one.
#
# The service's metrics: namespace var.metrics_namespace, dimension transport=sqs; counters with Sum
# per minute, DB-wide gauges with Maximum (every task publishes the same value), timers in seconds
# (org.orderplatform.observability.CloudWatchMetrics sets that base unit; Micrometer's default is ms).
#
# CloudWatch dashboards take no tags (the API has none), so this is the one resource here without.

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = var.name

  dashboard_body = jsonencode({
    periodOverride = "inherit"
    widgets = [
      {
        type   = "text"
        x      = 0
        y      = 0
        width  = 12
        height = 4
        properties = {
          markdown = "## ${var.name}\nOrders flow from POST /orders (api) through the outbox and SQS queue ${aws_sqs_queue.orders.name} to the workers. What each widget shows and what normal looks like, and what to do for each alarm: [aws-alarms.md](${var.runbook_url}). Service metrics need ORDERS_METRICS_CLOUDWATCH_ENABLED=true (namespace ${var.metrics_namespace})."
        }
      },
      {
        type   = "alarm"
        x      = 12
        y      = 0
        width  = 12
        height = 4
        properties = {
          title = "Alarms"
          alarms = [
            aws_cloudwatch_metric_alarm.sqs_dlq_not_empty.arn,
            aws_cloudwatch_metric_alarm.queue_oldest_message_age.arn,
            aws_cloudwatch_metric_alarm.business_dlq_growing.arn,
            aws_cloudwatch_metric_alarm.outbox_oldest_age.arn,
            aws_cloudwatch_metric_alarm.alb_5xx.arn,
            aws_cloudwatch_metric_alarm.target_5xx.arn,
            aws_cloudwatch_metric_alarm.unhealthy_targets.arn,
            aws_cloudwatch_metric_alarm.no_healthy_targets.arn,
            aws_cloudwatch_metric_alarm.api_latency_p99.arn,
            aws_cloudwatch_metric_alarm.rds_cpu.arn,
            aws_cloudwatch_metric_alarm.rds_free_storage.arn,
            aws_cloudwatch_metric_alarm.rds_connections.arn,
            aws_cloudwatch_metric_alarm.api_tasks_below_desired.arn,
            aws_cloudwatch_metric_alarm.worker_tasks_below_desired.arn,
          ]
        }
      },

      # --- orders ---------------------------------------------------------------------------------
      {
        type   = "metric"
        x      = 0
        y      = 4
        width  = 12
        height = 6
        properties = {
          title  = "Orders per minute"
          region = var.region
          view   = "timeSeries"
          period = 60
          stat   = "Sum"
          metrics = [
            [var.metrics_namespace, "orders.accepted.count", "transport", "sqs", { label = "accepted (POST /orders)" }],
            [var.metrics_namespace, "orders.processed.count", "transport", "sqs", { label = "processed" }],
            [var.metrics_namespace, "orders.retried.count", "transport", "sqs", { label = "retried" }],
            [var.metrics_namespace, "orders.failed.count", "transport", "sqs", { label = "failed (to the business DLQ)", color = "#d62728" }],
            [var.metrics_namespace, "orders.reprocessed.count", "transport", "sqs", { label = "reprocessed from the DLQ" }],
          ]
          yAxis = { left = { min = 0, label = "orders/min", showUnits = false } }
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 4
        width  = 12
        height = 6
        properties = {
          title  = "End-to-end time, intake to PROCESSED or FAILED (s)"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = [
            [var.metrics_namespace, "orders.end.to.end.avg", "transport", "sqs", { stat = "Average", label = "average" }],
            [var.metrics_namespace, "orders.end.to.end.max", "transport", "sqs", { stat = "Maximum", label = "slowest" }],
            [var.metrics_namespace, "orders.processing.duration.avg", "transport", "sqs", { stat = "Average", label = "one processing attempt, average" }],
          ]
          yAxis = { left = { min = 0, label = "seconds", showUnits = false } }
        }
      },

      # --- queues and outbox ----------------------------------------------------------------------
      {
        type   = "metric"
        x      = 0
        y      = 10
        width  = 8
        height = 6
        properties = {
          title  = "Work queue ${aws_sqs_queue.orders.name}"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = [
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.orders.name, { stat = "Maximum", label = "waiting" }],
            ["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", aws_sqs_queue.orders.name, { stat = "Maximum", label = "in flight or in retry backoff" }],
            ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.orders.name, { stat = "Maximum", label = "oldest message age (s)", yAxis = "right" }],
          ]
          yAxis = {
            left  = { min = 0, label = "messages", showUnits = false }
            right = { min = 0, label = "seconds", showUnits = false }
          }
          annotations = {
            horizontal = [{ label = "oldest-age alarm", value = var.queue_oldest_message_age_threshold_seconds, yAxis = "right" }]
          }
        }
      },
      {
        type   = "metric"
        x      = 8
        y      = 10
        width  = 8
        height = 6
        properties = {
          title  = "Dead-letter queues"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = [
            [var.metrics_namespace, "orders.dlq.size.value", "transport", "sqs", { stat = "Maximum", label = "business DLQ entries (failed orders)" }],
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.orders_dlq.name, { stat = "Maximum", label = "SQS DLQ messages (poison)" }],
          ]
          yAxis = { left = { min = 0, showUnits = false } }
        }
      },
      {
        type   = "metric"
        x      = 16
        y      = 10
        width  = 8
        height = 6
        properties = {
          title  = "Outbox (events not yet in SQS)"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = [
            [var.metrics_namespace, "orders.outbox.ready.value", "transport", "sqs", { stat = "Maximum", label = "ready to relay" }],
            [var.metrics_namespace, "orders.outbox.locked.value", "transport", "sqs", { stat = "Maximum", label = "being relayed" }],
            [var.metrics_namespace, "orders.outbox.oldest.age.seconds.value", "transport", "sqs", { stat = "Maximum", label = "oldest event age (s)", yAxis = "right" }],
            [var.metrics_namespace, "orders.relay.refused.count", "transport", "sqs", { stat = "Sum", label = "sends SQS refused" }],
          ]
          yAxis = {
            left  = { min = 0, label = "events", showUnits = false }
            right = { min = 0, label = "seconds", showUnits = false }
          }
          annotations = {
            horizontal = [{ label = "outbox-age alarm", value = var.outbox_oldest_age_threshold_seconds, yAxis = "right" }]
          }
        }
      },

      # --- services -------------------------------------------------------------------------------
      {
        type   = "metric"
        x      = 0
        y      = 16
        width  = 12
        height = 6
        properties = {
          title  = "Tasks running vs desired"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = [
            ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", aws_ecs_cluster.main.name, "ServiceName", aws_ecs_service.worker.name, { stat = "Minimum", label = "workers running" }],
            ["ECS/ContainerInsights", "DesiredTaskCount", "ClusterName", aws_ecs_cluster.main.name, "ServiceName", aws_ecs_service.worker.name, { stat = "Maximum", label = "workers desired" }],
            ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", aws_ecs_cluster.main.name, "ServiceName", aws_ecs_service.api.name, { stat = "Minimum", label = "api running" }],
            ["ECS/ContainerInsights", "DesiredTaskCount", "ClusterName", aws_ecs_cluster.main.name, "ServiceName", aws_ecs_service.api.name, { stat = "Maximum", label = "api desired" }],
          ]
          yAxis = { left = { min = 0, label = "tasks", showUnits = false } }
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 16
        width  = 12
        height = 6
        properties = {
          title  = "Load balancer: requests and 5xx per minute"
          region = var.region
          view   = "timeSeries"
          period = 60
          stat   = "Sum"
          metrics = [
            ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", aws_lb.api.arn_suffix, { label = "requests" }],
            ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", aws_lb.api.arn_suffix, { label = "5xx from the api", yAxis = "right" }],
            ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", aws_lb.api.arn_suffix, { label = "5xx from the load balancer", yAxis = "right" }],
          ]
          yAxis = {
            left  = { min = 0, label = "requests/min", showUnits = false }
            right = { min = 0, label = "5xx/min", showUnits = false }
          }
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 22
        width  = 8
        height = 6
        properties = {
          title  = "api response time (s)"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = [
            ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", aws_lb.api.arn_suffix, "TargetGroup", aws_lb_target_group.api.arn_suffix, { stat = "p50", label = "p50" }],
            ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", aws_lb.api.arn_suffix, "TargetGroup", aws_lb_target_group.api.arn_suffix, { stat = "p99", label = "p99" }],
          ]
          yAxis = { left = { min = 0, label = "seconds", showUnits = false } }
          annotations = {
            horizontal = [{ label = "p99 alarm", value = var.api_latency_p99_threshold_seconds }]
          }
        }
      },
      {
        type   = "metric"
        x      = 8
        y      = 22
        width  = 8
        height = 6
        properties = {
          title  = "api targets (health check /observe/health/ready)"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = [
            ["AWS/ApplicationELB", "HealthyHostCount", "LoadBalancer", aws_lb.api.arn_suffix, "TargetGroup", aws_lb_target_group.api.arn_suffix, { stat = "Minimum", label = "healthy" }],
            ["AWS/ApplicationELB", "UnHealthyHostCount", "LoadBalancer", aws_lb.api.arn_suffix, "TargetGroup", aws_lb_target_group.api.arn_suffix, { stat = "Maximum", label = "unhealthy", color = "#d62728" }],
          ]
          yAxis = { left = { min = 0, label = "targets", showUnits = false } }
        }
      },

      # --- database -------------------------------------------------------------------------------
      {
        type   = "metric"
        x      = 16
        y      = 22
        width  = 8
        height = 6
        properties = {
          title  = "Database CPU (%)"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = [
            ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", aws_db_instance.main.identifier, { stat = "Average", label = "CPU" }],
          ]
          yAxis = { left = { min = 0, max = 100, label = "%", showUnits = false } }
          annotations = {
            horizontal = [{ label = "CPU alarm", value = var.rds_cpu_threshold_percent }]
          }
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 28
        width  = 12
        height = 6
        properties = {
          title  = "Database connections"
          region = var.region
          view   = "timeSeries"
          period = 60
          metrics = [
            ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", aws_db_instance.main.identifier, { stat = "Maximum", label = "connections" }],
          ]
          yAxis = { left = { min = 0, label = "connections", showUnits = false } }
          annotations = {
            horizontal = [{ label = "connections alarm", value = var.rds_connections_threshold }]
          }
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 28
        width  = 12
        height = 6
        properties = {
          title  = "Database free storage (bytes)"
          region = var.region
          view   = "timeSeries"
          period = 300
          metrics = [
            ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", aws_db_instance.main.identifier, { stat = "Minimum", label = "free storage" }],
          ]
          yAxis = { left = { min = 0 } }
          annotations = {
            horizontal = [{ label = "free storage alarm", value = var.rds_free_storage_threshold_gib * 1024 * 1024 * 1024 }]
          }
        }
      },
    ]
  })
}

output "dashboard_url" {
  description = "The CloudWatch dashboard in the console (docs/deploy/aws-alarms.md explains each panel)."
  value       = "https://${var.region}.console.aws.amazon.com/cloudwatch/home?region=${var.region}#dashboards/dashboard/${aws_cloudwatch_dashboard.main.dashboard_name}"
}
