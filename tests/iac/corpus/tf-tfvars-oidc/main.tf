# OIDC against the Okta org authorization server; every setting is a variable without a
# default, given by terraform.tfvars, an *.auto.tfvars file and -var-file (see args).
variable "region" {
  type = string
}

variable "okta_org_name" {
  type        = string
  description = "e.g. example (for example.okta.com)"
}

variable "okta_base_url" {
  type    = string
  default = "okta.com"
}

variable "okta_api_token" {
  type      = string
  sensitive = true
  default   = null
}

variable "pool_name" {
  type = string
}

variable "auth_domain" {
  type = string
}

variable "app_callback_urls" {
  type = list(string)
}

variable "tags" {
  type    = map(string)
  default = {}
}

provider "aws" {
  region = var.region
  default_tags {
    tags = var.tags
  }
}

provider "okta" {
  org_name  = var.okta_org_name
  base_url  = var.okta_base_url
  api_token = var.okta_api_token
}

resource "aws_cognito_user_pool" "main" {
  name = var.pool_name
  tags = var.tags
}

resource "aws_cognito_user_pool_domain" "main" {
  domain       = var.auth_domain
  user_pool_id = aws_cognito_user_pool.main.id
}

resource "okta_app_oauth" "cognito" {
  label                      = "${var.pool_name} Cognito"
  type                       = "web"
  grant_types                = ["authorization_code", "refresh_token"]
  response_types             = ["code"]
  redirect_uris              = ["https://${aws_cognito_user_pool_domain.main.domain}.auth.${var.region}.amazoncognito.com/oauth2/idpresponse"]
  token_endpoint_auth_method = "client_secret_post"
  consent_method             = "TRUSTED"
}

resource "aws_cognito_identity_provider" "okta" {
  user_pool_id  = aws_cognito_user_pool.main.id
  provider_name = "okta"
  provider_type = "OIDC"

  provider_details = {
    client_id                     = okta_app_oauth.cognito.client_id
    client_secret                 = okta_app_oauth.cognito.client_secret
    attributes_request_method     = "GET"
    oidc_issuer                   = "https://${var.okta_org_name}.${var.okta_base_url}"
    authorize_scopes              = "email openid profile"
  }

  attribute_mapping = {
    email          = "email"
    email_verified = "email_verified"
    given_name     = "given_name"
    family_name    = "family_name"
    username       = "sub"
  }
}

resource "aws_cognito_user_pool_client" "spa" {
  name                                 = "spa"
  user_pool_id                         = aws_cognito_user_pool.main.id
  generate_secret                      = false
  explicit_auth_flows                  = ["ALLOW_REFRESH_TOKEN_AUTH"]
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  callback_urls                        = var.app_callback_urls
  supported_identity_providers         = [aws_cognito_identity_provider.okta.provider_name]
  prevent_user_existence_errors        = "ENABLED"
}

resource "okta_group" "everyone_app" {
  name = "${var.pool_name}-users"
}

resource "okta_app_group_assignments" "cognito" {
  app_id = okta_app_oauth.cognito.id
  group {
    id       = okta_group.everyone_app.id
    priority = 1
  }
}

resource "okta_user" "lee" {
  login      = "lee@example.io"
  email      = "lee@example.io"
  first_name = "Lee"
  last_name  = "Chen"
}

resource "okta_group_memberships" "app_users" {
  group_id = okta_group.everyone_app.id
  users    = [okta_user.lee.id]
}
