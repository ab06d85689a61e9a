# Okta's AWS Account Federation app without group mapping: roles picked per assignment
# ("SAML User Roles", the assignment profile's samlRoles), roles made with count, trust policy
# with jsonencode, the account from data.aws_caller_identity.
locals {
  roles = ["Admin", "ReadOnly"]
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

resource "aws_iam_saml_provider" "okta" {
  name                   = "OktaSSO"
  saml_metadata_document = okta_app_saml.aws.metadata
}

resource "aws_iam_role" "okta" {
  count                = length(local.roles)
  name                 = "Okta${local.roles[count.index]}"
  max_session_duration = 43200
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Federated = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:saml-provider/OktaSSO"
        }
        Action = "sts:AssumeRoleWithSAML"
        Condition = {
          StringEquals = {
            "SAML:aud" = "https://signin.aws.amazon.com/saml"
          }
        }
      }
    ]
  })
}

resource "okta_app_saml" "aws" {
  label             = "AWS Production"
  preconfigured_app = "amazon_aws"
  app_settings_json = <<EOT
{
  "awsEnvironmentType": "aws.amazon",
  "joinAllRoles": true,
  "loginURL": "https://console.aws.amazon.com/console/home",
  "sessionDuration": 28800,
  "identityProviderArn": "${aws_iam_saml_provider.okta.arn}",
  "useGroupMapping": false,
  "accessKey": "${aws_iam_access_key.okta.id}",
  "secretKey": "${aws_iam_access_key.okta.secret}"
}
EOT
}

# The IAM user Okta lists the roles with ("Connect to AWS" / API integration).
resource "aws_iam_user" "okta" {
  name = "okta-role-download"
}

resource "aws_iam_access_key" "okta" {
  user = aws_iam_user.okta.name
}

resource "aws_iam_user_policy" "okta" {
  name = "okta-list-roles"
  user = aws_iam_user.okta.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:ListRoles", "iam:ListAccountAliases"]
      Resource = "*"
    }]
  })
}

resource "okta_group" "cloud_admins" {
  name = "Cloud Admins"
}

resource "okta_group" "engineers" {
  name = "Engineers"
}

resource "okta_user" "kim" {
  login      = "kim@example.com"
  email      = "kim@example.com"
  first_name = "Kim"
  last_name  = "Park"
}

resource "okta_user_group_memberships" "kim" {
  user_id = okta_user.kim.id
  groups  = [okta_group.cloud_admins.id, okta_group.engineers.id]
}

resource "okta_app_group_assignment" "admins" {
  app_id   = okta_app_saml.aws.id
  group_id = okta_group.cloud_admins.id
  profile = jsonencode({
    samlRoles = ["OktaAdmin"]
    role      = "OktaAdmin"
  })
}

resource "okta_app_group_assignment" "engineers" {
  app_id   = okta_app_saml.aws.id
  group_id = okta_group.engineers.id
  profile  = jsonencode({ samlRoles = ["OktaReadOnly"] })
}
