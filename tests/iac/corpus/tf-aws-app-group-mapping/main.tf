# Okta's AWS Account Federation app into IAM roles, written the way the Okta provider's
# okta_app_saml / okta_app_saml_app_settings docs and the AWS provider's aws_iam_saml_provider and
# aws_iam_policy_document docs write it; the account is pinned with allowed_account_ids.
terraform {
  required_providers {
    aws  = { source = "hashicorp/aws", version = "~> 5.0" }
    okta = { source = "okta/okta", version = "~> 4.0" }
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = ["210987654321"]
}

provider "okta" {
  org_name = var.okta_org_name
  base_url = "okta.com"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "okta_org_name" {
  type    = string
  default = "dev-20481024"
}

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  roles      = toset(["admin", "readonly"])
}

resource "okta_app_saml" "aws" {
  label             = "Amazon Web Services"
  preconfigured_app = "amazon_aws"
  status            = "ACTIVE"

  app_settings_json = jsonencode({
    appFilter          = "okta"
    awsEnvironmentType = "aws.amazon"
    groupFilter        = "aws#acme#(?{{role}}[\\w\\-]+)#(?{{accountid}}\\d+)"
    joinAllRoles       = false
    loginURL           = "https://console.aws.amazon.com/ec2/home"
    roleValuePattern   = "arn:aws:iam::$${accountid}:saml-provider/Okta,arn:aws:iam::$${accountid}:role/$${role}"
    sessionDuration    = 3600
    useGroupMapping    = true
    identityProviderArn = aws_iam_saml_provider.okta.arn
  })
}

resource "okta_group" "aws" {
  for_each    = local.roles
  name        = "aws#acme#${each.key}#${local.account_id}"
  description = "AWS ${each.key} role"
}

resource "okta_app_group_assignment" "aws" {
  for_each = local.roles
  app_id   = okta_app_saml.aws.id
  group_id = okta_group.aws[each.key].id
}

resource "okta_user" "alice" {
  login      = "alice@example.com"
  email      = "alice@example.com"
  first_name = "Alice"
  last_name  = "Liddell"
}

resource "okta_group_memberships" "admins" {
  group_id = okta_group.aws["admin"].id
  users    = [okta_user.alice.id]
}

resource "aws_iam_saml_provider" "okta" {
  name                   = "Okta"
  saml_metadata_document = okta_app_saml.aws.metadata
}

data "aws_iam_policy_document" "okta_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithSAML"]

    principals {
      type        = "Federated"
      identifiers = [aws_iam_saml_provider.okta.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "SAML:aud"
      values   = ["https://signin.aws.amazon.com/saml"]
    }
  }
}

resource "aws_iam_role" "okta" {
  for_each             = local.roles
  name                 = each.key
  assume_role_policy   = data.aws_iam_policy_document.okta_trust.json
  max_session_duration = 3600
}
