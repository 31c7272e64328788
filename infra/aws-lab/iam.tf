# The instance role: what the containers (through IMDS, see metadata_options in main.tf) and the host scripts
# may do. Exactly the SQS calls the service makes, on exactly its two queues; nothing with "*" except
# ecr:GetAuthorizationToken, which AWS offers only on "*".

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    sid     = "Ec2AssumesTheLabRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lab" {
  name               = "${var.name}-instance"
  description        = "Order Platform lab instance: SQS for the api and worker containers, its two SSM parameters, Session Manager"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
}

resource "aws_iam_instance_profile" "lab" {
  name = "${var.name}-instance"
  role = aws_iam_role.lab.name
}

# The lab runs both roles on one instance, so the policy is the union of the api's and the worker's calls
# (CONTRACT.md of issue 10; each batch call is authorised by its single action).
data "aws_iam_policy_document" "lab" {
  # Both roles, at start-up and in the readiness check: the queue URLs by name, the redrive policy and
  # depth by attributes.
  statement {
    sid       = "LookUpBothQueues"
    actions   = ["sqs:GetQueueUrl", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.orders.arn, aws_sqs_queue.orders_dlq.arn]
  }

  # api: the outbox relay sends in batches (SendMessageBatch is authorised by sqs:SendMessage).
  statement {
    sid       = "ApiRelaysToTheWorkQueue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.orders.arn]
  }

  # worker: receives, deletes in batches (DeleteMessageBatch -> sqs:DeleteMessage), and keeps a message
  # invisible until its retry is due.
  statement {
    sid       = "WorkerConsumesTheWorkQueue"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"]
    resources = [aws_sqs_queue.orders.arn]
  }

  # host/prepare.sh reads the two secrets at every start. No kms:Decrypt: the AWS-managed key aws/ssm already
  # lets every principal of the account decrypt through SSM.
  statement {
    sid       = "ReadTheLabSecrets"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = [aws_ssm_parameter.db_password.arn, aws_ssm_parameter.admin_token.arn]
  }
}

resource "aws_iam_role_policy" "lab" {
  name   = "order-platform"
  role   = aws_iam_role.lab.id
  policy = data.aws_iam_policy_document.lab.json
}

# Session Manager (the shell and the logs without an SSH port): AWS's managed policy for the SSM agent.
resource "aws_iam_role_policy_attachment" "ssm_core" {
  role       = aws_iam_role.lab.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

# Only when var.image is in ECR: pull from that one repository.
data "aws_iam_policy_document" "ecr_pull" {
  count = local.ecr == null ? 0 : 1

  # docker login needs a registry token; AWS defines this action on "*" only.
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullTheServiceImage"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [local.ecr_repository_arn]
  }
}

resource "aws_iam_role_policy" "ecr_pull" {
  count = local.ecr == null ? 0 : 1

  name   = "ecr-pull"
  role   = aws_iam_role.lab.id
  policy = data.aws_iam_policy_document.ecr_pull[0].json
}
