# ECS Fargate: one image, two services chosen by ORDERS_ROLE. The api sits behind the ALB and runs
# the schema migrations; the worker has no load balancer and only validates the schema.
#
# Who deploys what (docs/deploy/aws.md, "Who deploys what"): Terraform creates the task definitions
# and the services; afterwards the deploy workflow registers new revisions of the same families
# (latest revision of the family, with the new image) and points the services at them. The services
# therefore ignore changes to task_definition (and desired_count, which autoscaling owns); a config
# change made here becomes the family's latest revision and rolls out with the next deploy.

locals {
  image = "${data.aws_ecr_repository.app.repository_url}:${var.image_tag}"

  # sslmode=require: the server refuses plain connections anyway (rds.force_ssl = 1)
  db_url = "jdbc:postgresql://${aws_db_instance.main.address}:${aws_db_instance.main.port}/${var.db_name}?sslmode=require"

  # Container environment per role. Every name is a key of application.properties (ORDERS_X_Y ->
  # orders.x.y); values are strings because ECS accepts nothing else. No ORDERS_SQS_ENDPOINT: with
  # the embedded servers off, the SDK resolves SQS's endpoint from ORDERS_SQS_REGION. No secret
  # here: the password and the token come from local.api_secrets / local.worker_secrets.
  api_environment = concat([
    { name = "ORDERS_ROLE", value = "api" },
    { name = "ORDERS_DB_POOL_SIZE", value = tostring(var.api_db_pool_size) },
    { name = "ORDERS_DB_MIGRATE", value = "true" },
  ], local.shared_environment)

  worker_environment = concat([
    { name = "ORDERS_ROLE", value = "worker" },
    { name = "ORDERS_DB_POOL_SIZE", value = tostring(var.worker_db_pool_size) },
    { name = "ORDERS_DB_MIGRATE", value = "false" },
  ], local.shared_environment)

  # what both roles are given alike
  shared_environment = [
    { name = "ORDERS_TRANSPORT", value = "sqs" },
    { name = "ORDERS_EMBEDDED_ENABLED", value = "false" },
    { name = "ORDERS_DB_URL", value = local.db_url },
    { name = "ORDERS_DB_USERNAME", value = var.db_username },
    { name = "ORDERS_SQS_REGION", value = var.region },
    { name = "ORDERS_SQS_QUEUE_NAME", value = aws_sqs_queue.orders.name },
    { name = "ORDERS_SQS_CREATE_QUEUES", value = "false" },
    { name = "ORDERS_SQS_VISIBILITY_TIMEOUT_SECONDS", value = tostring(aws_sqs_queue.orders.visibility_timeout_seconds) },
    { name = "ORDERS_SQS_MAX_RECEIVE_COUNT", value = tostring(var.sqs_max_receive_count) },
    { name = "ORDERS_LOG_FORMAT", value = "json" },
    { name = "ORDERS_METRICS_CLOUDWATCH_ENABLED", value = "true" },
    { name = "ORDERS_METRICS_CLOUDWATCH_NAMESPACE", value = var.metrics_namespace },
  ]

  # Read by the ECS agent (execution role) from Secrets Manager when a task starts. Only the api serves
  # the operator endpoints, so only the api gets the token.
  worker_secrets = [
    { name = "ORDERS_DB_PASSWORD", valueFrom = aws_secretsmanager_secret.db_password.arn },
  ]
  api_secrets = concat(local.worker_secrets, [
    { name = "ORDERS_ADMIN_TOKEN", valueFrom = aws_secretsmanager_secret.admin_token.arn },
  ])

  # Liveness only: /observe/health/live never looks at the database, so a database outage does not
  # make ECS kill and restart every task (the ALB's readiness check takes api tasks out instead).
  # curl is in the image (eclipse-temurin's Ubuntu images install it).
  container_health_check = {
    command     = ["CMD-SHELL", "curl -fsS http://127.0.0.1:8080/observe/health/live || exit 1"]
    interval    = 15
    timeout     = 5
    retries     = 3
    startPeriod = 60
  }
}

resource "aws_ecs_cluster" "main" {
  name = var.name

  # RunningTaskCount (ECS/ContainerInsights) is the divisor of the worker's scaling metric
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/ecs/${var.name}/api"
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_log_group" "worker" {
  name              = "/ecs/${var.name}/worker"
  retention_in_days = var.log_retention_days
}

resource "aws_security_group" "tasks" {
  name        = "${var.name}-tasks"
  description = "api and worker tasks: 8080 from the ALB; out to PostgreSQL and AWS APIs over HTTPS"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${var.name}-tasks" }
}

