# One pool, two ways in from the same Okta org: a SAML app and an OIDC app, both enabled on one
# client (the hosted UI shows both buttons); names and URLs built in locals.
terraform {
  required_providers {
    aws  = { source = "hashicorp/aws" }
    okta = { source = "okta/okta" }
  }
}

locals {
  name        = "globex"
  region      = "ca-central-1"
  okta_org    = "globex-corp"
  domain      = "${local.name}-signin"
  cognito_url = "https://${local.domain}.auth.${local.region}.amazoncognito.com"
  apps = {
    saml = "${local.name}-saml"
    oidc = "${local.name}-oidc"
  }
}

provider "aws" {
  region = local.region
}

provider "okta" {
  org_name = local.okta_org
  base_url = "okta.com"
}

resource "aws_cognito_user_pool" "main" {
  name = "${local.name}-pool"

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true
  }

  schema {
    name                = "family_name"
    attribute_data_type = "String"
    mutable             = true
  }
}

resource "aws_cognito_user_pool_domain" "main" {
  domain       = local.domain
  user_pool_id = aws_cognito_user_pool.main.id
}

resource "okta_app_saml" "saml" {
  label                  = local.apps.saml
  sso_url                = "${local.cognito_url}/saml2/idpresponse"
  recipient              = "${local.cognito_url}/saml2/idpresponse"
  destination            = "${local.cognito_url}/saml2/idpresponse"
  audience               = "urn:amazon:cognito:sp:${aws_cognito_user_pool.main.id}"
  subject_name_id_format = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
  response_signed        = true
  signature_algorithm    = "RSA_SHA256"
  digest_algorithm       = "SHA256"
  authn_context_class_ref = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"

  attribute_statements {
    name   = "email"
    values = ["user.email"]
  }
  attribute_statements {
    name   = "lastName"
    values = ["user.lastName"]
  }
}

resource "okta_app_oauth" "oidc" {
  label                      = local.apps.oidc
  type                       = "web"
  grant_types                = ["authorization_code"]
  response_types             = ["code"]
  redirect_uris              = ["${local.cognito_url}/oauth2/idpresponse"]
  token_endpoint_auth_method = "client_secret_post"
}

resource "aws_cognito_identity_provider" "saml" {
  user_pool_id      = aws_cognito_user_pool.main.id
  provider_name     = "OktaSAML"
  provider_type     = "SAML"
  provider_details  = { MetadataURL = okta_app_saml.saml.metadata_url }
  attribute_mapping = { email = "email", family_name = "lastName" }
}

resource "aws_cognito_identity_provider" "oidc" {
  user_pool_id  = aws_cognito_user_pool.main.id
  provider_name = "OktaOIDC"
  provider_type = "OIDC"
  provider_details = {
    client_id                 = okta_app_oauth.oidc.client_id
    client_secret             = okta_app_oauth.oidc.client_secret
    attributes_request_method = "GET"
    oidc_issuer               = "https://${local.okta_org}.okta.com"
    authorize_scopes          = "openid email profile"
  }
  attribute_mapping = { email = "email", family_name = "family_name", username = "sub" }
}

resource "aws_cognito_user_pool_client" "web" {
  name                                 = "${local.name}-web"
  user_pool_id                         = aws_cognito_user_pool.main.id
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  callback_urls                        = ["https://www.globex.example/callback"]
  supported_identity_providers = [
    aws_cognito_identity_provider.saml.provider_name,
    aws_cognito_identity_provider.oidc.provider_name,
  ]
}

resource "okta_group" "staff" {
  name = "globex-staff"
}

resource "okta_user" "hank" {
  login      = "hank@globex.example"
  email      = "hank@globex.example"
  first_name = "Hank"
  last_name  = "Scorpio"
}

resource "okta_group_memberships" "staff" {
  group_id = okta_group.staff.id
  users    = [okta_user.hank.id]
}

resource "okta_app_group_assignment" "apps" {
  for_each = { saml = okta_app_saml.saml.id, oidc = okta_app_oauth.oidc.id }
  app_id   = each.value
  group_id = okta_group.staff.id
}
