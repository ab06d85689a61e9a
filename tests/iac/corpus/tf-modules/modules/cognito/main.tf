variable "name" {
  type = string
}

variable "region" {
  type = string
}

variable "domain_prefix" {
  type = string
}

variable "metadata_url" {
  type = string
}

variable "callback_urls" {
  type = list(string)
}

resource "aws_cognito_user_pool" "this" {
  name = var.name

  schema {
    name                = "email"
    attribute_data_type = "String"
    required            = true
    mutable             = true

    string_attribute_constraints {
      min_length = 5
      max_length = 254
    }
  }
}

resource "aws_cognito_user_pool_domain" "this" {
  domain       = var.domain_prefix
  user_pool_id = aws_cognito_user_pool.this.id
}

resource "aws_cognito_identity_provider" "okta" {
  user_pool_id  = aws_cognito_user_pool.this.id
  provider_name = "Okta"
  provider_type = "SAML"

  provider_details = {
    MetadataURL = var.metadata_url
  }

  attribute_mapping = {
    email = "email"
  }
}

resource "aws_cognito_user_pool_client" "this" {
  name                                 = "${var.name}-client"
  user_pool_id                         = aws_cognito_user_pool.this.id
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email"]
  callback_urls                        = var.callback_urls
  supported_identity_providers         = [aws_cognito_identity_provider.okta.provider_name]
}

output "user_pool_id" {
  value = aws_cognito_user_pool.this.id
}

output "sp_entity_id" {
  value = "urn:amazon:cognito:sp:${aws_cognito_user_pool.this.id}"
}

output "saml_acs_url" {
  value = "https://${aws_cognito_user_pool_domain.this.domain}.auth.${var.region}.amazoncognito.com/saml2/idpresponse"
}
