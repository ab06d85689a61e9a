resource "aws_iam_saml_provider" "okta" {
  name                   = "Okta"
  saml_metadata_document = okta_app_saml.aws.metadata
}

resource "aws_iam_role" "admin" {
  name                 = "admin"
  max_session_duration = 3600
  assume_role_policy   = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": "${aws_iam_saml_provider.okta.arn}"},
        "Action": "sts:AssumeRoleWithSAML",
        "Condition": {"StringEquals": {"SAML:aud": "${local.signin_aws_saml}"}}
      }]
    }
    POLICY
}

resource "aws_iam_role" "readonly" {
  name                 = "readonly"
  max_session_duration = 3600
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_saml_provider.okta.arn }
      Action    = "sts:AssumeRoleWithSAML"
      Condition = { StringEquals = { "SAML:aud" = local.signin_aws_saml } }
    }]
  })
}
