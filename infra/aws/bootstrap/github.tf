# GitHub Actions deploys with short-lived credentials: the workflow exchanges its OIDC token for this
# role, which only a push to the main branch of one repository can assume. No access keys exist.
#
# The role's permissions name the cluster, services and roles of the main root (infra/aws) by their
# predictable names (var.name prefix), because that root is applied after this one:
#   cluster        <name>            services      <name>-api, <name>-worker
#   task families  <name>-api, <name>-worker
#   task roles     <name>-api-task, <name>-worker-task       execution role  <name>-task-execution

locals {
  github_oidc_url = "https://token.actions.githubusercontent.com"
  github_subject  = "repo:${var.github_owner}/${var.github_repository}:ref:refs/heads/main"

  github_oidc_provider_arn = var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn

  cluster_name  = var.name
  service_names = ["${var.name}-api", "${var.name}-worker"]
  task_families = ["${var.name}-api", "${var.name}-worker"]
  passed_roles  = ["${var.name}-api-task", "${var.name}-worker-task", "${var.name}-task-execution"]
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = local.github_oidc_url
  client_id_list = ["sts.amazonaws.com"]
  # IAM no longer checks these for GitHub's issuer (it trusts its own CA store), but older provider
  # versions require the argument; these are GitHub's published intermediate thumbprints.
  thumbprint_list = [
    "6938fd4d98bab03faadb97b34396831e3780aea1",
    "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
  ]
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 0 : 1

  url = local.github_oidc_url
}

data "aws_iam_policy_document" "deploy_trust" {
  statement {
    sid     = "GitHubMainBranchOnly"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    # Exact match, no wildcard: pull requests, other branches, tags, forks and jobs that declare a
    # GitHub "environment" (their subject is repo:o/r:environment:x) cannot assume the role.
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = [local.github_subject]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${var.name}-github-deploy"
  description          = "Assumed by GitHub Actions on ${var.github_owner}/${var.github_repository} main to push the image and roll the ECS services"
  assume_role_policy   = data.aws_iam_policy_document.deploy_trust.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "deploy" {
  # docker login; the action accepts no resource ARN
  statement {
    sid       = "EcrLogin"
    effect    = "Allow"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  # docker push (and the layer reads a push makes) to this one repository
  statement {
    sid    = "EcrPushThisRepository"
    effect = "Allow"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.app.arn]
  }

  # Read the current task definition and register its successor with the new image. ECS offers no
  # resource-level permission for these two actions (Service Authorization Reference: no resource
  # type), so "*" is the only possible resource; iam:PassRole below is what bounds them: a
  # registered task definition can only carry this project's roles.
  statement {
    sid    = "TaskDefinitions"
    effect = "Allow"
    actions = [
      "ecs:DescribeTaskDefinition",
      "ecs:RegisterTaskDefinition",
    ]
    resources = ["*"]
  }

  # The workflow registers the new revision with the family's tags (describe --include TAGS); ECS
  # authorises tags given at creation as ecs:TagResource on the new revision, for this call only.
  statement {
    sid       = "TagNewRevisionsOnRegister"
    effect    = "Allow"
    actions   = ["ecs:TagResource"]
    resources = [for family in local.task_families : "arn:${local.partition}:ecs:${var.region}:${local.account_id}:task-definition/${family}:*"]

    condition {
      test     = "StringEquals"
      variable = "ecs:CreateAction"
      values   = ["RegisterTaskDefinition"]
    }
  }

  # Roll the two services and wait for them to be stable.
  statement {
    sid    = "RollTheTwoServices"
    effect = "Allow"
    actions = [
      "ecs:DescribeServices",
      "ecs:UpdateService",
    ]
    resources = [for service in local.service_names : "arn:${local.partition}:ecs:${var.region}:${local.account_id}:service/${local.cluster_name}/${service}"]
  }

  # A new task definition names the task and execution roles: hand them to ECS tasks, nothing else.
  statement {
    sid       = "PassTheTaskRoles"
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = [for role in local.passed_roles : "arn:${local.partition}:iam::${local.account_id}:role/${role}"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}
