# Terraform 0.11-era syntax still common in older repositories: "${...}" around every
# reference, count-guarded resources referenced with [0], list()/map() free, heredoc policy.
variable "enabled" {
  default = true
}

variable "okta_org" {
  default = "legacy-co"
}

variable "domain_prefix" {
  default = "legacy-co-login"
}

provider "aws" {
  region = "us-west-1"
}

provider "okta" {
  org_name = "${var.okta_org}"
  base_url = "oktapreview.com"
}

resource "aws_cognito_user_pool" "pool" {
  count = "${var.enabled ? 1 : 0}"
  name  = "legacy-co-users"

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true
  }
}

resource "aws_cognito_user_pool_domain" "domain" {
  count        = "${var.enabled ? 1 : 0}"
  domain       = "${var.domain_prefix}"
  user_pool_id = "${aws_cognito_user_pool.pool[0].id}"
}

resource "okta_app_saml" "app" {
  count                  = "${var.enabled ? 1 : 0}"
  label                  = "Legacy Co"
  sso_url                = "https://${var.domain_prefix}.auth.us-west-1.amazoncognito.com/saml2/idpresponse"
  recipient              = "https://${var.domain_prefix}.auth.us-west-1.amazoncognito.com/saml2/idpresponse"
  destination            = "https://${var.domain_prefix}.auth.us-west-1.amazoncognito.com/saml2/idpresponse"
  audience               = "urn:amazon:cognito:sp:${aws_cognito_user_pool.pool.0.id}"
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
  count         = "${var.enabled ? 1 : 0}"
  user_pool_id  = "${aws_cognito_user_pool.pool.0.id}"
  provider_name = "LegacyOkta"
  provider_type = "SAML"

  provider_details = {
    MetadataURL = "${okta_app_saml.app.0.metadata_url}"
  }

  attribute_mapping = {
    email = "email"
  }
}

resource "aws_cognito_user_pool_client" "client" {
  count                                = "${var.enabled ? 1 : 0}"
  name                                 = "legacy-web"
  user_pool_id                         = "${aws_cognito_user_pool.pool.0.id}"
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email"]
  callback_urls                        = ["https://legacy.example.com/sso/callback"]
  supported_identity_providers         = ["${aws_cognito_identity_provider.okta.0.provider_name}"]
}

resource "okta_user" "max" {
  login      = "max@legacy.example.com"
  email      = "max@legacy.example.com"
  first_name = "Max"
  last_name  = "Mustermann"
}

resource "okta_app_user" "max" {
  count   = "${var.enabled ? 1 : 0}"
  app_id  = "${okta_app_saml.app.0.id}"
  user_id = "${okta_user.max.id}"
}
