# An Application Load Balancer that signs users in through Cognito (and Okta behind it), as the
# aws provider's aws_lb_listener docs write the authenticate-cognito action.
provider "aws" {
  region = "us-east-1"
}

provider "okta" {
  org_name = "initech"
  base_url = "okta.com"
}

resource "aws_lb" "front_end" {
  name               = "initech-alb"
  internal           = false
  load_balancer_type = "application"
  security_groups    = ["sg-0123456789abcdef0"]
  subnets            = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
}

resource "aws_lb_target_group" "front_end" {
  name     = "initech-app"
  port     = 80
  protocol = "HTTP"
  vpc_id   = "vpc-0123456789abcdef0"
}

resource "aws_cognito_user_pool" "pool" {
  name = "initech-staff"

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true
  }
}

resource "aws_cognito_user_pool_client" "client" {
  name                                 = "initech-alb"
  user_pool_id                         = aws_cognito_user_pool.pool.id
  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email"]
  callback_urls                        = ["https://${aws_lb.front_end.dns_name}/oauth2/idpresponse"]
  supported_identity_providers         = [aws_cognito_identity_provider.okta.provider_name]
}

resource "aws_cognito_user_pool_domain" "domain" {
  domain       = "initech-staff"
  user_pool_id = aws_cognito_user_pool.pool.id
}

resource "okta_app_saml" "cognito" {
  label                  = "Initech ALB"
  sso_url                = "https://initech-staff.auth.us-east-1.amazoncognito.com/saml2/idpresponse"
  recipient              = "https://initech-staff.auth.us-east-1.amazoncognito.com/saml2/idpresponse"
  destination            = "https://initech-staff.auth.us-east-1.amazoncognito.com/saml2/idpresponse"
  audience               = "urn:amazon:cognito:sp:${aws_cognito_user_pool.pool.id}"
  subject_name_id_format = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
  response_signed        = true
  signature_algorithm    = "RSA_SHA256"
  digest_algorithm       = "SHA256"
  authn_context_class_ref = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"

  attribute_statements {
    name   = "email"
    values = ["user.email"]
  }
}

resource "aws_cognito_identity_provider" "okta" {
  user_pool_id      = aws_cognito_user_pool.pool.id
  provider_name     = "Okta"
  provider_type     = "SAML"
  provider_details  = { MetadataURL = okta_app_saml.cognito.metadata_url }
  attribute_mapping = { email = "email" }
}

resource "aws_lb_listener" "front_end" {
  load_balancer_arn = aws_lb.front_end.arn
  port              = "443"
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-2016-08"
  certificate_arn   = "arn:aws:iam::187416307283:server-certificate/test_cert_rab3wuqwgja25ct3n4jdj2tzu4"

  default_action {
    type = "authenticate-cognito"

    authenticate_cognito {
      user_pool_arn       = aws_cognito_user_pool.pool.arn
      user_pool_client_id = aws_cognito_user_pool_client.client.id
      user_pool_domain    = aws_cognito_user_pool_domain.domain.domain
    }
  }

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.front_end.arn
  }
}

resource "okta_user" "peter" {
  login      = "peter@initech.example"
  email      = "peter@initech.example"
  first_name = "Peter"
  last_name  = "Gibbons"
}

resource "okta_app_user" "peter" {
  app_id  = okta_app_saml.cognito.id
  user_id = okta_user.peter.id
}