resource "aws_vpc_security_group_ingress_rule" "tasks_from_alb" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "Requests and health checks from the ALB"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_vpc_security_group_egress_rule" "tasks_to_db" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.db.id
}

# SQS, ECR, S3 (image layers), CloudWatch, Secrets Manager: public AWS endpoints behind the NAT, or
# the VPC endpoints' private addresses. DNS to the VPC resolver is not filtered by security groups.
resource "aws_vpc_security_group_egress_rule" "tasks_to_aws_apis" {
  security_group_id = aws_security_group.tasks.id
  description       = "HTTPS to AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

## Task definitions

resource "aws_ecs_task_definition" "api" {
  family                   = "${var.name}-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.api_cpu)
  memory                   = tostring(var.api_memory)
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.api_task.arn

  # the image is built on x86_64 runners (the deploy workflow); ARM64 needs a multi-arch build first
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name                   = "api"
      image                  = local.image
      essential              = true
      readonlyRootFilesystem = false
      portMappings = [
        { name = "http", containerPort = 8080, protocol = "tcp" },
      ]
      environment = local.api_environment
      secrets     = local.api_secrets
      healthCheck = local.container_health_check
      # >= camel.main.shutdownTimeout (20 s): ECS sends SIGTERM, waits this long, then SIGKILL
      stopTimeout = 30
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.api.name
          awslogs-region        = var.region
          awslogs-stream-prefix = "api"
        }
      }
    },
  ])

  lifecycle {
    precondition {
      condition     = var.api_memory >= 2 * var.api_cpu && var.api_memory <= 8 * var.api_cpu && (var.api_memory % 1024 == 0 || var.api_memory == 512)
      error_message = "api_memory must be a Fargate size for api_cpu: 2x to 8x the CPU units, in steps of 1024 MiB (512 only with 256 CPU)."
    }
  }
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "${var.name}-worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.worker_cpu)
  memory                   = tostring(var.worker_memory)
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.worker_task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name                   = "worker"
      image                  = local.image
      essential              = true
      readonlyRootFilesystem = false
      # no port mapping: nothing outside the task calls a worker; its health check runs inside
      environment = local.worker_environment
      secrets     = local.worker_secrets
      healthCheck = local.container_health_check
      stopTimeout = 30
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.worker.name
          awslogs-region        = var.region
          awslogs-stream-prefix = "worker"
        }
      }
    },
  ])

  lifecycle {
    precondition {
      condition     = var.worker_memory >= 2 * var.worker_cpu && var.worker_memory <= 8 * var.worker_cpu && (var.worker_memory % 1024 == 0 || var.worker_memory == 512)
      error_message = "worker_memory must be a Fargate size for worker_cpu: 2x to 8x the CPU units, in steps of 1024 MiB (512 only with 256 CPU)."
    }
  }
}

## Services

resource "aws_ecs_service" "api" {
  name             = "${var.name}-api"
  cluster          = aws_ecs_cluster.main.id
  task_definition  = aws_ecs_task_definition.api.arn
  desired_count    = var.api_min_count
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  # a new revision starts next to the old one and must pass the ALB's readiness check before the
  # old tasks drain; one that never becomes healthy is rolled back to the last good revision
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # time for the JVM, Camel and Flyway before the ALB's failed checks count against a new task
  health_check_grace_period_seconds = 90

  # Terraform waits until the api is stable, so the schema is migrated before the worker service
  # (which only validates it) is created on the first apply
  wait_for_steady_state = true

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "api"
    container_port   = 8080
  }

  enable_ecs_managed_tags = true
  propagate_tags          = "SERVICE"

  lifecycle {
    # task_definition: the deploy workflow owns the running revision; desired_count: autoscaling
    ignore_changes = [task_definition, desired_count]
  }

  # the target group must belong to a load balancer (through a listener) before a service uses it;
  # the roles' policies must exist before the first task starts (it calls SQS at start)
  depends_on = [aws_lb_listener.http, aws_iam_role_policy.execution, aws_iam_role_policy.api_task]
}

resource "aws_ecs_service" "worker" {
  name             = "${var.name}-worker"
  cluster          = aws_ecs_cluster.main.id
  task_definition  = aws_ecs_task_definition.worker.arn
  desired_count    = var.worker_min_count
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  enable_ecs_managed_tags = true
  propagate_tags          = "SERVICE"

  lifecycle {
    ignore_changes = [task_definition, desired_count]
  }

  # Workers validate the schema at start (ORDERS_DB_MIGRATE=false) and fail until the api has
  # migrated it: on the first apply the api service is created (and stable) first, or the worker's
  # circuit breaker would count those failures.
  depends_on = [aws_ecs_service.api, aws_iam_role_policy.execution, aws_iam_role_policy.worker_task]
}
