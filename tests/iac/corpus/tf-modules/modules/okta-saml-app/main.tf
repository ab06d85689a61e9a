variable "label" {
  type = string
}

variable "acs_url" {
  type = string
}

variable "entity_id" {
  type = string
}

variable "group_names" {
  type = list(string)
}

resource "okta_app_saml" "this" {
  label                  = var.label
  sso_url                = var.acs_url
  recipient              = var.acs_url
  destination            = var.acs_url
  audience               = var.entity_id
  subject_name_id_format = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
  response_signed        = true
  signature_algorithm    = "RSA_SHA256"
  digest_algorithm       = "SHA256"
  authn_context_class_ref = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"

  attribute_statements {
    name   = "email"
    values = ["user.email"]
  }
}

resource "okta_group" "this" {
  for_each = toset(var.group_names)
  name     = each.value
}

resource "okta_app_group_assignment" "this" {
  for_each = okta_group.this
  app_id   = okta_app_saml.this.id
  group_id = each.value.id
}

output "metadata_url" {
  value = okta_app_saml.this.metadata_url
}

output "group_ids" {
  value = { for name, group in okta_group.this : name => group.id }
}
