# Inputs of the lab stack. Only api_allowed_cidrs has no default, plus either image or git_repository_url
# must be set: see example.tfvars.

variable "region" {
  description = "AWS region of every resource (the instance, both queues, the SSM parameters). The services read it as ORDERS_SQS_REGION."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as us-east-1 or eu-west-3."
  }
}

variable "name" {
  description = "Prefix of every name: the queues are <name>-orders and <name>-orders-dlq, the SSM parameters /<name>/..., the IAM role <name>-instance. Keep it distinct from the production stack's name to run both in one account."
  type        = string
  default     = "order-platform-lab"

  validation {
    # SQS allows 80 characters (<name>-orders-dlq adds 11); IAM role names 64 (<name>-instance adds 9).
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lower-case letters, digits and '-', starting with a letter and not ending with '-'."
  }
}

variable "architecture" {
  description = "CPU architecture of the instance: arm64 (Graviton, t4g, cheaper) or x86_64 (t3). Picks the Amazon Linux 2023 AMI and the default instance type."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "instance_type" {
  description = "EC2 instance type; null = t4g.small for arm64, t3.small for x86_64. It must support the architecture and have at least 2 GiB of memory (PostgreSQL and two JVMs): checked at plan time."
  type        = string
  default     = null

  validation {
    condition     = var.instance_type == null || can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must look like t4g.small or t3.medium (or be null for the default of the architecture)."
  }
}

variable "root_volume_size_gb" {
  description = "Size of the encrypted gp3 root volume in GiB. It holds the OS, the images (the on-host build pulls a Maven image of about 1 GB) and the PostgreSQL data."
  type        = number
  default     = 20

  validation {
    condition     = var.root_volume_size_gb >= 12 && var.root_volume_size_gb <= 500 && floor(var.root_volume_size_gb) == var.root_volume_size_gb
    error_message = "root_volume_size_gb must be a whole number from 12 (the AMI's 8 GiB plus room for images) to 500."
  }
}

variable "subnet_id" {
  description = "Subnet of the instance; null = a default subnet of the default VPC in an availability zone that offers the instance type. A subnet you give must be public (a route to an internet gateway): the instance gets a public IP and reaches SQS, SSM and the package mirrors through it."
  type        = string
  default     = null

  validation {
    condition     = var.subnet_id == null || can(regex("^subnet-[0-9a-f]{8,17}$", var.subnet_id))
    error_message = "subnet_id must be a subnet id (subnet-0123abcd...) or null."
  }
}

variable "api_allowed_cidrs" {
  description = "IPv4 CIDR blocks allowed to reach the API port, e.g. [\"203.0.113.7/32\"] for your own address. No default on purpose: the operator endpoints are behind a token, but orders are not, so choose who may reach it."
  type        = list(string)

  validation {
    condition     = length(var.api_allowed_cidrs) > 0
    error_message = "api_allowed_cidrs must name at least one CIDR block (your address as a.b.c.d/32)."
  }

  validation {
    # cidrnetmask accepts only IPv4; the address must be the network's own (203.0.113.0/24, not .7/24).
    condition     = alltrue([for c in var.api_allowed_cidrs : can(cidrnetmask(c)) && try(cidrhost(c, 0) == split("/", c)[0], false)])
    error_message = "Every entry of api_allowed_cidrs must be an IPv4 CIDR block whose address is the network address, e.g. 203.0.113.7/32 or 198.51.100.0/24."
  }
}

variable "api_port" {
  description = "Port of the API on the instance's public address (the container always listens on 8080, CAMEL_SERVER_PORT). The security group opens only this port."
  type        = number
  default     = 8080

  validation {
    condition     = var.api_port >= 1 && var.api_port <= 65535 && floor(var.api_port) == var.api_port && var.api_port != 22
    error_message = "api_port must be a TCP port from 1 to 65535 (not 22: the lab has no SSH, it uses Session Manager)."
  }
}

variable "image" {
  description = "Container image of the service, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/order-platform:3f2c1ab. Empty = build the image on the instance from git_repository_url at git_ref with the repository's Dockerfile. An ECR image gives the instance pull rights on that one repository."
  type        = string
  default     = ""

  validation {
    condition     = var.image == "" || can(regex("^[a-z0-9][a-zA-Z0-9._/:@-]*$", var.image))
    error_message = "image must be an image reference (registry/repository:tag or @sha256:digest) without spaces or quotes, or empty to build on the instance."
  }
}

variable "git_repository_url" {
  description = "HTTPS URL of the project's git repository, cloned on the instance to build the image when image is empty (a public repository: the instance has no git credentials)."
  type        = string
  default     = ""

  validation {
    condition     = var.git_repository_url == "" || can(regex("^https://[A-Za-z0-9._~:/%+-]+$", var.git_repository_url))
    error_message = "git_repository_url must be an https:// URL without spaces or quotes (or empty when image is set)."
  }
}

variable "git_ref" {
  description = "Branch, tag or full commit id of git_repository_url to build (used only when image is empty)."
  type        = string
  default     = "main"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/-]{1,100}$", var.git_ref)) && !startswith(var.git_ref, "-")
    error_message = "git_ref must be a branch, tag or commit id: letters, digits, '.', '_', '/', '-', not starting with '-'."
  }
}

variable "compose_version" {
  description = "Release of the Docker Compose v2 plugin installed on the instance (Amazon Linux 2023 packages Docker but not the compose plugin); its checksum is verified against the release's .sha256 file."
  type        = string
  default     = "v2.40.3"

  validation {
    condition     = can(regex("^v2\\.[0-9]+\\.[0-9]+$", var.compose_version))
    error_message = "compose_version must be a Compose v2 release tag such as v2.40.3."
  }
}

variable "max_receive_count" {
  description = "Receives of one SQS message before the redrive policy moves it to <queue>-dlq; also passed to the service as ORDERS_SQS_MAX_RECEIVE_COUNT. Must exceed orders.retry.max-attempts (default 3)."
  type        = number
  default     = 10

  validation {
    condition     = var.max_receive_count > 3 && var.max_receive_count <= 1000 && floor(var.max_receive_count) == var.max_receive_count
    error_message = "max_receive_count must be a whole number from 4 to 1000 (SQS's limit): it must exceed orders.retry.max-attempts (default 3) because every business retry is another receive of the same message; at 3 or less SQS would move an order's message to the DLQ while the service still has attempts left for it."
  }
}

variable "tags" {
  description = "Extra tags for every resource, merged under the stack's own (Project, Stack, ManagedBy), which win on a clash."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags: keys up to 128 characters, values up to 256, and no key may start with aws: (reserved by AWS)."
  }
}
