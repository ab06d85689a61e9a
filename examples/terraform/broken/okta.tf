resource "okta_group" "engineering" {
  name        = "engineering"
  description = "Engineers"
}

resource "okta_group" "aws_admin" {
  name        = "aws#acme#admin#${local.account_id}"
  description = "AWS admin role"
}

resource "okta_group" "aws_readonly" {
  name        = "aws#acme#readonly#${local.account_id}"
  description = "AWS read-only role"
}

resource "okta_user" "alice" {
  login      = "alice@example.com"
  email      = "alice@example.com"
  first_name = "Alice"
  last_name  = "Liddell"
}

resource "okta_user" "bob" {
  login      = "bob@example.com"
  email      = "bob@example.com"
  first_name = "Bob"
  last_name  = "Builder"
}

resource "okta_group_memberships" "engineering" {
  group_id = okta_group.engineering.id
  users    = [okta_user.alice.id]
}

resource "okta_group_memberships" "aws_admin" {
  group_id = okta_group.aws_admin.id
  users    = [okta_user.alice.id]
}

resource "okta_group_memberships" "aws_readonly" {
  group_id = okta_group.aws_readonly.id
  users    = [okta_user.alice.id, okta_user.bob.id]
}

resource "okta_app_saml" "cognito" {
  label                    = "Cognito SAML"
  sso_url                  = "${local.cognito_domain}/saml2/idpresponse"
  recipient                = "${local.cognito_domain}/saml2/idpresponse"
  destination              = "${local.cognito_domain}/saml2/idpresponse"
  audience                 = "urn:amazon:cognito:sp:${var.region}_EXAMPLE"
  subject_name_id_format   = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
  subject_name_id_template = "$${user.userName}"
  user_name_template       = "$${source.email}"
  response_signed          = true
  assertion_signed         = true
  signature_algorithm      = "RSA_SHA256"
  digest_algorithm         = "SHA256"
  authn_context_class_ref  = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
  default_relay_state      = "identity_provider=Okta&client_id=${aws_cognito_user_pool_client.web.id}&redirect_uri=${local.callback_url}&response_type=code&scope=openid+email+profile"

  attribute_statements {
    name      = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
    namespace = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
    values    = ["user.email"]
  }
  attribute_statements {
    name   = "given_name"
    values = ["user.firstName"]
  }
  attribute_statements {
    name   = "family_name"
    values = ["user.lastName"]
  }
}

resource "okta_app_user" "cognito_alice" {
  app_id  = okta_app_saml.cognito.id
  user_id = okta_user.alice.id
}

resource "okta_app_user" "cognito_bob" {
  app_id  = okta_app_saml.cognito.id
  user_id = okta_user.bob.id
}

resource "okta_app_oauth" "cognito" {
  label                      = "Cognito OIDC"
  type                       = "web"
  grant_types                = ["authorization_code"]
  response_types             = ["code"]
  redirect_uris              = ["${local.cognito_domain}/oauth2/idpresponse"]
  token_endpoint_auth_method = "client_secret_basic"
}

resource "okta_app_user" "oidc_alice" {
  app_id  = okta_app_oauth.cognito.id
  user_id = okta_user.alice.id
}

resource "okta_app_user" "oidc_bob" {
  app_id  = okta_app_oauth.cognito.id
  user_id = okta_user.bob.id
}

# Seed guide 003: the AWS Account Federation app with group mapping.
resource "okta_app_saml" "aws" {
  label             = "AWS Account Federation"
  preconfigured_app = "amazon_aws"
  app_settings_json = jsonencode({
    awsEnvironmentType  = "aws.amazon"
    loginURL            = local.signin_aws_saml
    identityProviderArn = aws_iam_saml_provider.okta.arn
    sessionDuration     = 43200
    joinAllRoles        = false
    useGroupMapping     = true
    appFilter           = "okta"
    roleValuePattern    = "arn:aws:iam::$${accountid}:saml-provider/Okta,arn:aws:iam::$${accountid}:role/$${role}"
  })
}

resource "okta_app_group_assignment" "aws_admin" {
  app_id   = okta_app_saml.aws.id
  group_id = okta_group.aws_admin.id
}

resource "okta_app_group_assignment" "aws_readonly" {
  app_id   = okta_app_saml.aws.id
  group_id = okta_group.aws_readonly.id
}
