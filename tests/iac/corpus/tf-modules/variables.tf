variable "aws_region" {
  type    = string
  default = "us-east-2"
}

variable "okta_org_name" {
  type    = string
  default = "widgets-inc"
}

variable "okta_base_url" {
  type    = string
  default = "okta.com"
}

variable "project" {
  type    = string
  default = "widgets"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "callback_urls" {
  type    = list(string)
  default = ["https://widgets.example.net/auth/callback"]
}
