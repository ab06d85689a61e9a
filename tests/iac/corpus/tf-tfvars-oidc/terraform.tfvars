region      = "ap-southeast-2"
okta_org_name = "example-anz"
pool_name   = "anz-customers"
