# The okta provider's okta_app_saml_app_settings example: the amazon_aws app made bare, its
# settings managed by a resource of their own; group mapping with the docs' groupFilter
# (aws_<account>_<role>); the account named in the ARNs.
resource "okta_app_saml" "test" {
  preconfigured_app = "amazon_aws"
  label             = "Amazon AWS"
  status            = "ACTIVE"
}

resource "okta_app_saml_app_settings" "test" {
  app_id = okta_app_saml.test.id
  settings = jsonencode(
    {
      "appFilter" : "okta",
      "awsEnvironmentType" : "aws.amazon",
      "groupFilter" : "aws_(?{{accountid}}\\d+)_(?{{role}}[a-zA-Z0-9+=,.@\\-_]+)",
      "joinAllRoles" : false,
      "loginURL" : "https://console.aws.amazon.com/ec2/home",
      "roleValuePattern" : "arn:aws:iam::$${accountid}:saml-provider/OKTA,arn:aws:iam::$${accountid}:role/$${role}",
      "sessionDuration" : 3200,
      "useGroupMapping" : true,
      "identityProviderArn" : "arn:aws:iam::444455556666:saml-provider/OKTA"
    }
  )
}

resource "aws_iam_saml_provider" "okta" {
  name                   = "OKTA"
  saml_metadata_document = okta_app_saml.test.metadata
}

resource "aws_iam_role" "developer" {
  name = "developer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithSAML"
      Principal = { Federated = "arn:aws:iam::444455556666:saml-provider/OKTA" }
      Condition = { StringEquals = { "SAML:aud" = "https://signin.aws.amazon.com/saml" } }
    }]
  })
}

resource "okta_group" "developer" {
  name = "aws_444455556666_developer"
}

resource "okta_app_group_assignment" "developer" {
  app_id   = okta_app_saml.test.id
  group_id = okta_group.developer.id
}

resource "okta_user" "dana" {
  login      = "dana@example.com"
  email      = "dana@example.com"
  first_name = "Dana"
  last_name  = "Scully"
}

resource "okta_group_memberships" "developer" {
  group_id = okta_group.developer.id
  users    = [okta_user.dana.id]
}
