# Every knob of the main root. metrics_namespace and alarm_email are declared in observability.tf.

## Naming and placement

variable "name" {
  description = "Prefix of every name (cluster, services, roles, queues, database). Must equal the bootstrap root's name: the deploy role's permissions are written for these names."
  type        = string
  default     = "order-platform"

  validation {
    # the longest derived names ("<name>-worker-task", "<name>-orders-dlq", target group "<name>-api")
    # stay within AWS limits; RDS identifiers refuse "--" and a trailing hyphen
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name: 3-22 characters, lower-case letters, digits and single hyphens, starting with a letter."
  }
}

variable "region" {
  description = "AWS region of the whole stack (and of ORDERS_SQS_REGION: the SDK resolves SQS's endpoint from it)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must look like us-east-1."
  }
}

variable "tags" {
  description = "Extra tags for every resource (added to Project, ManagedBy and Stack)."
  type        = map(string)
  default     = {}
}

## Network

variable "vpc_cidr" {
  description = "CIDR of the VPC. Two public /24s (ALB, NAT) and two private /24s (tasks, RDS) are carved from it."
  type        = string
  default     = "10.20.0.0/16"

  validation {
    # HCL's && does not short-circuit: both sides must be safe on any string
    condition     = can(cidrnetmask(var.vpc_cidr)) && can(regex("/([0-9]|1[0-9]|20)$", var.vpc_cidr))
    error_message = "vpc_cidr must be a valid IPv4 CIDR of /20 or larger (four /24 subnets are carved from it)."
  }
}

variable "nat_gateways" {
  description = "\"single\" (one NAT gateway, default: cheapest, the private subnets lose internet access if its AZ fails), \"per_az\" (one per AZ, survives an AZ failure) or \"none\" (only with enable_vpc_endpoints = true: tasks reach AWS through interface endpoints)."
  type        = string
  default     = "single"

  validation {
    condition     = contains(["single", "per_az", "none"], var.nat_gateways)
    error_message = "nat_gateways must be single, per_az or none."
  }
}

variable "enable_vpc_endpoints" {
  description = "Create VPC endpoints (S3 gateway; interface endpoints for SQS, ECR api/dkr, CloudWatch Logs, CloudWatch metrics, Secrets Manager) so AWS traffic stays off the NAT. Required when nat_gateways = \"none\"."
  type        = bool
  default     = false
}

## Load balancer

variable "allowed_cidrs" {
  description = "IPv4 CIDRs that may reach the ALB on 80 (and 443 with a certificate). Narrow it to your office or VPN for a private trial."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.allowed_cidrs) > 0 && alltrue([for cidr in var.allowed_cidrs : can(cidrnetmask(cidr))])
    error_message = "allowed_cidrs must be a non-empty list of IPv4 CIDRs such as 203.0.113.0/24."
  }
}

variable "certificate_arn" {
  description = "ACM certificate ARN (same region) for an HTTPS listener on 443; HTTP then only redirects to HTTPS. Empty = HTTP only (the operator token then crosses the internet in clear: trials only)."
  type        = string
  default     = ""

  validation {
    condition     = var.certificate_arn == "" || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be empty or an ACM certificate ARN."
  }
}

## Image and tasks

variable "ecr_repository_name" {
  description = "ECR repository created by the bootstrap root. Empty = name."
  type        = string
  default     = ""
}

variable "image_tag" {
  description = "Tag of the image (in the ECR repository) that Terraform's task definitions name: the tag pushed by hand before the first apply. Later deploys are made by the deploy workflow, which registers new revisions with its own tag (docs/deploy/aws.md, \"Who deploys what\")."
  type        = string

  validation {
    # tags are immutable in ECR; "latest" would be pushed once and never again
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a valid Docker tag other than latest (the repository's tags are immutable: use the commit SHA)."
  }
}

variable "api_cpu" {
  description = "Fargate CPU units of an api task (256 = 0.25 vCPU)."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.api_cpu)
    error_message = "api_cpu must be one of 256, 512, 1024, 2048, 4096."
  }
}

