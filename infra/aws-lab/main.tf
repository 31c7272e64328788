# Order Platform: the AWS lab
#
# A low-cost way to run the service on AWS with the real SQS (cost estimate, from the price list, in
# docs/deploy/aws-lab.md): ONE EC2 instance running three containers with Docker Compose
# (compose.yaml beside this file):
#   postgres  PostgreSQL 17, data in a Docker volume on the instance's encrypted root disk
#   api       the project's image with ORDERS_ROLE=api    (HTTP intake, relays the outbox to SQS, migrates)
#   worker    the project's image with ORDERS_ROLE=worker (receives from SQS, processes, deletes)
# plus, outside the instance:
#   SQS       the work queue <name>-orders and its redrive DLQ <name>-orders-dlq (the service finds the DLQ
#             by exactly that name), encrypted with SQS-managed keys
#   SSM       the database password and the operator token as SecureString parameters, generated here and
#             read by the instance at every start of the service (never in user data or outputs)
#   IAM       an instance profile allowed exactly the SQS calls of both roles on these two queues, the two
#             parameters, and Session Manager
#   SG        only the API port, only from api_allowed_cidrs; no SSH (use `aws ssm start-session`)
#
# Not highly available, no backups, one public IP that changes when the instance is stopped and started:
# a lab. The production-like stack is infra/aws. Steps, costs, rotation and DLQ redrive:
# docs/deploy/aws-lab.md. terraform validate/plan have not been run on this tree (see that page).
#
# Files: versions.tf (pins), variables.tf (inputs), main.tf (instance, network, secrets),
# queues.tf (SQS), iam.tf (instance role), outputs.tf, user-data.sh.tftpl and host/ (what runs on the
# instance), compose.yaml (the containers).

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

locals {
  # The stack's own tags win over var.tags so a resource can always be traced back to this stack.
  tags = merge(var.tags, {
    Project   = "order-platform"
    Stack     = var.name
    ManagedBy = "terraform"
  })

  root_volume_tags = merge(local.tags, { Name = "${var.name}-root" })

  instance_type = coalesce(var.instance_type, var.architecture == "arm64" ? "t4g.small" : "t3.small")

  # Must stay >= orders.outbox.lock-timeout-seconds (30): a message must not reappear while the worker that
  # received it still holds the order's lease. Passed to the service too (ORDERS_SQS_VISIBILITY_TIMEOUT_SECONDS).
  visibility_timeout_seconds = 30

  queue_name = "${var.name}-orders"
  # The service looks its DLQ up as <queue-name>-dlq: this suffix is part of its contract, not a style.
  dlq_name = "${local.queue_name}-dlq"

  # An ECR image reference (account.dkr.ecr.region.amazonaws.com/repository[:tag][@digest]) gets pull rights
  # on that one repository; any other registry is pulled anonymously; empty = build on the instance.
  ecr                = try(regex("^(?P<account>[0-9]{12})\\.dkr\\.ecr\\.(?P<region>[a-z0-9-]+)\\.amazonaws\\.com/(?P<repository>[a-z0-9][a-z0-9._/-]*)(?::[A-Za-z0-9_.-]+)?(?:@sha256:[0-9a-f]{64})?$", var.image), null)
  ecr_repository_arn = local.ecr == null ? null : "arn:${data.aws_partition.current.partition}:ecr:${local.ecr.region}:${local.ecr.account}:repository/${local.ecr.repository}"

  # Docker tags allow [A-Za-z0-9_.-]: a ref such as feature/x becomes order-platform:feature-x.
  built_image = "order-platform:${replace(var.git_ref, "/[^A-Za-z0-9_.-]/", "-")}"

  # Non-secret settings the instance keeps in /opt/order-platform/lab.env. host/prepare.sh copies them into
  # the compose project's .env together with the two secrets it reads from SSM, and compose.yaml
  # interpolates them. Single-quoted for the shell; the variable validations keep quotes out of them.
  host_settings = {
    AWS_REGION                            = var.region
    ORDERS_IMAGE                          = var.image != "" ? var.image : local.built_image
    ORDERS_SQS_REGION                     = var.region
    ORDERS_SQS_QUEUE_NAME                 = aws_sqs_queue.orders.name
    ORDERS_SQS_VISIBILITY_TIMEOUT_SECONDS = tostring(local.visibility_timeout_seconds)
    ORDERS_SQS_MAX_RECEIVE_COUNT          = tostring(var.max_receive_count)
    API_PORT                              = tostring(var.api_port)
    DB_PASSWORD_PARAMETER                 = aws_ssm_parameter.db_password.name
    ADMIN_TOKEN_PARAMETER                 = aws_ssm_parameter.admin_token.name
    ECR_REGISTRY                          = local.ecr == null ? "" : "${local.ecr.account}.dkr.ecr.${local.ecr.region}.amazonaws.com"
    ECR_REGION                            = local.ecr == null ? "" : local.ecr.region
    BUILD_REPOSITORY_URL                  = var.image == "" ? var.git_repository_url : ""
    BUILD_REF                             = var.image == "" ? var.git_ref : ""
  }
  lab_env = join("", [for k in sort(keys(local.host_settings)) : "${k}='${local.host_settings[k]}'\n"])

  # Every file the instance needs travels in the user data (base64, so no quoting can break it); no secret
  # is among them.
  user_data = templatefile("${path.module}/user-data.sh.tftpl", {
    compose_version = var.compose_version
    compose_yaml    = file("${path.module}/compose.yaml")
    lab_env         = local.lab_env
    prepare_sh      = file("${path.module}/host/prepare.sh")
    rotate_db_sh    = file("${path.module}/host/rotate-db-password.sh")
    service_unit    = file("${path.module}/host/order-platform.service")
  })
}

