variable "name" {
  description = "Prefix of every name. Must equal var.name of the main root (infra/aws): the deploy role's permissions name the cluster, services and roles that root creates from it."
  type        = string
  default     = "order-platform"

  validation {
    # the longest derived name ("<name>-worker-task" for an IAM role, "<name>-api" for a target
    # group) must stay within AWS limits; RDS identifiers refuse "--" and a trailing hyphen
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}[a-z0-9]$", var.name)) && !strcontains(var.name, "--")
    error_message = "name: 3-22 characters, lower-case letters, digits and single hyphens, starting with a letter."
  }
}

variable "region" {
  description = "AWS region of the state bucket, the lock table, the ECR repository and (in the main root) the whole stack."
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

variable "state_bucket_name" {
  description = "Name of the S3 bucket for the main root's state. Empty = \"<name>-tfstate-<account id>-<region>\"."
  type        = string
  default     = ""

  validation {
    condition     = var.state_bucket_name == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be a valid S3 bucket name (3-63 characters, lower case, digits, dots, hyphens)."
  }
}

variable "state_bucket_force_destroy" {
  description = "Let terraform destroy delete the state bucket with every state version in it. Keep false except when tearing the whole project down on purpose."
  type        = bool
  default     = false
}

variable "state_noncurrent_version_days" {
  description = "Days an overwritten state version is kept before S3 deletes it (the history that lets you recover a broken state)."
  type        = number
  default     = 90

  validation {
    condition     = var.state_noncurrent_version_days >= 7
    error_message = "Keep overwritten state versions at least 7 days: they are the only way back from a damaged state."
  }
}

variable "ecr_keep_images" {
  description = "How many images the ECR lifecycle policy keeps (newest first). Older images are deleted: a rollback can only go back this far."
  type        = number
  default     = 30

  validation {
    condition     = var.ecr_keep_images >= 5 && var.ecr_keep_images <= 1000
    error_message = "ecr_keep_images must be between 5 and 1000: fewer would delete images a running or rolled-back task may still need."
  }
}

variable "ecr_force_delete" {
  description = "Let terraform destroy delete the ECR repository while it still holds images."
  type        = bool
  default     = false
}

variable "github_owner" {
  description = "GitHub owner (user or organisation) of the repository whose main branch may deploy, as in github.com/<owner>/<repo>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$", var.github_owner))
    error_message = "github_owner must be a GitHub user or organisation name."
  }
}

variable "github_repository" {
  description = "GitHub repository name (without the owner) whose main branch may assume the deploy role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,100}$", var.github_repository))
    error_message = "github_repository must be a repository name such as order-platform (no owner, no slash)."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the IAM OIDC provider for token.actions.githubusercontent.com. An account has at most one per URL: set false when it already exists, and it is looked up instead."
  type        = bool
  default     = true
}
