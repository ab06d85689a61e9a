# OIDC through a custom Okta authorization server made in the same configuration; the issuer
# read from the okta_auth_server resource; groups claim; user pool groups.
provider "aws" {
  region = "us-east-1"
}

provider "okta" {
  org_name = "northwind"
  base_url = "okta.com"
}

resource "okta_auth_server" "customers" {
  name        = "customers"
  description = "Customer-facing apps"
  audiences   = ["api://customers"]
}

resource "aws_cognito_user_pool" "customers" {
  name = "northwind-customers"

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true
  }

  schema {
    name                = "tenant"
    attribute_data_type = "String"
    mutable             = true
  }
}

resource "aws_cognito_user_pool_domain" "customers" {
  domain       = "northwind-customers"
  user_pool_id = aws_cognito_user_pool.customers.id
}

resource "okta_app_oauth" "cognito" {
  label                      = "Northwind Cognito"
  type                       = "web"
  grant_types                = ["authorization_code"]
  response_types             = ["code"]
  redirect_uris              = ["https://northwind-customers.auth.us-east-1.amazoncognito.com/oauth2/idpresponse"]
  token_endpoint_auth_method = "client_secret_post"
  groups_claim {
    type        = "FILTER"
    filter_type = "STARTS_WITH"
    name        = "groups"
    value       = "northwind-"
  }
}

resource "aws_cognito_identity_provider" "okta" {
  user_pool_id  = aws_cognito_user_pool.customers.id
  provider_name = "NorthwindOkta"
  provider_type = "OIDC"
  idp_identifiers = ["northwind.example"]

  provider_details = {
    client_id                 = okta_app_oauth.cognito.client_id
    client_secret             = okta_app_oauth.cognito.client_secret
    attributes_request_method = "GET"
    oidc_issuer               = okta_auth_server.customers.issuer
    authorize_scopes          = "openid profile email"
  }

  attribute_mapping = {
    email           = "email"
    "custom:tenant" = "zoneinfo"
    username        = "sub"
  }
}

resource "aws_cognito_user_group" "admins" {
  name         = "admins"
  user_pool_id = aws_cognito_user_pool.customers.id
  precedence   = 1
}

resource "aws_cognito_user_pool_client" "web" {
  name                                 = "web"
  user_pool_id                         = aws_cognito_user_pool.customers.id
  generate_secret                      = true
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "profile", "email"]
  callback_urls                        = ["https://shop.northwind.example/auth/callback"]
  logout_urls                          = ["https://shop.northwind.example/"]
  supported_identity_providers         = ["NorthwindOkta"]
  access_token_validity                = 60
  id_token_validity                    = 60
  refresh_token_validity               = 30
  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
  depends_on = [aws_cognito_identity_provider.okta]
}

resource "okta_user" "ana" {
  login      = "ana@northwind.example"
  email      = "ana@northwind.example"
  first_name = "Ana"
  last_name  = "Trujillo"
}

resource "okta_app_user" "ana" {
  app_id  = okta_app_oauth.cognito.id
  user_id = okta_user.ana.id
}
