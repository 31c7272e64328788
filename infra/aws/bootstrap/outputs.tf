output "state_bucket" {
  description = "S3 bucket holding the main root's state."
  value       = aws_s3_bucket.state.bucket
}

output "lock_table" {
  description = "DynamoDB table locking the main root's state."
  value       = aws_dynamodb_table.lock.name
}

output "ecr_repository_url" {
  description = "Where to push the image (docker tag ... <url>:<tag>). The main root finds the repository by name (its ecr_repository_name variable, default = name)."
  value       = aws_ecr_repository.app.repository_url
}

output "ecr_repository_name" {
  description = "ECR repository name: the ECR_REPOSITORY repository variable of the deploy workflow."
  value       = aws_ecr_repository.app.name
}

output "deploy_role_arn" {
  description = "Role the GitHub deploy workflow assumes (repository variable AWS_DEPLOY_ROLE_ARN)."
  value       = aws_iam_role.deploy.arn
}

output "backend_config" {
  description = "Write this to infra/aws/backend.hcl, then run: terraform -chdir=infra/aws init -backend-config=backend.hcl"
  value       = <<-EOT
    bucket         = "${aws_s3_bucket.state.bucket}"
    key            = "${var.name}/main.tfstate"
    region         = "${var.region}"
    dynamodb_table = "${aws_dynamodb_table.lock.name}"
    encrypt        = true
  EOT
}
