# The two secrets the containers receive through the task definition's `secrets` (never as plain
# environment): the database password and the operator token. ECS reads them when a task starts, so
# a rotated value reaches the tasks with the next deployment (docs/deploy/aws.md, "Rotating").
#
# The generated values also sit in the Terraform state: the state bucket is private, encrypted and
# TLS-only for that reason.

resource "random_password" "db" {
  length = 32
  # RDS refuses "/", "\"", "@" and spaces in a master password
  override_special = "!#$%&*()-_=+[]{}<>:?"
}

resource "random_password" "admin_token" {
  length  = 48
  special = false # sent as "Authorization: Bearer <token>": keep it header- and shell-safe
}

resource "aws_secretsmanager_secret" "db_password" {
  name                    = "${var.name}/db-password"
  description             = "Master password of the ${var.name} PostgreSQL instance (ORDERS_DB_PASSWORD)"
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "db_password" {
  secret_id     = aws_secretsmanager_secret.db_password.id
  secret_string = random_password.db.result
}

resource "aws_secretsmanager_secret" "admin_token" {
  name                    = "${var.name}/admin-token"
  description             = "Bearer token of the ${var.name} operator endpoints (ORDERS_ADMIN_TOKEN)"
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "admin_token" {
  secret_id     = aws_secretsmanager_secret.admin_token.id
  secret_string = random_password.admin_token.result
}
