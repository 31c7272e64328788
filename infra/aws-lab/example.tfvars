# Copy to lab.tfvars (ignored by git), fill in, then: terraform apply -var-file=lab.tfvars

# Who may reach the API: your own public address, e.g. from `curl -s https://checkip.amazonaws.com`.
api_allowed_cidrs = ["203.0.113.7/32"]

# Either build the image on the instance from a public clone of the project...
git_repository_url = "https://github.com/YOUR-ORG/order-platform.git"
git_ref            = "main"

# ...or pull a ready image (an ECR image gets pull rights on its repository only):
# image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/order-platform:3f2c1ab"

# region       = "us-east-1"
# architecture = "arm64" # or "x86_64" (t3.small)
