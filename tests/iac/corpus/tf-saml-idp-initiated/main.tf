# SAML with IdP-initiated sign-in from the Okta dashboard tile: IDPInit on the Cognito provider,
# the metadata document inlined (MetadataFile), Okta's Default RelayState naming the client.
variable "region" {
  default = "eu-central-1"
}

variable "domain" {
  default = "portal-idp-init"
}

variable "app_url" {
  default = "https://portal.example.org"
}

provider "aws" {
  region = var.region
}

provider "okta" {
  org_name = "portal-corp"
  base_url = "okta.com"
}

locals {
  cognito_url  = "https://${var.domain}.auth.${var.region}.amazoncognito.com"
  callback_url = "${var.app_url}/oauth2/callback"
}

resource "aws_cognito_user_pool" "users" {
  name                     = "portal-users"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true
  }

  schema {
    name                = "name"
    attribute_data_type = "String"
    mutable             = true
  }
}

resource "aws_cognito_user_pool_domain" "users" {
  domain       = var.domain
  user_pool_id = aws_cognito_user_pool.users.id
}

resource "okta_app_saml" "portal" {
  label                  = "Portal"
  sso_url                = "${local.cognito_url}/saml2/idpresponse"
  recipient              = "${local.cognito_url}/saml2/idpresponse"
  destination            = "${local.cognito_url}/saml2/idpresponse"
  audience               = "urn:amazon:cognito:sp:${aws_cognito_user_pool.users.id}"
  subject_name_id_format = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
  subject_name_id_template = "$${user.id}"
  user_name_template     = "$${source.login}"
  response_signed        = true
  assertion_signed       = true
  signature_algorithm    = "RSA_SHA256"
  digest_algorithm       = "SHA256"
  authn_context_class_ref = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
  default_relay_state    = "identity_provider=OktaPortal&client_id=${aws_cognito_user_pool_client.portal.id}&redirect_uri=${local.callback_url}&response_type=code&scope=openid+email"

  attribute_statements {
    name   = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
    values = ["user.email"]
  }

  attribute_statements {
    name   = "name"
    values = ["user.firstName + \" \" + user.lastName"]
  }
}

resource "aws_cognito_identity_provider" "okta" {
  user_pool_id  = aws_cognito_user_pool.users.id
  provider_name = "OktaPortal"
  provider_type = "SAML"

  provider_details = {
    MetadataFile = okta_app_saml.portal.metadata
    IDPInit      = "true"
    IDPSignout   = "false"
  }

  attribute_mapping = {
    email = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
    name  = "name"
  }
}

resource "aws_cognito_user_pool_client" "portal" {
  name                                 = "portal"
  user_pool_id                         = aws_cognito_user_pool.users.id
  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email"]
  callback_urls                        = [local.callback_url]
  supported_identity_providers         = ["OktaPortal"]
  depends_on                           = [aws_cognito_identity_provider.okta]
}

resource "okta_user" "pat" {
  login      = "pat@example.org"
  email      = "pat@example.org"
  first_name = "Pat"
  last_name  = "Jones"
}

resource "okta_app_user" "pat" {
  app_id  = okta_app_saml.portal.id
  user_id = okta_user.pat.id
}
