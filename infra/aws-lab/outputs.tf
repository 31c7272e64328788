# No secret is output: the commands below read them from SSM with your own credentials.

output "api_url" {
  description = "Base URL of the API (the public IP changes if the instance is stopped and started; the port is open only to api_allowed_cidrs)."
  value       = "http://${aws_instance.lab.public_ip}:${var.api_port}"
}

output "instance_id" {
  description = "The lab instance."
  value       = aws_instance.lab.id
}

output "queue_url" {
  description = "URL of the work queue."
  value       = aws_sqs_queue.orders.url
}

output "dlq_url" {
  description = "URL of the SQS dead-letter queue (messages received max_receive_count times)."
  value       = aws_sqs_queue.orders_dlq.url
}

output "queue_arn" {
  description = "ARN of the work queue (destination of a DLQ redrive)."
  value       = aws_sqs_queue.orders.arn
}

output "dlq_arn" {
  description = "ARN of the SQS dead-letter queue (source of a DLQ redrive: aws sqs start-message-move-task)."
  value       = aws_sqs_queue.orders_dlq.arn
}

output "ssm_start_session_command" {
  description = "A shell on the instance through Session Manager (needs the Session Manager plugin of the AWS CLI)."
  value       = "aws ssm start-session --region ${var.region} --target ${aws_instance.lab.id}"
}

output "logs_command" {
  description = "Follow the api and worker logs through Session Manager."
  value       = "aws ssm start-session --region ${var.region} --target ${aws_instance.lab.id} --document-name AWS-StartInteractiveCommand --parameters '{\"command\":[\"sudo docker compose -f /opt/order-platform/compose.yaml logs --follow --tail 100 api worker\"]}'"
}

output "admin_token_command" {
  description = "Print the operator token (Authorization: Bearer ... on /dlq) with your own AWS credentials."
  value       = "aws ssm get-parameter --region ${var.region} --name ${aws_ssm_parameter.admin_token.name} --with-decryption --query Parameter.Value --output text"
}

output "secret_parameters" {
  description = "Names (not values) of the SSM parameters holding the database password and the operator token."
  value = {
    db_password = aws_ssm_parameter.db_password.name
    admin_token = aws_ssm_parameter.admin_token.name
  }
}
