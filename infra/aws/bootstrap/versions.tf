# The bootstrap root creates what the main root needs before it can run: the remote state bucket and
# its lock table, the image repository, and the GitHub deploy role. Its own state stays local
# (terraform.tfstate in this folder): keep that file safe, or import the resources again.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  tags = merge(var.tags, {
    Project   = var.name
    ManagedBy = "terraform"
    Stack     = "bootstrap"
  })

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # Bucket names are global: the account id and region make the default unique.
  state_bucket_name = var.state_bucket_name != "" ? var.state_bucket_name : "${var.name}-tfstate-${local.account_id}-${var.region}"
}
