# The public entry: an internet-facing ALB in the public subnets, forwarding to the api tasks.
# With var.certificate_arn, HTTPS on 443 serves and HTTP on 80 only redirects to it.

locals {
  https_enabled = var.certificate_arn != ""
}

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "HTTP(S) from allowed_cidrs to the ALB; the ALB to the api tasks only"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${var.name}-alb" }
}

# one rule per allowed CIDR and port; 443 only when there is an HTTPS listener
resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  for_each = toset(var.allowed_cidrs)

  security_group_id = aws_security_group.alb.id
  description       = "HTTP from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each = local.https_enabled ? toset(var.allowed_cidrs) : toset([])

  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_egress_rule" "alb_to_tasks" {
  security_group_id            = aws_security_group.alb.id
  description                  = "Requests and health checks to the api tasks"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.tasks.id
}

resource "aws_lb" "api" {
  name               = "${var.name}-api"
  internal           = false
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
  subnets            = aws_subnet.public[*].id

  # requests with malformed headers are dropped at the edge instead of reaching the service
  drop_invalid_header_fields = true
  # below the service's orders.http.idle-timeout-ms (60 s): the balancer closes an idle connection first, so it
  # never sends a request on one the service is closing (a 502)
  idle_timeout = 50
}

resource "aws_lb_target_group" "api" {
  name        = "${var.name}-api"
  port        = 8080 # CAMEL_SERVER_PORT
  protocol    = "HTTP"
  target_type = "ip" # Fargate tasks (awsvpc) register by IP
  vpc_id      = aws_vpc.main.id

  # >= camel.main.shutdownTimeout (20 s): a draining task finishes its in-flight requests before
  # the ALB forgets it; the task's stopTimeout (30 s) covers the same window on the ECS side.
  deregistration_delay = 30

  health_check {
    # 200 when the database and SQS answer, 503 while either is unreachable: the ALB stops sending
    # orders to a task that could not store them.
    path                = "/observe/health/ready"
    matcher             = "200"
    protocol            = "HTTP"
    port                = "traffic-port"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.api.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = local.https_enabled ? "redirect" : "forward"
    target_group_arn = local.https_enabled ? null : aws_lb_target_group.api.arn

    dynamic "redirect" {
      for_each = local.https_enabled ? [1] : []

      content {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
  }
}

resource "aws_lb_listener" "https" {
  count = local.https_enabled ? 1 : 0

  load_balancer_arn = aws_lb.api.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}
