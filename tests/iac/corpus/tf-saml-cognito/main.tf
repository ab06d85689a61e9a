# Okta as a SAML identity provider of a Cognito user pool, one file, as the okta provider's
# okta_app_saml docs and the aws provider's aws_cognito_identity_provider (SAML example) write it.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
    okta = {
      source  = "okta/okta"
      version = ">= 4.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "okta" {
  org_name = "acme"
  base_url = "okta.com"
}

resource "aws_cognito_user_pool" "pool" {
  name = "acme-saml"

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true
  }
}

resource "aws_cognito_user_pool_domain" "main" {
  domain       = "acme-saml-login"
  user_pool_id = aws_cognito_user_pool.pool.id
}

resource "okta_app_saml" "cognito" {
  label                    = "Acme Cognito"
  sso_url                  = "https://acme-saml-login.auth.us-east-1.amazoncognito.com/saml2/idpresponse"
  recipient                = "https://acme-saml-login.auth.us-east-1.amazoncognito.com/saml2/idpresponse"
  destination              = "https://acme-saml-login.auth.us-east-1.amazoncognito.com/saml2/idpresponse"
  audience                 = "urn:amazon:cognito:sp:${aws_cognito_user_pool.pool.id}"
  subject_name_id_template = "$${user.userName}"
  subject_name_id_format   = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
  response_signed          = true
  signature_algorithm      = "RSA_SHA256"
  digest_algorithm         = "SHA256"
  honor_force_authn        = false
  authn_context_class_ref  = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"

  attribute_statements {
    name      = "email"
    namespace = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
    type      = "EXPRESSION"
    values    = ["user.email"]
  }
}

resource "aws_cognito_identity_provider" "okta" {
  user_pool_id  = aws_cognito_user_pool.pool.id
  provider_name = "Okta"
  provider_type = "SAML"

  provider_details = {
    MetadataURL = okta_app_saml.cognito.metadata_url
  }

  attribute_mapping = {
    email = "email"
  }
}

resource "aws_cognito_user_pool_client" "client" {
  name                                 = "acme-web"
  user_pool_id                         = aws_cognito_user_pool.pool.id
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["email", "openid", "profile"]
  callback_urls                        = ["https://www.example.com/callback"]
  logout_urls                          = ["https://www.example.com/logout"]
  supported_identity_providers         = [aws_cognito_identity_provider.okta.provider_name]
}

resource "okta_group" "cognito_users" {
  name = "cognito-users"
}

resource "okta_user" "sam" {
  login      = "sam@example.com"
  email      = "sam@example.com"
  first_name = "Sam"
  last_name  = "Smith"
}

resource "okta_user_group_memberships" "sam" {
  user_id = okta_user.sam.id
  groups  = [okta_group.cognito_users.id]
}

resource "okta_app_group_assignment" "cognito" {
  app_id   = okta_app_saml.cognito.id
  group_id = okta_group.cognito_users.id
}
