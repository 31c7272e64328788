# The ECR repository URL and the deploy role ARN are outputs of the bootstrap root.

output "alb_url" {
  description = "Base URL of the API (HTTPS when a certificate is set; then use the DNS name your certificate covers, pointed at alb_dns_name)."
  value       = "${local.https_enabled ? "https" : "http"}://${aws_lb.api.dns_name}"
}

output "alb_dns_name" {
  description = "DNS name of the ALB: the target of your CNAME or Route 53 alias."
  value       = aws_lb.api.dns_name
}

output "cluster_name" {
  description = "ECS cluster (repository variable ECS_CLUSTER of the deploy workflow)."
  value       = aws_ecs_cluster.main.name
}

output "api_service_name" {
  description = "api service (repository variable ECS_API_SERVICE)."
  value       = aws_ecs_service.api.name
}

output "worker_service_name" {
  description = "worker service (repository variable ECS_WORKER_SERVICE)."
  value       = aws_ecs_service.worker.name
}

output "api_task_family" {
  description = "Task definition family of the api; the deploy workflow registers new revisions of it."
  value       = aws_ecs_task_definition.api.family
}

output "worker_task_family" {
  description = "Task definition family of the worker."
  value       = aws_ecs_task_definition.worker.family
}

output "queue_url" {
  description = "URL of the work queue."
  value       = aws_sqs_queue.orders.url
}

output "dlq_url" {
  description = "URL of the SQS dead-letter queue (poison messages; redrive with start-message-move-task)."
  value       = aws_sqs_queue.orders_dlq.url
}

output "dlq_arn" {
  description = "ARN of the SQS dead-letter queue (the --source-arn of start-message-move-task)."
  value       = aws_sqs_queue.orders_dlq.arn
}

output "api_log_group" {
  description = "CloudWatch Logs group of the api tasks (JSON lines)."
  value       = aws_cloudwatch_log_group.api.name
}

output "worker_log_group" {
  description = "CloudWatch Logs group of the worker tasks (JSON lines)."
  value       = aws_cloudwatch_log_group.worker.name
}

output "db_endpoint" {
  description = "PostgreSQL endpoint (private: reachable only from the tasks' security group)."
  value       = aws_db_instance.main.endpoint
}

output "db_password_secret_arn" {
  description = "Secrets Manager secret holding the database password."
  value       = aws_secretsmanager_secret.db_password.arn
}

output "admin_token_secret_arn" {
  description = "Secrets Manager secret holding the operator token (Authorization: Bearer <token>)."
  value       = aws_secretsmanager_secret.admin_token.arn
}
