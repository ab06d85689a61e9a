resource "aws_cognito_user_pool" "main" {
  name = "acme-users"

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = false
  }
  schema {
    name                = "given_name"
    attribute_data_type = "String"
    mutable             = true
  }
  schema {
    name                = "family_name"
    attribute_data_type = "String"
    mutable             = true
  }
}

resource "aws_cognito_user_pool_domain" "main" {
  domain       = var.domain_prefix
  user_pool_id = aws_cognito_user_pool.main.id
}

# Seed guide 000: Okta as SAML IdP; IdP-initiated sign-in from the Okta tile allowed.
resource "aws_cognito_identity_provider" "okta" {
  user_pool_id  = aws_cognito_user_pool.main.id
  provider_name = "Okta"
  provider_type = "SAML"
  provider_details = {
    MetadataURL = okta_app_saml.cognito.metadata_url
    IDPInit     = "false"
  }
  attribute_mapping = {
    email       = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
    given_name  = "given_name"
    family_name = "family_name"
  }
}

# Seed guides 001/002: Okta as OIDC provider.
resource "aws_cognito_identity_provider" "okta_oidc" {
  user_pool_id  = aws_cognito_user_pool.main.id
  provider_name = "OktaOIDC"
  provider_type = "OIDC"
  provider_details = {
    client_id                 = okta_app_oauth.cognito.client_id
    client_secret             = okta_app_oauth.cognito.client_secret
    authorize_scopes          = "openid email profile"
    attributes_request_method = "GET"
    oidc_issuer               = local.okta_issuer
  }
  attribute_mapping = {
    email       = "email"
    given_name  = "given_name"
    family_name = "family_name"
  }
}

resource "aws_cognito_user_pool_client" "web" {
  name                                 = "web"
  user_pool_id                         = aws_cognito_user_pool.main.id
  generate_secret                      = true
  callback_urls                        = [local.callback_url]
  logout_urls                          = ["${var.app_url}/"]
  supported_identity_providers         = [aws_cognito_identity_provider.okta.provider_name]
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  allowed_oauth_flows_user_pool_client = true
}

resource "aws_cognito_user_pool_client" "web_oidc" {
  name                                 = "web-oidc"
  user_pool_id                         = aws_cognito_user_pool.main.id
  generate_secret                      = true
  callback_urls                        = [local.callback_url]
  logout_urls                          = ["${var.app_url}/"]
  supported_identity_providers         = [aws_cognito_identity_provider.okta_oidc.provider_name]
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  allowed_oauth_flows_user_pool_client = true
}
