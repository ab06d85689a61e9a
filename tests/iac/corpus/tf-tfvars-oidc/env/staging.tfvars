auth_domain       = "anz-customers-staging"
app_callback_urls = ["https://staging.example.io/callback", "http://localhost:3000/callback"]
