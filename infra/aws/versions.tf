# Production-like stack: VPC, ALB, ECS Fargate (api and worker), RDS PostgreSQL, SQS, autoscaling.
# Apply infra/aws/bootstrap first: it creates the state bucket, the lock table and the ECR repository
# this root reads. See docs/deploy/aws.md.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # Partial configuration: bucket, key, region and dynamodb_table come from the bootstrap output
  # backend_config, written to backend.hcl (git-ignored) and passed at init:
  #   terraform -chdir=infra/aws init -backend-config=backend.hcl
  backend "s3" {}
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
    Stack     = "main"
  })

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
}