data "aws_partition" "current" {}

# Amazon Linux 2023, latest, of the chosen architecture: AWS's public parameter, so no AMI id goes stale here.
data "aws_ssm_parameter" "al2023" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${var.architecture}"
}

data "aws_ec2_instance_type" "lab" {
  instance_type = local.instance_type
}

# Not every availability zone offers every type (t4g is missing from some): pick a subnet where it runs.
data "aws_ec2_instance_type_offerings" "lab" {
  location_type = "availability-zone"

  filter {
    name   = "instance-type"
    values = [local.instance_type]
  }
}

data "aws_vpc" "default" {
  count   = var.subnet_id == null ? 1 : 0
  default = true
}

data "aws_subnets" "default" {
  count = var.subnet_id == null ? 1 : 0

  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default[0].id]
  }

  filter {
    name   = "default-for-az"
    values = ["true"]
  }

  filter {
    name   = "availability-zone"
    values = data.aws_ec2_instance_type_offerings.lab.locations
  }

  lifecycle {
    postcondition {
      condition     = length(self.ids) > 0
      error_message = "The default VPC has no default subnet in an availability zone that offers this instance type: set subnet_id to a public subnet, or create the default subnets (aws ec2 create-default-subnet)."
    }
  }
}

data "aws_subnet" "lab" {
  id = var.subnet_id != null ? var.subnet_id : sort(data.aws_subnets.default[0].ids)[0]
}

# ---------------------------------------------------------------------------------------------------------
# Secrets: generated here, stored as SecureString (AWS-managed key aws/ssm), read by host/prepare.sh with the
# instance role at every start of the service. They are in the Terraform state: keep the state private.

resource "random_password" "db" {
  # Letters and digits only: the value passes through a compose .env file and a JDBC connection.
  length  = 32
  special = false
}

resource "random_password" "admin_token" {
  length  = 40
  special = false
}

resource "aws_ssm_parameter" "db_password" {
  name        = "/${var.name}/db-password"
  description = "Password of the PostgreSQL user orders on the lab instance (ORDERS_DB_PASSWORD)."
  type        = "SecureString"
  value       = random_password.db.result
}

