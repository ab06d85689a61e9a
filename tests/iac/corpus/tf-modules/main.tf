# A root module calling two local modules, the layout of many public repositories:
# ./modules/cognito (pool, domain, Okta SAML provider, client) and ./modules/okta-saml-app.
terraform {
  required_version = ">= 1.3"
  required_providers {
    aws  = { source = "hashicorp/aws" }
    okta = { source = "okta/okta" }
  }
}

provider "aws" {
  region = var.aws_region
}

provider "okta" {
  org_name = var.okta_org_name
  base_url = var.okta_base_url
}

module "cognito" {
  source        = "./modules/cognito"
  name          = "${var.project}-${var.environment}"
  region        = var.aws_region
  domain_prefix = "${var.project}-${var.environment}-auth"
  metadata_url  = module.okta_app.metadata_url
  callback_urls = var.callback_urls
}

module "okta_app" {
  source      = "./modules/okta-saml-app"
  label       = "${title(var.project)} (${var.environment})"
  acs_url     = module.cognito.saml_acs_url
  entity_id   = module.cognito.sp_entity_id
  group_names = ["${var.project}-users"]
}

resource "okta_user" "dev" {
  login      = "dev@example.net"
  email      = "dev@example.net"
  first_name = "Dev"
  last_name  = "Eloper"
}

resource "okta_group_memberships" "users" {
  group_id = module.okta_app.group_ids["${var.project}-users"]
  users    = [okta_user.dev.id]
}