variable "api_memory" {
  description = "Memory (MiB) of an api task; Fargate allows 2x to 8x the CPU units (JAVA_OPTS gives the heap 75 %)."
  type        = number
  default     = 1024

  validation {
    condition     = var.api_memory >= 512 && var.api_memory <= 30720
    error_message = "api_memory must be between 512 and 30720 MiB."
  }
}

variable "worker_cpu" {
  description = "Fargate CPU units of a worker task."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.worker_cpu)
    error_message = "worker_cpu must be one of 256, 512, 1024, 2048, 4096."
  }
}

variable "worker_memory" {
  description = "Memory (MiB) of a worker task; Fargate allows 2x to 8x the CPU units."
  type        = number
  default     = 1024

  validation {
    condition     = var.worker_memory >= 512 && var.worker_memory <= 30720
    error_message = "worker_memory must be between 512 and 30720 MiB."
  }
}

variable "api_db_pool_size" {
  description = "ORDERS_DB_POOL_SIZE of each api task. (api_max_count x api_db_pool_size + worker_max_count x worker_db_pool_size) must stay below the database's max_connections (about 200 on db.t4g.small)."
  type        = number
  default     = 10

  validation {
    condition     = var.api_db_pool_size >= 2 && var.api_db_pool_size <= 100
    error_message = "api_db_pool_size must be between 2 and 100."
  }
}

variable "worker_db_pool_size" {
  description = "ORDERS_DB_POOL_SIZE of each worker task (see api_db_pool_size for the connection budget)."
  type        = number
  default     = 10

  validation {
    condition     = var.worker_db_pool_size >= 2 && var.worker_db_pool_size <= 100
    error_message = "worker_db_pool_size must be between 2 and 100."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the api and worker logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

## Autoscaling

variable "api_min_count" {
  description = "Fewest api tasks. 2 keeps one in each AZ, so an AZ failure or a task replacement never leaves the ALB without a target."
  type        = number
  default     = 2

  validation {
    condition     = var.api_min_count >= 1
    error_message = "api_min_count must be at least 1."
  }
}

variable "api_max_count" {
  description = "Most api tasks the CPU target may start."
  type        = number
  default     = 4

  validation {
    condition     = var.api_max_count >= 1 && var.api_max_count <= 100
    error_message = "api_max_count must be between 1 and 100 (and not below api_min_count)."
  }
}

variable "api_cpu_target" {
  description = "Average CPU utilisation (%) of the api service that target tracking holds."
  type        = number
  default     = 60

  validation {
    condition     = var.api_cpu_target >= 20 && var.api_cpu_target <= 90
    error_message = "api_cpu_target must be between 20 and 90 %."
  }
}

variable "worker_min_count" {
  description = "Fewest worker tasks. At least 1: the scaling metric divides the backlog by the running tasks, and with none there is nothing to divide by (the policy would never scale out from zero)."
  type        = number
  default     = 1

  validation {
    condition     = var.worker_min_count >= 1
    error_message = "worker_min_count must be at least 1 (backlog per task is undefined with zero running tasks)."
  }
}

variable "worker_max_count" {
  description = "Most worker tasks the backlog target may start."
  type        = number
  default     = 8

  validation {
    condition     = var.worker_max_count >= 1 && var.worker_max_count <= 100
    error_message = "worker_max_count must be between 1 and 100 (and not below worker_min_count)."
  }
}

variable "worker_backlog_per_task" {
  description = "Visible SQS messages per running worker task that target tracking holds: acceptable queue latency (s) x messages one task processes per second. 100 = a task that processes 10 orders/s keeps the wait near 10 s."
  type        = number
  default     = 100

  validation {
    condition     = var.worker_backlog_per_task >= 1
    error_message = "worker_backlog_per_task must be at least 1."
  }
}

## SQS

variable "sqs_max_receive_count" {
  description = "Receives of one message before SQS's redrive moves it to <queue>-dlq. Every business retry of an order is another receive of the same message (the worker changes its visibility to schedule the retry), so this must exceed orders.retry.max-attempts (3): otherwise SQS dead-letters a message whose order still has attempts left, before the service can record the failure in its own DLQ."
  type        = number
  default     = 10

  validation {
    condition     = var.sqs_max_receive_count > 3 && var.sqs_max_receive_count <= 1000
    error_message = "sqs_max_receive_count must be greater than 3 (orders.retry.max-attempts: every retry is a receive) and at most 1000."
  }
}

variable "sqs_retention_days" {
  description = "Days the work queue keeps an unconsumed message. The DLQ keeps 14 days, longer than this, because a redriven message keeps its original enqueue time."
  type        = number
  default     = 4

  validation {
    condition     = var.sqs_retention_days >= 1 && var.sqs_retention_days <= 13
    error_message = "sqs_retention_days must be between 1 and 13 (below the DLQ's 14 days)."
  }
}

## Database

variable "db_instance_class" {
  description = "RDS instance class. db.t4g.small (2 GiB, about 200 connections) fits the default pools (4 x 10 + 8 x 10)."
  type        = string
  default     = "db.t4g.small"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.db_instance_class))
    error_message = "db_instance_class must look like db.t4g.small."
  }
}