resource "aws_ssm_parameter" "admin_token" {
  name        = "/${var.name}/admin-token"
  description = "Bearer token of the operator endpoints /dlq (ORDERS_ADMIN_TOKEN)."
  type        = "SecureString"
  value       = random_password.admin_token.result
}

# ---------------------------------------------------------------------------------------------------------
# Network: only the API port, only from the chosen addresses. No SSH port: Session Manager reaches the
# instance through its agent's outbound connection.

resource "aws_security_group" "lab" {
  name        = "${var.name}-api"
  description = "Order Platform lab: API port from api_allowed_cidrs, all egress"
  vpc_id      = data.aws_subnet.lab.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "api" {
  for_each = toset(var.api_allowed_cidrs)

  security_group_id = aws_security_group.lab.id
  description       = "Order Platform API"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = var.api_port
  to_port           = var.api_port
}

# Open egress: dnf and image registries, GitHub (compose plugin, the source to build), and the SQS, SSM and
# ECR endpoints, all over the internet gateway (a VPC endpoint each would cost more than the instance).
resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.lab.id
  description       = "Packages, images, SQS, SSM"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

# ---------------------------------------------------------------------------------------------------------
# The instance

resource "aws_instance" "lab" {
  ami                         = data.aws_ssm_parameter.al2023.insecure_value
  instance_type               = local.instance_type
  subnet_id                   = data.aws_subnet.lab.id
  vpc_security_group_ids      = [aws_security_group.lab.id]
  associate_public_ip_address = true
  iam_instance_profile        = aws_iam_instance_profile.lab.name
  # gzip: the script carries five files and EC2 allows 16 KB of user data; cloud-init unpacks it.
  user_data_base64 = base64gzip(local.user_data)
  # User data runs only at the first boot: a change to it (compose.yaml, host/, image, git ref) takes
  # effect only on a new instance. That new instance starts with an EMPTY database (see the docs).
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint = "enabled"
    # IMDSv2 only: no credential theft through a request-forgery bug with a plain GET.
    http_tokens = "required"
    # 2, not 1: the api and worker containers sit in Docker's bridge network, one hop behind the host, and
    # get their SQS credentials from the instance profile through IMDS. With 1 the token response never
    # reaches them and the SDK finds no credentials.
    http_put_response_hop_limit = 2
    instance_metadata_tags      = "disabled"
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_size_gb
    encrypted             = true
    delete_on_termination = true
    # Block devices do not inherit the provider's default_tags.
    tags = local.root_volume_tags
  }

  tags = {
    Name = var.name
  }

  # Resources the first boot needs that the instance does not otherwise wait for: the egress rule (the security
  # group starts with none, and the user data installs packages at once) and the role's policies (the first
  # start reads SSM and SQS).
  depends_on = [
    aws_vpc_security_group_egress_rule.all,
    aws_iam_role_policy.lab,
    aws_iam_role_policy.ecr_pull,
    aws_iam_role_policy_attachment.ssm_core,
  ]

  lifecycle {
    # A new Amazon Linux release must not replace the instance (and its database) on the next apply.
    ignore_changes = [ami]

    precondition {
      condition     = contains(data.aws_ec2_instance_type.lab.supported_architectures, var.architecture)
      error_message = "instance_type does not support the chosen architecture: use a Graviton type (t4g, m7g...) for arm64 or an Intel/AMD type (t3, m7i...) for x86_64."
    }

    precondition {
      condition     = data.aws_ec2_instance_type.lab.memory_size >= 2048
      error_message = "instance_type needs at least 2 GiB of memory: PostgreSQL and two JVMs run on it (compose.yaml limits them to about 1.7 GiB together)."
    }

    precondition {
      condition     = var.image != "" || var.git_repository_url != ""
      error_message = "Set image (an image to pull) or git_repository_url (a repository to build the image from on the instance)."
    }
  }
}
