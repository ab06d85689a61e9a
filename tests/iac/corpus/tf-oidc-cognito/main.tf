# Okta as an OIDC identity provider of a Cognito user pool, written as the aws provider's
# aws_cognito_identity_provider docs (OIDC example: username = "sub") and the okta provider's
# okta_app_oauth docs write it; the Okta side uses the "default" custom authorization server.
terraform {
  required_providers {
    aws  = { source = "hashicorp/aws" }
    okta = { source = "okta/okta" }
  }
}

provider "aws" {
  region = "us-west-2"
}

provider "okta" {
  org_name = "dev-8675309"
  base_url = "okta.com"
}

locals {
  okta_url     = "https://dev-8675309.okta.com"
  cognito_base = "https://${aws_cognito_user_pool_domain.this.domain}.auth.us-west-2.amazoncognito.com"
}

resource "aws_cognito_user_pool" "this" {
  name                     = "example-pool"
  auto_verified_attributes = ["email"]

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true
  }
}

resource "aws_cognito_user_pool_domain" "this" {
  domain       = "example-oidc-auth"
  user_pool_id = aws_cognito_user_pool.this.id
}

resource "okta_app_oauth" "cognito" {
  label                      = "Cognito OIDC"
  type                       = "web"
  grant_types                = ["authorization_code"]
  response_types             = ["code"]
  redirect_uris              = ["${local.cognito_base}/oauth2/idpresponse"]
  token_endpoint_auth_method = "client_secret_post"
}

resource "okta_user" "jane" {
  login      = "jane@example.com"
  email      = "jane@example.com"
  first_name = "Jane"
  last_name  = "Doe"
}

resource "okta_app_user" "jane" {
  app_id   = okta_app_oauth.cognito.id
  user_id  = okta_user.jane.id
  username = okta_user.jane.login
}

resource "aws_cognito_identity_provider" "okta" {
  user_pool_id  = aws_cognito_user_pool.this.id
  provider_name = "Okta"
  provider_type = "OIDC"

  provider_details = {
    authorize_scopes          = "openid email profile"
    client_id                 = okta_app_oauth.cognito.client_id
    client_secret             = okta_app_oauth.cognito.client_secret
    attributes_request_method = "GET"
    oidc_issuer               = "${local.okta_url}/oauth2/default"
    authorize_url             = "${local.okta_url}/oauth2/default/v1/authorize"
    token_url                 = "${local.okta_url}/oauth2/default/v1/token"
    attributes_url            = "${local.okta_url}/oauth2/default/v1/userinfo"
    jwks_uri                  = "${local.okta_url}/oauth2/default/v1/keys"
  }

  attribute_mapping = {
    email    = "email"
    username = "sub"
  }
}

resource "aws_cognito_user_pool_client" "app" {
  name                                 = "app"
  user_pool_id                         = aws_cognito_user_pool.this.id
  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  callback_urls                        = ["https://app.example.com/callback"]
  supported_identity_providers         = [aws_cognito_identity_provider.okta.provider_name]
}
