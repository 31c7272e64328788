terraform {
  # 1.6: the oldest release this tree is written for (data-source postconditions, lifecycle preconditions,
  # templatefile, regex named groups); nothing newer is required.
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.8 added insecure_value to data.aws_ssm_parameter (the AMI id is not a secret); below 6.0
      # because 6.x changes provider arguments this tree has not been checked against.
      version = ">= 5.40.0, < 6.0.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.6.0, < 4.0.0"
    }
  }
}
