# BROKEN on purpose (harness diagnose finds each): audience, IDPInit, immutable email,
# client auth method, session duration. The seed guides' setup as Terraform: Okta (okta/okta provider) as SAML IdP and as OIDC provider
# for a Cognito user pool, and Okta's AWS Account Federation app into IAM roles.
terraform {
  required_providers {
    aws  = { source = "hashicorp/aws" }
    okta = { source = "okta/okta" }
  }
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "okta_org_name" {
  type    = string
  default = "dev-123456"
}

variable "domain_prefix" {
  type    = string
  default = "myapp"
}

variable "app_url" {
  type    = string
  default = "https://app.example.com"
}

provider "aws" {
  region = var.region
}

provider "okta" {
  org_name = var.okta_org_name
  base_url = "okta.com"
}

data "aws_caller_identity" "current" {}

locals {
  account_id      = data.aws_caller_identity.current.account_id
  cognito_domain  = "https://${aws_cognito_user_pool_domain.main.domain}.auth.${var.region}.amazoncognito.com"
  callback_url    = "${var.app_url}/callback"
  okta_issuer     = "https://${var.okta_org_name}.okta.com"
  signin_aws_saml = "https://signin.aws.amazon.com/saml"
}
