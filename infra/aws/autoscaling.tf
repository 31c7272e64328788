# Workers scale on the SQS backlog per running task; the api scales on CPU.

## Worker: target tracking on backlog per task (metric math)

resource "aws_appautoscaling_target" "worker" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.worker.name}"
  min_capacity       = var.worker_min_count
  max_capacity       = var.worker_max_count

  lifecycle {
    precondition {
      condition     = var.worker_max_count >= var.worker_min_count
      error_message = "worker_max_count must not be below worker_min_count."
    }
  }
}

# backlog per task = visible messages / running worker tasks, held at var.worker_backlog_per_task:
# 1,000 waiting messages with a target of 100 ask for 10 tasks (capped at worker_max_count).
# In-flight messages (being processed) are not backlog, so they do not count.
resource "aws_appautoscaling_policy" "worker_backlog" {
  name               = "${var.name}-worker-backlog-per-task"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.worker.service_namespace
  scalable_dimension = aws_appautoscaling_target.worker.scalable_dimension
  resource_id        = aws_appautoscaling_target.worker.resource_id

  target_tracking_scaling_policy_configuration {
    target_value = var.worker_backlog_per_task
    # out quickly when orders pile up; in slowly, since a new task costs a JVM start
    scale_out_cooldown = 60
    scale_in_cooldown  = 300

    customized_metric_specification {
      metrics {
        id          = "m1"
        label       = "Visible messages in the work queue"
        return_data = false

        metric_stat {
          stat = "Sum"

          metric {
            namespace   = "AWS/SQS"
            metric_name = "ApproximateNumberOfMessagesVisible"

            dimensions {
              name  = "QueueName"
              value = aws_sqs_queue.orders.name
            }
          }
        }
      }

      metrics {
        id          = "m2"
        label       = "Running worker tasks"
        return_data = false

        metric_stat {
          stat = "Average"

          metric {
            namespace   = "ECS/ContainerInsights"
            metric_name = "RunningTaskCount"

            dimensions {
              name  = "ClusterName"
              value = aws_ecs_cluster.main.name
            }

            dimensions {
              name  = "ServiceName"
              value = aws_ecs_service.worker.name
            }
          }
        }
      }

      metrics {
        id          = "e1"
        label       = "Backlog per worker task"
        expression  = "m1 / m2"
        return_data = true
      }
    }
  }
}

## api: target tracking on average CPU

resource "aws_appautoscaling_target" "api" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.api.name}"
  min_capacity       = var.api_min_count
  max_capacity       = var.api_max_count

  lifecycle {
    precondition {
      condition     = var.api_max_count >= var.api_min_count
      error_message = "api_max_count must not be below api_min_count."
    }
  }
}

# CPU rather than requests per target: the cost of a request varies (a POST writes two rows, a list
# reads a page), and on the benchmark's 2-core machine intake was CPU-bound (docs/performance.md).
resource "aws_appautoscaling_policy" "api_cpu" {
  name               = "${var.name}-api-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.api.service_namespace
  scalable_dimension = aws_appautoscaling_target.api.scalable_dimension
  resource_id        = aws_appautoscaling_target.api.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.api_cpu_target
    scale_out_cooldown = 60
    scale_in_cooldown  = 300

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