variable "db_allocated_storage" {
  description = "Initial gp3 storage (GiB) of the database."
  type        = number
  default     = 20

  validation {
    condition     = var.db_allocated_storage >= 20 && var.db_allocated_storage <= 65536
    error_message = "db_allocated_storage must be between 20 and 65536 GiB."
  }
}

variable "db_max_allocated_storage" {
  description = "Ceiling (GiB) for RDS storage autoscaling; equal to db_allocated_storage turns autoscaling off."
  type        = number
  default     = 100

  validation {
    condition     = var.db_max_allocated_storage >= 20 && var.db_max_allocated_storage <= 65536
    error_message = "db_max_allocated_storage must be between 20 and 65536 GiB (and not below db_allocated_storage)."
  }
}

variable "db_name" {
  description = "Database created on the instance (the path of ORDERS_DB_URL)."
  type        = string
  default     = "orders"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_name))
    error_message = "db_name must start with a letter and hold lower-case letters, digits and underscores (at most 63)."
  }
}

variable "db_username" {
  description = "Master user of the database, used by both services (ORDERS_DB_USERNAME). Its password is generated and kept in Secrets Manager."
  type        = string
  default     = "orders"

  validation {
    # RDS reserves some names; "postgres" and "rdsadmin" are refused or confusing
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_username)) && !contains(["postgres", "rdsadmin", "admin"], var.db_username)
    error_message = "db_username must start with a letter, hold lower-case letters, digits and underscores, and not be postgres, rdsadmin or admin."
  }
}

variable "db_backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 7

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be between 1 and 35: 0 would turn automated backups off."
  }
}

variable "db_multi_az" {
  description = "Run a synchronous standby in the other AZ (automatic failover, about twice the instance cost)."
  type        = bool
  default     = false
}

variable "db_deletion_protection" {
  description = "Refuse to delete the database (terraform destroy fails until this is set false and applied)."
  type        = bool
  default     = true
}

variable "db_skip_final_snapshot" {
  description = "Delete the database without a final snapshot. Keep false: the final snapshot (<name>-final) is the last copy of every order."
  type        = bool
  default     = false
}

variable "db_performance_insights" {
  description = "Turn on Performance Insights (7 days free retention). Not every instance class supports it: check the class first."
  type        = bool
  default     = false
}

variable "db_apply_immediately" {
  description = "Apply database changes (class, storage, parameters) at once instead of in the next maintenance window. A class change restarts the instance."
  type        = bool
  default     = false
}

## Secrets

variable "secret_recovery_window_days" {
  description = "Days a deleted secret can still be restored. 0 deletes at once (a destroy followed by a new apply with the same name then works at once)."
  type        = number
  default     = 7

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or between 7 and 30 (Secrets Manager's limits)."
  }
}
